#!/usr/bin/env python3
"""Vector tiles measured (release build), in one run, with ratios:

1. Serving, uncached: `civic serve` on the 1,000,000-row AED file (bench/convert's generated file), a realistic
   viewport sweep — for each of 12 places in the data (records picked at random), zooms 8 to 16, the 5 × 4 tiles of a
   1280 × 1024 screen around it — every tile a first request (a new Host header each time: the host is part of Civic's
   response-cache key), from 4 keep-alive connections. Prints tiles/s and the latency percentiles (target p99 < 50 ms).
2. Serving, cached: the sweep's non-empty tiles asked again and again by wrk (2 threads, 32 connections) from Civic's
   cache, against nginx serving the same bytes as static files (sendfile) — the practical limit; target ≥ 0.5×. Both
   plain and gzip-compressed (as browsers and MapLibre ask: Civic keeps each cached tile's gzip, nginx serves
   precompressed files with gzip_static).
3. Correctness on a sample: 40 tiles of zoom 18 around the places decoded with the PyPI `mapbox-vector-tile`; each must
   hold exactly the records whose point lies in the tile and its 64-unit buffer (the items' bbox query of that
   area, all pages), with their names.
4. The map pages in headless Chromium (browser.py): the 1,000,000-point collection's and a polygon dataset's (都島区's
   boundaries), drawn from tiles: the first tile within 1 s of the page's start, features drawn (screenshot pixels).
5. `civic tiles` of the same file to PMTiles, zooms 0–14, against tippecanoe 2.31 (the PyPI wheel
   `cubao-tippecanoe`; `-zg`-free fixed range `-Z0 -z14`, `--drop-densest-as-needed`, the usual options for points,
   on the same records as GeoJSON lines): seconds, peak memory and memory over the run (RSS read every 50 ms) of
   each, and the ratios; and civic tiles' peak memory on a quarter of the rows (memory against the records).

Usage: bench/tiles/run.sh [--rows N] [--civic PATH] [--skip-tippecanoe]
"""
import argparse
import concurrent.futures
import gzip
import http.client
import json
import math
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
import common  # noqa: E402
from common import serve  # noqa: E402

ID = "aed-tiles"
EXTENT, BUFFER = 4096, 64


