#!/usr/bin/env python3
"""civic load (a data folder into a fresh store) vs civic convert on the same 1,000,000-row AED file, in one run.

Both read, validate, normalise and georeference every record; convert writes GeoJSON, load writes the store (a new
version in SQLite with its R*Tree, and the report beside it). Prints rows/s, peak memory (max RSS) and the ratio
load ÷ convert (the target is ≥ 0.8). Then restarts `civic serve` on the loaded store and times until /health answers.
"""
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "convert"))
from run import arguments, benchmark_file, timed  # noqa: E402  (the same file and /usr/bin/time wrapper as bench/convert)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    args = arguments()
    work = os.path.join(ROOT, "bench", "work")
    data = benchmark_file(args.rows)
    folder = os.path.join(work, "load-data")
    dataset = os.path.join(folder, "bench-aed")
    os.makedirs(dataset, exist_ok=True)
    link = os.path.join(dataset, "data.csv")
    if not os.path.exists(link):
        os.symlink(data, link)
    with open(os.path.join(dataset, "dataset.json"), "w", encoding="utf-8") as f:
        f.write('{"id": "bench-aed", "title": "bench", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}')
    db = os.path.join(work, "load.sqlite")
    out = os.path.join(work, "load-convert.geojson")

    convert, load = [], []
    for _ in range(args.repeat):
        convert.append(timed([args.civic, "convert", "--quiet", data, "-o", out]))
        for leftover in (db, db + "-wal", db + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        shutil.rmtree(db + "-reports", ignore_errors=True)
        load.append(timed([args.civic, "load", "--data", folder, "--db", db]))
    c = (statistics.median(s for s, _ in convert), max(r for _, r in convert))
    l = (statistics.median(s for s, _ in load), max(r for _, r in load))
    print(f"input: {args.rows:,} rows ({os.path.basename(data)}); median of {args.repeat} runs")
    print(f"{'tool':<34}{'seconds':>9}{'rows/s':>12}{'peak MiB':>10}")
    for name, (seconds, rss) in (("civic convert (GeoJSON)", c), ("civic load (fresh store)", l)):
        print(f"{name:<34}{seconds:>9.2f}{args.rows / seconds:>12,.0f}{rss / 1024:>10.1f}")
    print(f"ratio rows/s load / convert: {c[0] / l[0]:.2f}x (target >= 0.8); load peak memory {l[1] / 1024:.1f} MiB (target < 200)")

    # Restart on the loaded store: how long until the server answers?
    port = free_port()
    started = time.monotonic()
    server = subprocess.Popen([args.civic, "serve", "--data", folder, "--db", db, "--port", str(port), "--log-level", "critical"])
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    response.read()
                    break
            except OSError:
                if time.monotonic() - started > 60:
                    sys.exit("civic serve did not answer within 60 s")
                time.sleep(0.01)
        print(f"civic serve on the loaded store ({args.rows:,} records): first answer after {time.monotonic() - started:.2f} s")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
