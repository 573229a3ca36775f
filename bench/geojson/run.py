#!/usr/bin/env python3
"""Reading a large GeoJSON FeatureCollection: civic convert (streamed feature by feature) vs ogr2ogr -f CSV, in one run.

The FeatureCollection is made by `civic convert` from the synthetic AED file of bench/convert (its first --rows rows),
so it is the GeoJSON Civic writes (one feature per line). Prints seconds, features/s, peak memory and the ratios.
"""
import argparse
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "convert"))
from run import benchmark_file, timed  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=250_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--out", default=os.path.join(ROOT, "bench", "work"))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    source = benchmark_file(1_000_000)
    csv_part = os.path.join(args.out, f"aed_{args.rows}.csv")
    if not os.path.exists(csv_part):
        with open(source, "rb") as full, open(csv_part, "wb") as part:
            for index, line in enumerate(full):
                if index > args.rows:
                    break
                part.write(line)
    geojson = os.path.join(args.out, f"aed_{args.rows}.geojson")
    if not os.path.exists(geojson):
        subprocess.run([args.civic, "convert", "--quiet", csv_part, "-o", geojson], check=False)
    size = os.path.getsize(geojson)
    civic_out = os.path.join(args.out, "geojson-civic.csv")
    gdal_out = os.path.join(args.out, "geojson-gdal.csv")
    runs = {
        "civic convert (streamed)": [args.civic, "convert", "--quiet", geojson, "-o", civic_out],
        "ogr2ogr -f CSV (WKT)": ["ogr2ogr", "-f", "CSV", gdal_out, geojson, "-lco", "GEOMETRY=AS_WKT"],
    }
    results = {}
    for name, command in runs.items():
        samples = []
        for _ in range(args.repeat):
            if name.startswith("ogr") and os.path.exists(gdal_out):
                os.remove(gdal_out)
            samples.append(timed(command))
        results[name] = (statistics.median(s for s, _ in samples), max(r for _, r in samples))
    print(f"input: {args.rows:,} features, {size / 1e6:.1f} MB GeoJSON ({os.path.basename(geojson)}); median of {args.repeat} runs")
    print(f"{'tool':<28}{'seconds':>9}{'features/s':>13}{'peak MiB':>10}")
    for name, (seconds, rss) in results.items():
        print(f"{name:<28}{seconds:>9.2f}{args.rows / seconds:>13,.0f}{rss / 1024:>10.1f}")
    civic, gdal = results["civic convert (streamed)"], results["ogr2ogr -f CSV (WKT)"]
    print(f"ratio features/s civic / ogr2ogr: {gdal[0] / civic[0]:.2f}x   peak memory civic / ogr2ogr: {civic[1] / gdal[1]:.2f}x")


if __name__ == "__main__":
    main()
