#!/usr/bin/env python3
"""Civic's geo paths against their limits and Python peers, in one run (run by bench/geo/run.sh in its venv).

1. transform: N points, JGD2011 plane rectangular IX (EPSG:6677, easting/northing) -> JGD2011 lon/lat (EPSG:6668),
   by Civic's CoordinateTransform (one call, and batches of 4,096 as the record pipeline calls it), by a C loop over
   PROJ's proj_trans_generic (the same system PROJ: the limit) and by pyproj (its own bundled PROJ).
2. join: N lon/lat points against a grid of irregular polygons (a partition with jagged shared edges), by Civic's
   PolygonIndex.containing(x:y:) and by shapely 2 (several documented ways; the fastest is the peer).

Every tool reads the same files made here, times only the transform / the lookups (median of --repeat runs), and
writes its results, which are compared here. Prints a table with points/s, the ratios and the checks.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import pyproj
import shapely

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# The join's area: around 35.6 N 139.7 E.
LON0, LAT0, CELL = 139.6, 35.5, 0.01


# MARK: Data

def make_plane_points(path: str, count: int) -> None:
    """Easting, northing (m) in zone IX, uniform over +-100 km of the zone's origin (36 N 139 50' E)."""
    rng = np.random.default_rng(20261121)
    easting = rng.uniform(-100_000.0, 100_000.0, count)
    northing = rng.uniform(-100_000.0, 100_000.0, count)
    np.concatenate([easting, northing]).astype("<f8").tofile(path)


def make_polygons(path: str, grid: int) -> None:
    """grid x grid cells of CELL degrees: corners jittered by +-15 % of a cell, every edge made of 11-49 extra
    vertices offset across it by up to 6 % of a cell (tapered to 0 at the corners), shared by the two cells it
    divides. So the polygons (48-200 vertices) tile the area exactly and are valid: each edge stays inside a
    15-degree cone from either corner, and the corners' angles stay above 44 degrees."""
    rng = np.random.default_rng(35139)
    corner = np.empty((grid + 1, grid + 1, 2))
    for i in range(grid + 1):
        for j in range(grid + 1):
            dx, dy = rng.uniform(-0.15, 0.15, 2)
            corner[i, j] = (LON0 + (i + dx) * CELL, LAT0 + (j + dy) * CELL)

    def edge(a: np.ndarray, b: np.ndarray) -> list[tuple[float, float]]:
        """The vertices strictly between corners a and b."""
        k = int(rng.integers(11, 50))
        t = (np.arange(1, k + 1) + rng.uniform(-0.3, 0.3, k)) / (k + 1)
        offset = 0.06 * CELL * np.sin(math.pi * t) * rng.uniform(-1.0, 1.0, k)
        direction = b - a
        normal = np.array([-direction[1], direction[0]]) / np.hypot(*direction)
        points = a + t[:, None] * direction + offset[:, None] * normal
        return [(float(x), float(y)) for x, y in points]

    # Horizontal edges (i, j) -> (i+1, j), vertical edges (i, j) -> (i, j+1), each made once.
    horizontal = {(i, j): edge(corner[i, j], corner[i + 1, j]) for j in range(grid + 1) for i in range(grid)}
    vertical = {(i, j): edge(corner[i, j], corner[i, j + 1]) for i in range(grid + 1) for j in range(grid)}
    def corner_at(i: int, j: int) -> tuple[float, float]:
        return float(corner[i, j, 0]), float(corner[i, j, 1])

    lines = []
    for j in range(grid):
        for i in range(grid):
            ring = [corner_at(i, j)] + horizontal[(i, j)]
            ring += [corner_at(i + 1, j)] + vertical[(i + 1, j)]
            ring += [corner_at(i + 1, j + 1)] + horizontal[(i, j + 1)][::-1]
            ring += [corner_at(i, j + 1)] + vertical[(i, j)][::-1]
            ring.append(ring[0])
            lines.append("POLYGON ((" + ", ".join(f"{x!r} {y!r}" for x, y in ring) + "))")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def make_lonlat_points(path: str, count: int, grid: int) -> None:
    """Uniform over the grid's area and half a cell around it (so some points are in no polygon)."""
    rng = np.random.default_rng(4326)
    lon = rng.uniform(LON0 - 0.5 * CELL, LON0 + (grid + 0.5) * CELL, count)
    lat = rng.uniform(LAT0 - 0.5 * CELL, LAT0 + (grid + 0.5) * CELL, count)
    np.concatenate([lon, lat]).astype("<f8").tofile(path)


