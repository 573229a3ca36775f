#!/usr/bin/env python3
"""Uncached item pages of `civic serve`, this build against an earlier one, in one run (wrk, release builds).

Both servers load the same 1,000,000-row AED file (bench/convert's generated file) into a store of their own, then
answer, one at a time, with every request a cache miss (wrk rotates the Host header, which is part of Civic's
response-cache key, so each page is queried and rendered again):
  items    /collections/aed-pages/items?limit=100               (the first page, again and again)
  offsets  /collections/aed-pages/items?limit=100&offset=<n>    (pages all over the collection, file order)
  bbox     /collections/aed-pages/items?limit=100&bbox=<box>    (every request a new box: one holding about 8,500
                                                                 features, moved by up to 0.001° each way)
  samebox  the same, one box again and again (counts may come from the count cache)
Prints req/s of each and this build ÷ the earlier one.

Usage: bench/pages/run.py --baseline PATH/TO/EARLIER/civic [--civic .build/release/civic] [--rows N] [--duration S]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "convert"))
from run import benchmark_file  # noqa: E402

sys.path.insert(0, os.path.join(ROOT, "bench"))
from common import serve, settle  # noqa: E402

ID = "aed-pages"

LUA = """
counter = 0
request = function()
  counter = counter + 1
  wrk.headers["Host"] = "h" .. counter .. ".example"
  local offset = ""
  if OFFSETS then offset = "&offset=" .. ((counter * 7919 * 100) %% %d) end
  if BOX then
    -- Every request a new box: the base box moved by up to 0.001 degrees (about 100 m) each way.
    local dx = ((counter * 7919) %% 1000) / 1000000.0
    local dy = ((counter * 104729) %% 1000) / 1000000.0
    offset = string.format("&bbox=%%.6f,%%.6f,%%.6f,%%.6f", BOX[1] + dx, BOX[2] + dy, BOX[3] + dx, BOX[4] + dy)
  end
  return wrk.format("GET", PATH .. offset)
end
"""


def wrk(port, path, offsets, rows, duration, work, box=None):
    script = os.path.join(work, "pages.lua")
    with open(script, "w") as out:
        out.write(f'PATH = "{path}"\nOFFSETS = {"true" if offsets else "false"}\n')
        out.write(f"BOX = {{{box}}}\n" if box else "BOX = nil\n")
        out.write(LUA % max(rows - 100, 1))
    result = subprocess.run(["wrk", "-t", "2", "-c", "32", "-d", f"{duration}s", "-s", script, f"http://127.0.0.1:{port}/"],
                            capture_output=True, text=True, check=True)
    line = next(line for line in result.stdout.splitlines() if "Requests/sec" in line)
    errors = [line.strip() for line in result.stdout.splitlines() if "Non-2xx" in line or "Socket errors" in line]
    if errors:
        sys.exit(f"wrk on {path}: {errors}")
    return float(line.split()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--baseline", required=True, help="an earlier build's civic binary")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10)
    args = parser.parse_args()
    source = benchmark_file(args.rows)
    # A box around one of the file's points, a few hundred features wide.
    with open(source, encoding="utf-8") as lines:
        header = next(lines).rstrip("\n").split(",")
        row = None
        for index, line in enumerate(lines):
            if index == args.rows // 2:
                row = line.rstrip("\n").split(",")
                break
    lat, lon = float(row[header.index("緯度")]), float(row[header.index("経度")])
    bbox = f"{lon - 0.002:.4f},{lat - 0.002:.4f},{lon + 0.002:.4f},{lat + 0.002:.4f}"
    box = bbox
    requests = [("items", f"/collections/{ID}/items?limit=100", False, None),
                ("offsets", f"/collections/{ID}/items?limit=100", True, None),
                ("bbox", f"/collections/{ID}/items?limit=100", False, box),
                ("samebox", f"/collections/{ID}/items?limit=100&bbox={bbox}", False, None)]
    work = tempfile.mkdtemp(prefix="civic-pages-")
    results = {}
    try:
        folder = os.path.join(work, "data", ID)
        os.makedirs(folder)
        os.symlink(source, os.path.join(folder, "data.csv"))
        with open(os.path.join(folder, "dataset.json"), "w") as out:
            json.dump({"id": ID, "title": "AED", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}, out)
        for name, civic in [("earlier", args.baseline), ("this", args.civic)]:
            port = random.randint(20000, 32000)
            started = time.time()
            server = serve(civic, os.path.join(work, "data"), os.path.join(work, f"{name}.sqlite"), port)
            loaded = time.time() - started
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/collections/{ID}/items?limit=1&bbox={bbox}") as response:
                    matched = json.load(response)["numberMatched"]
                # Background work after loading (this build: the first box's point grid, the download sizes CKAN
                # lists) would be measured with the first requests: let each server finish it.
                settle(server)
                results[name] = {request: wrk(port, path, offsets, args.rows, args.duration, work, box)
                                 for request, path, offsets, box in requests}
                print(f"{name:8} build: loaded {args.rows:,} rows in {loaded:.0f} s; bbox holds {matched} features; "
                      + ", ".join(f"{request} {value:,.0f} req/s" for request, value in results[name].items()))
            finally:
                server.terminate()
                server.wait()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"uncached pages, {args.rows:,} features, 32 connections, this build ÷ the earlier one:")
    for request, _, _, _ in requests:
        print(f"  {request:8} {results['this'][request]:>9,.0f} vs {results['earlier'][request]:>9,.0f} req/s = "
              f"{results['this'][request] / results['earlier'][request]:.2f}x")
    # Issue #11's reference: the figures measured with bench/server before it (bbox 973, items 2,426 req/s).
    for request, figure in [("items", 2426), ("bbox", 973)]:
        print(f"  {request:8} ÷ issue #11's figure ({figure:,} req/s): {results['this'][request] / figure:.2f}x")


if __name__ == "__main__":
    main()
