#!/usr/bin/env python3
"""civic convert vs ogr2ogr -f GeoJSON on the same 1,000,000-row AED file, in one run.

Prints rows per second, peak memory (max RSS) and the ratios. Each tool runs `--repeat` times (median kept).
civic validates and normalises every cell as it converts; ogr2ogr only converts. civic runs on two threads by
default (reading and validating beside georeferencing and writing) and once with --threads 1, whose GeoJSON and
report must be byte for byte the same.
"""
import argparse
import filecmp
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def timed(command: list[str]) -> tuple[float, int]:
    """Runs a command under /usr/bin/time; returns (seconds, max RSS in KiB)."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%e %M", *command],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    last = result.stderr.strip().splitlines()[-1]
    if result.returncode not in (0, 1):
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    seconds, rss = last.split()
    return float(seconds), int(rss)


def feature_count(path: str) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.startswith(b'{"type":"Feature"'))


def benchmark_file(rows: int) -> str:
    """The synthetic AED file of `rows` rows (made from 焼津市's real one on first use) in bench/work."""
    work = os.path.join(ROOT, "bench", "work")
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, f"aed_{rows}.csv")
    if not os.path.exists(data):
        subprocess.run([sys.executable, os.path.join(HERE, "make_aed.py"), os.path.join(HERE, "seed_yaizu_aed.csv"), data, str(rows)], check=True)
    return data


def arguments() -> argparse.Namespace:
    """The options of the benchmarks on the synthetic AED file (this one and bench/load)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--out", default=None, help="where the outputs go (default bench/work; /dev/shm keeps disk write-back out)")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    work = args.out or os.path.join(ROOT, "bench", "work")
    data = benchmark_file(args.rows)
    size = os.path.getsize(data)

    civic_out = os.path.join(work, "civic.geojson")
    civic_report = os.path.join(work, "civic.report.json")
    single_out = os.path.join(work, "civic-1.geojson")
    single_report = os.path.join(work, "civic-1.report.json")
    gdal_out = os.path.join(work, "gdal.geojson")
    runs = {
        "civic convert": [args.civic, "convert", "--quiet", data, "-o", civic_out],
        "civic convert + full JSON report": [args.civic, "convert", "--quiet", data, "-o", civic_out, "--report", civic_report],
        "civic convert --threads 1 + report": [
            args.civic, "convert", "--quiet", "--threads", "1", data, "-o", single_out, "--report", single_report,
        ],
        "ogr2ogr -f GeoJSON": [
            "ogr2ogr", "-f", "GeoJSON", gdal_out, data,
            "-oo", "X_POSSIBLE_NAMES=経度", "-oo", "Y_POSSIBLE_NAMES=緯度", "-oo", "KEEP_GEOM_COLUMNS=NO",
            "-a_srs", "EPSG:4326", "-lco", "RFC7946=YES",
        ],
    }
    results = {}
    for name, command in runs.items():
        samples = []
        for _ in range(args.repeat):
            if name.startswith("ogr") and os.path.exists(gdal_out):
                os.remove(gdal_out)  # ogr2ogr refuses to overwrite
            samples.append(timed(command))
        seconds = statistics.median(s for s, _ in samples)
        rss = max(r for _, r in samples)
        results[name] = (seconds, rss)

    civic_features = feature_count(civic_out)
    with open(civic_report, encoding="utf-8") as f:
        report = json.load(f)
    findings = len(report["findings"])
    print(f"input: {args.rows:,} rows, {size / 1e6:.1f} MB ({os.path.basename(data)}); outputs in {work}; median of {args.repeat} runs")
    print(f"civic wrote {civic_features:,} features and {findings:,} findings "
          f"({report['summary']['totals']['fixed']:,} fixed, {report['summary']['totals']['errors']:,} errors)")
    print(f"{'tool':<36}{'seconds':>9}{'rows/s':>12}{'peak MiB':>10}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<36}{seconds:>9.2f}{args.rows / seconds:>12,.0f}{rss / 1024:>10.1f}")
    base = results["ogr2ogr -f GeoJSON"][0]
    same = filecmp.cmp(civic_report, single_report, shallow=False) and filecmp.cmp(civic_out, single_out, shallow=False)
    print(f"two threads vs --threads 1: GeoJSON and report byte for byte {'identical' if same else 'DIFFERENT'}")
    for name in ("civic convert", "civic convert + full JSON report", "civic convert --threads 1 + report"):
        print(f"ratio rows/s {name} / ogr2ogr: {base / results[name][0]:.2f}x   peak memory: {results[name][1] / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