def read_points(path: str) -> tuple[np.ndarray, np.ndarray]:
    values = np.fromfile(path, dtype="<f8")
    half = len(values) // 2
    return values[:half].copy(), values[half:].copy()


# MARK: Running

def run_json(command: list[str]) -> dict:
    result = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr}")
    return json.loads(result.stdout)


def timed(function, repeat: int, setup=None) -> tuple[float, list[float], object]:
    """Median seconds of `function(*setup())` (setup untimed), all the samples, and the last result."""
    samples = []
    result = None
    for _ in range(repeat):
        arguments = setup() if setup else ()
        start = time.perf_counter()
        result = function(*arguments)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), samples, result


def assignment(point_index: np.ndarray, polygon_index: np.ndarray, count: int) -> tuple[np.ndarray, int]:
    """Per point the lowest polygon index that holds it (-1: none), and how many points more than one holds."""
    found = np.full(count, -1, dtype=np.int32)
    order = np.lexsort((polygon_index, point_index))[::-1]  # the lowest polygon index is written last
    found[point_index[order]] = polygon_index[order]
    multiple = int(np.count_nonzero(np.bincount(point_index, minlength=count) > 1))
    return found, multiple


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--grid", type=int, default=20, help="polygons: grid x grid")
    parser.add_argument("--batch", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--civic-bench", default=os.path.join(ROOT, ".build-bench", "release", "civic-bench"))
    args = parser.parse_args()

    work = os.path.join(ROOT, "bench", "work", "geo")
    os.makedirs(work, exist_ok=True)
    n = args.points
    plane = os.path.join(work, f"plane_{n}.f64")
    polygons_wkt = os.path.join(work, f"polygons_{args.grid}x{args.grid}.wkt")
    lonlat = os.path.join(work, f"lonlat_{n}_{args.grid}.f64")
    if not os.path.exists(plane):
        make_plane_points(plane, n)
    if not os.path.exists(polygons_wkt):
        make_polygons(polygons_wkt, args.grid)
    if not os.path.exists(lonlat):
        make_lonlat_points(lonlat, n, args.grid)

    c_loop = os.path.join(work, "c_loop")
    proj_flags = subprocess.run(["pkg-config", "--cflags", "--libs", "proj"], check=True, capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-O2", "-o", c_loop, os.path.join(HERE, "c_loop.c"), *proj_flags], check=True)
    system_proj = subprocess.run(["pkg-config", "--modversion", "proj"], capture_output=True, text=True).stdout.strip()
    system_geos = subprocess.run(["pkg-config", "--modversion", "geos"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    rows = []  # (section, tool, seconds, points/s)

    # 1. Transform.
    c_out = os.path.join(work, "transform_c.f64")
    civic_out = os.path.join(work, "transform_civic.f64")
    pyproj_out = os.path.join(work, "transform_pyproj.f64")
    c = run_json([c_loop, plane, c_out, str(args.repeat), str(args.batch)])
    civic = run_json([args.civic_bench, "transform", plane, civic_out, str(args.repeat), str(args.batch)])
    easting, northing = read_points(plane)
    transformer = pyproj.Transformer.from_crs("EPSG:6677", "EPSG:6668", always_xy=True)
    py_inplace, _, py_result = timed(
        lambda x, y: (transformer.transform(x, y, inplace=True), x, y)[1:],
        args.repeat, lambda: (easting.copy(), northing.copy()),
    )
    np.concatenate(py_result).astype("<f8").tofile(pyproj_out)
    py_copy, _, _ = timed(lambda: transformer.transform(easting, northing), args.repeat)

    c_lon, c_lat = read_points(c_out)
    checks = {}
    for name, path in [("Civic", civic_out), ("Civic batches", civic_out + ".batch"), ("pyproj", pyproj_out)]:
        lon, lat = read_points(path)
        checks[name] = float(max(np.max(np.abs(lon - c_lon)), np.max(np.abs(lat - c_lat))))
    failed = int(np.count_nonzero(~np.isfinite(c_lon)))

    rows.append(("transform", "C loop, one proj_trans_generic (limit)", c["median"], n / c["median"]))
    rows.append(("transform", f"C loop, proj_trans_generic per {args.batch:,}", c["batch_median"], n / c["batch_median"]))
    rows.append(("transform", "Civic CoordinateTransform, one call", civic["median"], n / civic["median"]))
    rows.append(("transform", f"Civic CoordinateTransform, batches of {args.batch:,}", civic["batch_median"], n / civic["batch_median"]))
    rows.append(("transform", "pyproj transform(inplace=True)", py_inplace, n / py_inplace))
    rows.append(("transform", "pyproj transform (new arrays)", py_copy, n / py_copy))

    # 2. Join.
    civic_join_out = os.path.join(work, "join_civic.i32")
    join = run_json([args.civic_bench, "join", polygons_wkt, lonlat, civic_join_out, str(args.repeat)])
    civic_found = np.fromfile(civic_join_out, dtype=np.int32)
    with open(polygons_wkt) as f:
        polygons = shapely.from_wkt(np.array(f.read().splitlines(), dtype=object))
    vertices = shapely.get_num_coordinates(polygons)
    shapely_invalid = int(np.count_nonzero(~shapely.is_valid(polygons)))
    lon, lat = read_points(lonlat)
    start = time.perf_counter()
    points = shapely.points(lon, lat)
    make_points = time.perf_counter() - start
    start = time.perf_counter()
    tree = shapely.STRtree(polygons)
    tree.query(points[:1])  # the tree is built lazily on the first query
    tree_build = time.perf_counter() - start

    def within():
        return tree.query(points, predicate="within")  # [point indices, polygon indices]

    def tree_over_points():
        pairs = shapely.STRtree(points).query(polygons, predicate="contains")  # [polygon indices, point indices]
        return pairs[::-1]

    def candidates_contains_xy():
        pairs = tree.query(points)  # box candidates, then the polygons' prepared contains on x, y
        hit = shapely.contains_xy(polygons[pairs[1]], lon[pairs[0]], lat[pairs[0]])
        return pairs[:, hit]

    def candidates_contains():
        pairs = tree.query(points)
        hit = shapely.contains(polygons[pairs[1]], points[pairs[0]])
        return pairs[:, hit]

    shapely.prepare(polygons)  # prepared once, as PolygonIndex's init does (untimed in both)
    variants = {
        'STRtree(polygons).query(points, predicate="within")': within,
        'STRtree(points).query(polygons, predicate="contains") (tree built per run)': tree_over_points,
        "STRtree(polygons).query(points) + contains_xy(prepared polygons, x, y)": candidates_contains_xy,
        "STRtree(polygons).query(points) + contains(prepared polygons, points)": candidates_contains,
    }
    join_rows = [
        ("join", "Civic PolygonIndex.containing(x:y:)", join["median"], n / join["median"]),
        ("join", f"Civic PolygonIndex.containing(x:y:polygons:), {join['workers']} tasks", join["parallel_median"], n / join["parallel_median"]),
    ]
    join_checks = {}
    for name, function in variants.items():
        seconds, _, pairs = timed(function, args.repeat)
        found, multiple = assignment(pairs[0], pairs[1].astype(np.int32), n)
        join_checks[name] = (int(np.count_nonzero(found != civic_found)), multiple)
        join_rows.append(("join", f"shapely {name}", seconds, n / seconds))
    rows += join_rows
    shapely_best = max((row for row in join_rows if row[1].startswith("shapely")), key=lambda row: row[3])

    # The table.
    c_rate = n / c["median"]
    py_rate = n / py_inplace
    print(f"points: {n:,}; median of {args.repeat} runs, only the transform / the lookups timed; "
          f"load average at start {load:.2f} (2 cores)")
    print(f"system PROJ {system_proj} (Civic, C loop), pyproj {pyproj.__version__} with its own PROJ {pyproj.proj_version_str}; "
          f"system GEOS {system_geos} (Civic), shapely {shapely.__version__} with its own GEOS {shapely.geos_version_string}; "
          f"numpy {np.__version__}")
    print(f"transform EPSG:6677 -> EPSG:6668, easting/northing in, lon/lat out: C/Civic operation "
          f"'{c['operation']}', Civic {civic['operations']}, pyproj '{transformer.description}'")
    print(f"join: {len(polygons)} polygons ({int(vertices.min())}-{int(vertices.max())} vertices, "
          f"mean {vertices.mean():.0f}; invalid: GEOS {join['invalid_polygons']}, shapely {shapely_invalid}), "
          f"{join['matched']:,} of {n:,} points inside one; index build Civic {join['build_seconds'] * 1e3:.1f} ms, "
          f"shapely STRtree {tree_build * 1e3:.1f} ms; shapely.points() for the points {make_points:.3f} s (untimed)")
    print()
    width = max(len(row[1]) for row in rows) + 2
    print(f"{'tool':<{width}}{'seconds':>9}{'points/s':>14}")
    section = None
    for name, tool, seconds, rate in rows:
        if name != section:
            print(f"-- {name}")
            section = name
        print(f"{tool:<{width}}{seconds:>9.3f}{rate / 1e6:>12.2f} M")
    print()
    civic_rate = n / civic["median"]
    civic_batch_rate = n / civic["batch_median"]
    join_rate = n / join["median"]
    print("ratios (points/s):")
    print(f"  Civic / C loop           {civic_rate / c_rate:6.2f}  (target >= 0.90: {'met' if civic_rate / c_rate >= 0.9 else 'MISSED'})")
    print(f"  Civic batches / C loop   {civic_batch_rate / c_rate:6.2f}  ({civic_batch_rate / (n / c['batch_median']):.2f} of the C loop in the same batches)")
    print(f"  Civic / pyproj           {civic_rate / py_rate:6.2f}  (batches {civic_batch_rate / py_rate:.2f})")
    parallel_rate = n / join["parallel_median"]
    print(f"  Civic / shapely          {join_rate / shapely_best[3]:6.2f}  (one thread, as shapely; fastest shapely way: "
          f"{shapely_best[1][len('shapely '):]})")
    print(f"  Civic {join['workers']} tasks / shapely  {parallel_rate / shapely_best[3]:6.2f}  (target >= 1.00: "
          f"{'met' if max(join_rate, parallel_rate) >= shapely_best[3] else 'MISSED'}; shapely's join is single-threaded)")
    with_points = n / (shapely_best[2] + make_points)
    print(f"  Civic / shapely, counting shapely.points() too  {join_rate / with_points:.2f}  "
          f"(shapely {with_points / 1e6:.2f} M points/s from x, y arrays; Civic makes its GEOS point inside each lookup)")
    print("checks:")
    print(f"  transform failures: C {c['failed']}, Civic {civic['failed']}, Civic batches {civic['batch_failed']}, non-finite {failed}")
    for name, difference in checks.items():
        print(f"  max |{name} - C loop| = {difference:.3g} deg  ({'ok' if difference < 1e-9 else 'FAILED'}: < 1e-9)")
    for name, (mismatches, multiple) in join_checks.items():
        print(f"  join mismatches Civic vs shapely {name}: {mismatches} ({'ok' if mismatches == 0 else 'FAILED'}); "
              f"points in more than one polygon: {multiple}")

    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump({"c": c, "civic_transform": civic, "civic_join": join, "rows": rows, "transform_max_difference": checks,
                   "join_mismatches": join_checks, "load": load}, f, indent=1)


if __name__ == "__main__":
    main()