def tile_of(lon, lat, z):
    n = 2**z
    s = math.sin(math.radians(lat))
    return int((lon + 180) / 360 * n), int((0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n)


def tile_bounds(z, x, y, buffer=0.0):
    """lon/lat bounds of a tile widened by `buffer` tile units."""
    n = 2**z
    def lon(u):
        return (x + u / EXTENT) / n * 360 - 180
    def lat(v):
        return math.degrees(math.atan(math.sinh(math.pi - 2 * math.pi * (y + v / EXTENT) / n)))
    return lon(-buffer), lat(EXTENT + buffer), lon(EXTENT + buffer), lat(-buffer)


def sweep(places):
    """The tiles of a 1280 × 1024 screen (5 × 4 tiles) around each place, zooms 8–16."""
    tiles = []
    for lon, lat in places:
        for z in range(8, 17):
            cx, cy = tile_of(lon, lat, z)
            for dx in range(-2, 3):
                for dy in range(-2, 2):
                    tiles.append((z, cx + dx, cy + dy))
    return tiles


def fetch_uncached(port, tiles, connections=4):
    """Each tile once, a new Host each time (a cache miss); (latencies in s, bytes by tile, seconds)."""
    counter = iter(range(10**9))
    chunks = [tiles[i::connections] for i in range(connections)]
    results = {}

    def worker(chunk):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        out = []
        for z, x, y in chunk:
            host = f"h{next(counter)}.example"
            started = time.perf_counter()
            connection.request("GET", f"/collections/{ID}/tiles/WebMercatorQuad/{z}/{y}/{x}", headers={"Host": host})
            response = connection.getresponse()
            body = response.read()
            out.append(time.perf_counter() - started)
            assert response.status == 200, (response.status, body[:200])
            results[(z, x, y)] = body
        connection.close()
        return out

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(connections) as pool:
        latencies = [latency for chunk in pool.map(worker, chunks) for latency in chunk]
    return latencies, results, time.perf_counter() - started


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def nginx_config(port, docroot, tmp):
    """nginx serving the tiles' bytes from `docroot`, gzip-compressed ones beside them (gzip_static)."""
    return common.nginx_config(port, docroot, tmp, "application/vnd.mapbox-vector-tile", http_extra="    gzip_static on;\n")


def wrk(url, paths, work, duration, gzipped=False):
    script = os.path.join(work, "tiles.lua")
    with open(script, "w") as out:
        out.write("paths = {" + ",".join(f'"{p}"' for p in paths) + "}\n")
        out.write("counter = 0\nrequest = function()\n  counter = counter + 1\n"
                  "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n")
    headers = ["-H", "Accept-Encoding: gzip"] if gzipped else []
    result = subprocess.run(["wrk", "-t", "2", "-c", "32", "-d", f"{duration}s", "--latency", "-s", script] + headers + [url],
                            capture_output=True, text=True, check=True)
    rate = float(next(line for line in result.stdout.splitlines() if "Requests/sec" in line).split()[-1])
    if "Non-2xx" in result.stdout or "Socket errors" in result.stdout:
        sys.exit(f"wrk on {url}: {result.stdout}")
    return rate


def sampled(command, log):
    """Runs `command`, reading its resident memory (VmRSS) every 50 ms: (seconds, peak MiB, the highest RSS in each
    quarter of the run in MiB)."""
    started = time.perf_counter()
    samples = []
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        while process.poll() is None:
            try:
                with open(f"/proc/{process.pid}/status") as status:
                    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
                samples.append((time.perf_counter() - started, rss / 1024))
            except (OSError, StopIteration):
                pass
            time.sleep(0.05)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed:\n{open(log, encoding='utf-8', errors='replace').read()[-2000:]}")
    quarters = [max([rss for t, rss in samples if q * seconds / 4 <= t < (q + 1) * seconds / 4] or [0]) for q in range(4)]
    return seconds, max(rss for _, rss in samples), quarters


def tippecanoe_binary(work):
    """tippecanoe from the PyPI wheel cubao-tippecanoe (in a venv under bench/work, with the decoder and Playwright)."""
    venv = os.path.join(ROOT, "bench", "work", "venv-tiles")
    if not os.path.exists(os.path.join(venv, "bin", "python")):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "--quiet", "--disable-pip-version-check",
                    "cubao-tippecanoe==0.0.4", "mapbox-vector-tile==2.2.0", "playwright==1.65.2"], check=True)
    found = subprocess.run([os.path.join(venv, "bin", "python"), "-c",
                            "import cubao_tippecanoe, os; print(os.path.dirname(cubao_tippecanoe.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    binary = os.path.join(found, "__cubao_tippecanoe_tippecanoe.exe")
    os.chmod(binary, 0o755)
    return venv, binary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--civic", default=os.path.join(ROOT, ".build", "release", "civic"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--skip-tippecanoe", action="store_true")
    args = parser.parse_args()
    source = benchmark_file(args.rows)
    work = tempfile.mkdtemp(prefix="civic-tiles-")
    venv, tippecanoe = tippecanoe_binary(work)
    python = os.path.join(venv, "bin", "python")
    random.seed(20261206)
    try:
        # The places: records picked at random.
        with open(source, encoding="utf-8") as lines:
            header = next(lines).rstrip("\n").split(",")
            ilat, ilon = header.index("緯度"), header.index("経度")
            wanted = set(random.sample(range(args.rows), 12))
            places = []
            for index, line in enumerate(lines):
                if index in wanted:
                    cells = line.rstrip("\n").split(",")
                    places.append((float(cells[ilon]), float(cells[ilat])))
        folder = os.path.join(work, "data", ID)
        os.makedirs(folder)
        os.symlink(source, os.path.join(folder, "data.csv"))
        with open(os.path.join(folder, "dataset.json"), "w") as out:
            json.dump({"id": ID, "title": "AED", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}, out)
        # And a polygon dataset for the browser check: 大阪市都島区's 町丁目 boundaries (the tests' fixture).
        areas = os.path.join(work, "data", "miyakojima-areas")
        os.makedirs(areas)
        shutil.copy(os.path.join(ROOT, "Tests", "CivicIngestTests", "Fixtures", "miyakojima.json"), os.path.join(areas, "data.json"))
        with open(os.path.join(areas, "dataset.json"), "w") as out:
            json.dump({"id": "miyakojima-areas", "title": "都島区 町丁目", "municipalityCode": "271021", "file": "data.json"}, out)
        port = random.randint(20000, 32000)
        started = time.time()
        server = serve(args.civic, os.path.join(work, "data"), os.path.join(work, "civic.sqlite"), port, datasets=2)
        print(f"civic serve: {args.rows:,} features loaded in {time.time() - started:.0f} s")
        try:
            tiles = sweep(places)
            # The point grid, and the cells of the zooms whose tiles cluster, are read in the background on the first
            # tile: let them (the server's warm-up after a load, as for the items' boxes).
            fetch_uncached(port, tiles[:4])
            time.sleep(10)
            latencies, bodies, seconds = fetch_uncached(port, tiles)
            sizes = [len(b) for b in bodies.values()]
            print(f"uncached sweep: {len(tiles)} tiles (zoom 8–16, 12 places, 5×4 each) in {seconds:.1f} s = "
                  f"{len(tiles) / seconds:,.0f} tiles/s over 4 connections; latency p50 {percentile(latencies, .5) * 1000:.1f} ms, "
                  f"p99 {percentile(latencies, .99) * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms "
                  f"(target p99 < 50 ms: {'met' if percentile(latencies, .99) < .05 else 'MISSED'}); "
                  f"tile size median {sorted(sizes)[len(sizes) // 2]:,} B, max {max(sizes):,} B")
            for z in (8, 12, 16):
                zl = [lat for (tile, lat) in zip(tiles, latencies) if tile[0] == z]
                print(f"  zoom {z}: p50 {percentile(zl, .5) * 1000:.1f} ms, p99 {percentile(zl, .99) * 1000:.1f} ms")
            # Correctness: tiles of zoom 18 (where these tiles hold every point, none grouped) against the items'
            # bbox query of the tile and its buffer.
            sample = []
            for lon, lat in places:
                cx, cy = tile_of(lon, lat, 18)
                sample += [(18, cx + dx, cy + dy) for dx in (-1, 0, 1) for dy in (0, 1)]
            sample = sample[:40]
            checker = os.path.join(work, "check.py")
            with open(checker, "w") as out:
                out.write(CHECK)
            with open(os.path.join(work, "sample.json"), "w") as out:
                json.dump(sample, out)
            result = subprocess.run([python, checker, str(port), os.path.join(work, "sample.json"), ID],
                                    capture_output=True, text=True)
            print(result.stdout.strip() or result.stderr.strip()[-2000:])
            # Cached: Civic's cache vs nginx on the same bytes.
            nonempty = [t for t in tiles if len(bodies[t]) > 0][:400]
            paths = [f"/collections/{ID}/tiles/WebMercatorQuad/{z}/{y}/{x}" for z, x, y in nonempty]
            for path in paths:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").read()
            docroot = os.path.join(work, "nginx", "docroot")
            for (z, x, y), path in zip(nonempty, paths):
                target = docroot + path
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "wb") as out:
                    out.write(bodies[(z, x, y)])
                # And gzip-compressed beside it (gzip_static), as Civic keeps each cached tile's gzip.
                with open(target + ".gz", "wb") as out:
                    out.write(gzip.compress(bodies[(z, x, y)], 6))
            nginx_port = port + 1
            tmp = os.path.join(work, "nginx")
            with open(os.path.join(tmp, "nginx.conf"), "w") as out:
                out.write(nginx_config(nginx_port, docroot, tmp))
            nginx = subprocess.Popen(["nginx", "-p", tmp, "-c", os.path.join(tmp, "nginx.conf"), "-e", os.path.join(tmp, "error.log")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1)
            try:
                rates = {(server, gzipped): wrk(f"http://127.0.0.1:{p}/", paths, work, args.duration, gzipped)
                         for gzipped in (False, True) for server, p in (("civic", port), ("nginx", nginx_port))}
            finally:
                nginx.terminate()
                nginx.wait()
            for gzipped, label in ((False, "plain"), (True, "gzip, as browsers ask")):
                civic_rate, nginx_rate = rates[("civic", gzipped)], rates[("nginx", gzipped)]
                print(f"cached tiles, {label} ({len(paths)} URLs in turn, wrk -t2 -c32): Civic {civic_rate:,.0f} req/s, "
                      f"nginx {nginx_rate:,.0f} req/s = {civic_rate / nginx_rate:.2f}x "
                      f"(target ≥ 0.5x: {'met' if civic_rate / nginx_rate >= .5 else 'MISSED'})")
            # The map pages in headless Chromium, last (its processes slow what runs after it for a while); the sweep
            # and wrk asked other hosts' tiles (the host is part of the cache's key): these are made on request.
            print("MapLibre pages in headless Chromium (software WebGL), tiles made on request:")
            result = subprocess.run([python, os.path.join(HERE, "browser.py"), str(port), os.path.join(ROOT, "bench", "work", "tiles-screens"),
                                     f"{ID}:#c8102e", "miyakojima-areas:#5a2ca0"], capture_output=True, text=True)
            print(result.stdout.rstrip() or result.stderr.strip()[-2000:])
        finally:
            server.terminate()
            server.wait()
        if not args.skip_tippecanoe:
            # The same records as GeoJSON lines for tippecanoe.
            lines_path = os.path.join(work, "aed.geojsonl")
            with open(source, encoding="utf-8") as lines, open(lines_path, "w", encoding="utf-8") as out:
                names = next(lines).rstrip("\n").split(",")
                for line in lines:
                    cells = line.rstrip("\n").split(",")
                    properties = {name: value for name, value in zip(names, cells) if value}
                    out.write(json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [
                        float(cells[ilon]), float(cells[ilat])]}, "properties": properties}, ensure_ascii=False) + "\n")
            civic_seconds, civic_rss, civic_quarters = sampled([args.civic, "tiles", source, "-o", os.path.join(work, "civic.pmtiles"),
                                                                "--max-zoom", "14"], os.path.join(work, "civic-tiles.log"))
            tip_seconds, tip_rss, tip_quarters = sampled([tippecanoe, "-o", os.path.join(work, "tippecanoe.pmtiles"), "-Z0", "-z14", "-l", ID,
                                                          "--drop-densest-as-needed", "-P", "-f", "-q", lines_path],
                                                         os.path.join(work, "tippecanoe.log"))
            civic_size = os.path.getsize(os.path.join(work, "civic.pmtiles"))
            tip_size = os.path.getsize(os.path.join(work, "tippecanoe.pmtiles"))
            print(f"PMTiles of {args.rows:,} points, zoom 0–14: civic tiles {civic_seconds:.1f} s, peak {civic_rss:.0f} MiB, "
                  f"{civic_size / 2**20:.0f} MiB; tippecanoe {tip_seconds:.1f} s, peak {tip_rss:.0f} MiB, {tip_size / 2**20:.0f} MiB; "
                  f"civic ÷ tippecanoe time {civic_seconds / tip_seconds:.2f} (faster: {'yes' if civic_seconds < tip_seconds else 'NO'}), "
                  f"peak memory {civic_rss / tip_rss:.2f}")
            print(f"  memory over the run (highest RSS in each quarter of its time, MiB): civic tiles "
                  f"{', '.join(f'{q:.0f}' for q in civic_quarters)}; tippecanoe {', '.join(f'{q:.0f}' for q in tip_quarters)}")
            # Memory against the number of records: civic tiles of a quarter of the rows (the same generator).
            if args.rows >= 200_000:
                smaller = benchmark_file(args.rows // 4)
                _, small_rss, _ = sampled([args.civic, "tiles", smaller, "-o", os.path.join(work, "civic-small.pmtiles"), "--max-zoom", "14"],
                                          os.path.join(work, "civic-tiles-small.log"))
                print(f"  civic tiles peak memory by rows: {args.rows // 4:,} rows {small_rss:.0f} MiB, {args.rows:,} rows {civic_rss:.0f} MiB "
                      f"({(civic_rss - small_rss) * 2**20 / (args.rows - args.rows // 4):.0f} bytes a further row)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


CHECK = r'''
import json, math, sys, urllib.request
import mapbox_vector_tile
port, sample_path, collection = int(sys.argv[1]), sys.argv[2], sys.argv[3]
EXTENT, BUFFER = 4096, 64
def bounds(z, x, y, b):
    n = 2 ** z
    lon = lambda u: (x + u / EXTENT) / n * 360 - 180
    lat = lambda v: math.degrees(math.atan(math.sinh(math.pi - 2 * math.pi * (y + v / EXTENT) / n)))
    return lon(-b), lat(EXTENT + b), lon(EXTENT + b), lat(-b)
checked = features = 0
bad = []
for z, x, y in json.load(open(sample_path)):
    data = urllib.request.urlopen(f"http://127.0.0.1:{port}/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}").read()
    decoded = mapbox_vector_tile.decode(data).get(collection, {"features": []})["features"]
    assert not any("point_count" in f["properties"] for f in decoded), "a zoom-18 tile holds clusters"
    got = {f["properties"]["id"]: f["properties"].get("名称") for f in decoded}
    w, s, e, n = bounds(z, x, y, BUFFER)
    expected, offset = {}, 0
    while True:
        page = json.load(urllib.request.urlopen(
            f"http://127.0.0.1:{port}/collections/{collection}/items?bbox={w!r},{s!r},{e!r},{n!r}&limit=10000&offset={offset}"))
        for f in page["features"]:
            expected[f["id"]] = f["properties"].get("名称")
        offset += len(page["features"])
        if offset >= page["numberMatched"] or not page["features"]:
            break
    # Points exactly on the buffer's edge may round either way: compare away from the edge.
    if got != expected:
        bad.append((z, x, y, len(got), len(expected), sorted(set(got) ^ set(expected))[:3]))
    checked += 1
    features += len(got)
print(f"correctness: {checked} zoom-18 tiles decoded (mapbox-vector-tile), {features} features; each tile exactly the records of "
      f"its bounds and buffer, with their names: {'yes' if not bad else 'NO ' + repr(bad[:3])}")
'''


if __name__ == "__main__":
    main()
