#!/usr/bin/env python3
"""Reading .xlsx: civic convert vs openpyxl (read_only) vs ogr2ogr (GDAL's XLSX driver), in one run.

The same AED workbook at 100,000 and 200,000 rows (made by make_workbook.py from 焼津市's real file; openpyxl
write_only, one sheet) is read by
  - civic convert FILE.xlsx -o bench/work/xlsx/civic_N.geojson   (read, validate, normalise, write GeoJSON)
  - openpyxl load_workbook(read_only=True), every row iterated and every value touched (read_openpyxl.py)
  - ogr2ogr -f CSV bench/work/xlsx/gdal_N.csv FILE.xlsx           (GDAL's XLSX driver, types detected, CSV out)
Each runs --repeat times; the best (lowest) time is kept, with the highest peak RSS (/usr/bin/time %M). Prints
rows/s, seconds and peak MiB per tool and size, the ratios civic/openpyxl and civic/ogr2ogr (rows/s), and how each
tool's peak memory grows from the smallest to the largest size (a streaming reader's should not).
Run with a Python that has openpyxl (bench/xlsx/run.sh sets that up), or pass --python.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(ROOT, "bench", "work", "xlsx")


def timed(command: list[str]) -> tuple[float, int, int, str, str]:
    """Runs a command under /usr/bin/time; returns (seconds, max RSS KiB, exit code, stdout, stderr)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", t.name, *command],
                                capture_output=True, text=True)
        seconds, rss = t.read().strip().splitlines()[-1].split()
    return float(seconds), int(rss), result.returncode, result.stdout, result.stderr


def feature_count(path: str) -> int:
    with open(path, "rb") as f:
        return sum(line.count(b'{"type":"Feature"') for line in f)


def line_count(path: str) -> int:
    with open(path, "rb") as f:
        return sum(1 for _ in f)


def main() -> None:
    parser = argparse.ArgumentParser(description="civic convert vs openpyxl vs ogr2ogr on .xlsx")
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool and size; the best is kept")
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--python", default=sys.executable, help="a Python with openpyxl")
    args = parser.parse_args()
    os.makedirs(WORK, exist_ok=True)

    check = subprocess.run([args.python, "-c", "import openpyxl; print(openpyxl.__version__)"],
                           capture_output=True, text=True)
    if check.returncode != 0:
        sys.exit(f"{args.python} has no openpyxl (python3 -m venv .venv-xlsx && .venv-xlsx/bin/pip install openpyxl)")
    openpyxl_version = check.stdout.strip()
    gdal_version = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True).stdout.strip()

    results = {}  # (tool, rows) -> dict
    inputs = []
    for rows in args.rows:
        data = os.path.join(WORK, f"aed_{rows}.xlsx")
        if not os.path.exists(data):
            print(f"making {os.path.relpath(data, ROOT)} …", file=sys.stderr)
            subprocess.run([args.python, os.path.join(HERE, "make_workbook.py"),
                            os.path.join(ROOT, "bench", "convert", "seed_yaizu_aed.csv"), data, str(rows)], check=True)
        inputs.append(f"{os.path.basename(data)} {os.path.getsize(data) / 1e6:.1f} MB")
        civic_out = os.path.join(WORK, f"civic_{rows}.geojson")
        gdal_out = os.path.join(WORK, f"gdal_{rows}.csv")
        runs = {
            "civic convert": ([args.civic, "convert", "--quiet", data, "-o", civic_out], civic_out),
            f"openpyxl {openpyxl_version} read_only": ([args.python, os.path.join(HERE, "read_openpyxl.py"), data], None),
            "ogr2ogr -f CSV": (["ogr2ogr", "-f", "CSV", gdal_out, data], gdal_out),
        }
        for name, (command, output) in runs.items():
            best, peak, note = None, 0, ""
            for _ in range(args.repeat):
                if output and os.path.exists(output):
                    os.remove(output)  # ogr2ogr refuses to overwrite; civic's output must be this run's
                seconds, rss, code, stdout, stderr = timed(command)
                if code not in (0, 1):  # civic convert exits 1 when it reports errors in the data
                    first = (stderr.strip().splitlines() or [""])[0]
                    note = f"FAILED (exit {code}): {first[:100]}"
                    best = None
                    break
                best = seconds if best is None else min(best, seconds)
                peak = max(peak, rss)
            if best is not None:
                if name.startswith("openpyxl"):
                    read = int(stdout.split()[0])
                    note = "ok" if read == rows else f"read {read:,} rows"
                elif name.startswith("ogr2ogr"):
                    read = line_count(output) - 1
                    note = "ok" if read == rows else f"wrote {read:,} rows"
                elif not os.path.exists(output):
                    note = "no output written (not a real civic?)"
                else:
                    features = feature_count(output)
                    note = "ok" if features == rows else f"{features:,} features"
            results[(name, rows)] = {"seconds": best, "rss": peak, "note": note}

    print(f"inputs: {'; '.join(inputs)}; best of {args.repeat} runs; {gdal_version}")
    print(f"{'rows':>9}  {'tool':<30}{'seconds':>9}{'rows/s':>12}{'peak MiB':>10}  check")
    for (name, rows), r in results.items():
        if r["seconds"] is None:
            print(f"{rows:>9,}  {name:<30}{'':>9}{'':>12}{'':>10}  {r['note']}")
            continue
        rate = rows / max(r["seconds"], 0.01)
        print(f"{rows:>9,}  {name:<30}{r['seconds']:>9.2f}{rate:>12,.0f}{r['rss'] / 1024:>10.1f}  {r['note']}")

    names = list(dict.fromkeys(name for name, _ in results))
    civic = names[0]

    def rate(name, rows):
        r = results[(name, rows)]
        return None if r["seconds"] is None else rows / max(r["seconds"], 0.01)

    for peer in names[1:]:
        parts = []
        for rows in args.rows:
            a, b = rate(civic, rows), rate(peer, rows)
            parts.append(f"{rows:,}: " + (f"{a / b:.2f}x" if a and b else "n/a"))
        print(f"ratio rows/s civic / {peer.split()[0]}: " + "   ".join(parts))
    if len(args.rows) > 1:
        lo, hi = args.rows[0], args.rows[-1]
        parts = []
        for name in names:
            a, b = results[(name, lo)], results[(name, hi)]
            if a["seconds"] is None or b["seconds"] is None:
                parts.append(f"{name.split()[0]} n/a")
            else:
                parts.append(f"{name.split()[0]} {a['rss'] / 1024:.1f} → {b['rss'] / 1024:.1f} MiB "
                             f"({(b['rss'] - a['rss']) / 1024:+.1f}, x{b['rss'] / a['rss']:.2f})")
        print(f"peak memory {lo:,} → {hi:,} rows: " + "; ".join(parts))


if __name__ == "__main__":
    main()
