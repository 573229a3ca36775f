#!/usr/bin/env python3
"""Regenerates the PROJ reference vectors in Tests/CivicGeoTests/Fixtures/reference/ from PROJ's own
command-line tools (cs2cs, cct, projinfo, geod), and the README.md that says how.

    tools/make_reference_vectors.py           # write the fixtures
    tools/make_reference_vectors.py --check   # regenerate into a temporary folder, compare, exit 1 on any difference

Needs Debian's proj-bin (`apt-get install -y proj-bin`) and the GSI grids in grids/ (TKY2JGD.tif,
touhokutaiheiyouoki2011.tif; 出典：国土地理院). Only the Python standard library is used: every coordinate is
computed and formatted by the PROJ tools themselves (degrees with 10 decimals, metres with 4), this script only
feeds them fixed point lists, checks known values and writes the CSV files. Output is deterministic.
"""

import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRID_DIR = ROOT / "grids"
OUT_DIR = ROOT / "Tests" / "CivicGeoTests" / "Fixtures" / "reference"
TKY2JGD = "TKY2JGD.tif"
TOUHOKU = "touhokutaiheiyouoki2011.tif"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX"]

# ---------------------------------------------------------------------------------------------------------------
# Fixed point lists. Place coordinates are approximate (about ±100–300 m of the named building or feature): they
# are test inputs, not surveyed positions. The transformed values are what PROJ computes for exactly these inputs.
# ---------------------------------------------------------------------------------------------------------------

# zone -> [(name, JGD2011 latitude, longitude)], at least three points inside the zone's EPSG area of use.
# The zone's origin is added as an extra row for every zone (X = Y = 0 by definition), flagged when it lies
# outside the area of use (zones XI, XV–XIX).
PLANE_POINTS = {
    1: [("長崎市役所", "32.7503", "129.8779"), ("佐世保市役所", "33.1800", "129.7153"), ("五島市役所", "32.6953", "128.8408")],
    2: [("福岡市役所", "33.5902", "130.4017"), ("鹿児島市役所", "31.5966", "130.5571"), ("武雄市役所", "33.1939", "130.0193"),
        ("大分市役所", "33.2382", "131.6126")],
    3: [("広島市役所", "34.3853", "132.4553"), ("松江市役所", "35.4681", "133.0485"), ("山口市役所", "34.1784", "131.4737")],
    4: [("高松市役所", "34.3402", "134.0465"), ("松山市役所", "33.8392", "132.7657"), ("高知市役所", "33.5590", "133.5312")],
    5: [("神戸市役所", "34.6901", "135.1955"), ("岡山市役所", "34.6551", "133.9195"), ("たつの市役所", "34.8581", "134.5456"),
        ("笠岡市役所", "34.5072", "133.5075"), ("鳥取市役所", "35.5011", "134.2351")],
    6: [("大阪市役所", "34.6937", "135.5022"), ("京都市役所", "35.0116", "135.7681"), ("福井市役所", "36.0641", "136.2196")],
    7: [("名古屋市役所", "35.1815", "136.9066"), ("金沢市役所", "36.5611", "136.6565"), ("富山市役所", "36.6959", "137.2137")],
    8: [("新潟市役所", "37.9161", "139.0364"), ("長野市役所", "36.6485", "138.1948"), ("静岡市役所", "34.9756", "138.3827")],
    9: [("東京駅", "35.681236", "139.767125"), ("福島市役所", "37.7608", "140.4748"), ("水戸市役所", "36.3659", "140.4714")],
    10: [("仙台市役所", "38.2682", "140.8694"), ("青森市役所", "40.8246", "140.7400"), ("盛岡市役所", "39.7020", "141.1545")],
    11: [("函館市役所", "41.7688", "140.7290"), ("小樽市役所", "43.1907", "140.9946"), ("伊達市役所", "42.4718", "140.8647")],
    12: [("札幌市役所", "43.0621", "141.3544"), ("旭川市役所", "43.7706", "142.3650"), ("稚内市役所", "45.4156", "141.6731")],
    13: [("釧路市役所", "42.9849", "144.3820"), ("帯広市役所", "42.9236", "143.1966"), ("北見市役所", "43.8030", "143.8945")],
    14: [("小笠原村役場（父島）", "27.0945", "142.1917"), ("母島 沖港", "26.6405", "142.1610"), ("硫黄島", "24.7840", "141.3220")],
    15: [("那覇市役所", "26.2124", "127.6792"), ("名護市役所", "26.5917", "127.9775"), ("沖縄市役所", "26.3344", "127.8056")],
    16: [("石垣市役所", "24.3406", "124.1557"), ("宮古島市役所", "24.8055", "125.2812"), ("与那国町役場", "24.4683", "123.0045")],
    17: [("南大東村役場", "25.8289", "131.2322"), ("北大東村役場", "25.9460", "131.2993"), ("沖大東島", "24.4660", "131.1810")],
    18: [("沖ノ鳥島 北小島付近", "20.4254", "136.0810"), ("沖ノ鳥島 東小島付近", "20.4213", "136.0902"),
         ("沖ノ鳥島 環礁中央付近", "20.4240", "136.0850")],
    19: [("南鳥島 中央付近", "24.2867", "153.9807"), ("南鳥島 北西岸付近", "24.2920", "153.9760"),
         ("南鳥島 南東岸付近", "24.2820", "153.9860")],
}
# Zone origins (告示: 平面直角座標系の原点), degrees.
ORIGINS = {1: ("33", "129.5"), 2: ("33", "131"), 3: ("36", "132.1666666667"), 4: ("33", "133.5"), 5: ("36", "134.3333333333"),
           6: ("36", "136"), 7: ("36", "137.1666666667"), 8: ("36", "138.5"), 9: ("36", "139.8333333333"),
           10: ("40", "140.8333333333"), 11: ("44", "140.25"), 12: ("44", "142.25"), 13: ("44", "144.25"),
           14: ("26", "142"), 15: ("26", "127.5"), 16: ("26", "124"), 17: ("26", "131"), 18: ("20", "136"), 19: ("26", "154")}
# From platform-notes.md: 東京駅 JGD2011 → zone IX.
TOKYO_STATION_CHECK = ("-35363.2377", "-5992.9196")

# Tokyo datum (EPSG:4301) latitude, longitude. Obtained once from the places' approximate JGD2011 positions by
# the inverse grid shift, rounded to 6 decimals; from here on they are simply fixed Tokyo-datum inputs.
TOKYO_POINTS = [
    ("札幌市役所", "43.059655", "141.358088"),
    ("仙台市役所", "38.265238", "140.872795"),
    ("石巻市役所", "38.431551", "141.306332"),
    ("盛岡市役所", "39.699197", "141.158002"),
    ("新潟市役所", "37.913143", "139.039637"),
    ("東京駅", "35.677999", "139.770355"),
    ("名古屋市役所", "35.178274", "136.909555"),
    ("大阪市役所", "34.690446", "135.505010"),
    ("広島市役所", "34.382056", "132.457819"),
    ("たつの市役所", "34.854877", "134.548324"),
    ("笠岡市役所", "34.503956", "133.510121"),
    ("高松市役所", "34.336929", "134.049165"),
    ("福岡市役所", "33.586909", "130.404029"),
    ("武雄市役所", "33.190577", "130.021589"),
    ("鹿児島市役所", "31.593114", "130.559376"),
    ("那覇市役所", "26.208479", "127.681058"),
    ("石垣市役所", "24.335112", "124.155303"),
    # GSI's published TKY2JGD example (Tokyo 35°43'18.0000" 138°44'36.1809"), see GSI_LATLON_EXAMPLE.
    ("GSI TKY2JGD 例 35°43'18.0000 138°44'36.1809", "35.7216666667", "138.7433835833"),
]
# GSI's TKY2JGD documentation: Tokyo 35°43'18.0000", 138°44'36.1809" -> JGD2000 35°43'29.55634", 138°44'24.90110"
# ("results may differ by about 0.005 arc-seconds between versions of TKY2JGD.par").
GSI_LATLON_EXAMPLE = {"tokyo": (35 + 43 / 60 + 18 / 3600, 138 + 44 / 60 + 36.1809 / 3600),
                      "jgd2000": (35 + 43 / 60 + 29.55634 / 3600, 138 + 44 / 60 + 24.90110 / 3600)}
# GSI's example for plane rectangular zone VIII: Tokyo X=193524.0 Y=34235.0 -> JGD2011 X=193873.2553 Y=33954.5081.
GSI_XY_EXAMPLE = {"tokyo": ("193524.0", "34235.0"), "jgd2011": ("193873.2553", "33954.5081")}

# JGD2000 (EPSG:4612) latitude, longitude in the Tōhoku correction grid's area.
TOHOKU_POINTS = [
    ("仙台市役所", "38.2682", "140.8694"),
    ("石巻市役所", "38.4345", "141.3029"),
    ("牡鹿半島 鮎川", "38.2985", "141.5110"),
    ("気仙沼市役所", "38.9081", "141.5699"),
    ("宮古市役所", "39.6414", "141.9570"),
    ("盛岡市役所", "39.7020", "141.1545"),
    ("福島市役所", "37.7608", "140.4748"),
    ("いわき市役所", "37.0505", "140.8878"),
    ("山形市役所", "38.2554", "140.3396"),
    ("秋田市役所", "39.7200", "140.1025"),
    ("青森市役所", "40.8246", "140.7400"),
    ("水戸市役所", "36.3659", "140.4714"),
    ("東京駅", "35.681236", "139.767125"),
    ("新潟市役所", "37.9161", "139.0364"),
    # Inside the grid's extent but outside the corrected prefectures: the grid holds 0 there.
    ("名古屋市役所（格子範囲内・補正なし）", "35.1815", "136.9066"),
]

# Probes for the behaviour outside the grids (Tokyo datum / JGD2000 lat, lon).
OUTSIDE_PROBES = [
    ("大阪市役所 (outside the Tōhoku grid)", "34.690446", "135.505010"),
    ("南鳥島 (outside TKY2JGD's extent)", "24.2867", "153.9807"),
    ("北緯30° 東経131° (sea, inside TKY2JGD's extent)", "30.0", "131.0"),
    ("ソウル (inside TKY2JGD's extent, no data)", "37.5665", "126.9780"),
]

# ---------------------------------------------------------------------------------------------------------------

ENV = {k: v for k, v in os.environ.items() if k not in ("PROJ_DATA", "PROJ_LIB", "PROJ_DEBUG", "PROJ_NETWORK")}
ENV.update({"LC_ALL": "C", "PROJ_NETWORK": "OFF"})


def run(args, stdin="", env=None):
    proc = subprocess.run(args, input=stdin, capture_output=True, text=True, env=env or ENV)
    return proc


def must(args, stdin="", env=None):
    proc = run(args, stdin, env)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(args)}\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def geo_pipeline(*grids):
    """Pipeline in the authority axis order (lat, lon degrees in and out), as PROJ writes EPSG:6712/6713."""
    steps = "".join(f" +step +proj=hgridshift +grids={g}" for g in grids)
    return ("+proj=pipeline +step +proj=axisswap +order=2,1 +step +proj=unitconvert +xy_in=deg +xy_out=rad"
            f"{steps} +step +proj=unitconvert +xy_in=rad +xy_out=deg +step +proj=axisswap +order=2,1")


def cct(pipeline, points, inverse=False):
    """points: [(lat, lon)] strings. Returns [(lat, lon) | error message] in the same order."""
    lines = "".join(f"{lat} {lon} p{i}\n" for i, (lat, lon) in enumerate(points))
    args = ["cct", "-d", "10", "-z", "0", "-t", "0"] + (["-I"] if inverse else []) + pipeline.split()
    out = must(args, lines).splitlines()
    results, i, pending_error = [], 0, None
    for line in out:
        if line.startswith("#"):
            pending_error = line
            continue
        if pending_error is not None and line.strip().startswith("("):
            results.append("error: " + line.strip().strip("()"))
            pending_error = None
            continue
        tok = line.split()
        assert tok[-1] == f"p{len(results)}", (line, len(results))
        results.append((tok[0], tok[1]))
    assert len(results) == len(points), (out, points)
    return results


def cs2cs(src, dst, points, fmt, env=None):
    lines = "".join(f"{a} {b}\n" for a, b in points)
    out = must(["cs2cs", "-f", fmt, src, dst], lines, env).splitlines()
    assert len(out) == len(points), out
    res = []
    for line in out:
        tok = line.split()
        if tok[0] == "*":
            sys.exit(f"cs2cs {src} {dst} failed on a point: {line}")
        res.append((tok[0], tok[1]))
    return res


def cs2cs_with_operation(src, dst, lat, lon, env=None):
    """One point through cs2cs, with the operation PROJ chose for it (PROJ_DEBUG=3 logs it)."""
    e = dict(env or ENV)
    e["PROJ_DEBUG"] = "3"
    proc = run(["cs2cs", "-f", "%.10f", src, dst], f"{lat} {lon}\n", e)
    tok = proc.stdout.split()
    ops = re.findall(r"Using coordinate operation (.+)", proc.stderr)
    return (tok[0], tok[1]), (ops[-1].strip() if ops else "?")


def geod_distance(pairs):
    """[(lat1, lon1, lat2, lon2)] -> ['metres with 4 decimals'] on GRS80 (JGD2000/JGD2011's ellipsoid)."""
    lines = "".join(f"{a} {b} {c} {d}\n" for a, b, c, d in pairs)
    out = must(["geod", "+ellps=GRS80", "-I", "-f", "%.10f", "-F", "%.4f"], lines).splitlines()
    assert len(out) == len(pairs)
    return [line.split()[-1] for line in out]


def f10(text):
    return f"{float(text):.10f}"


def nz(text):
    """'-0.0000' -> '0.0000' (same value, one spelling)."""
    return text[1:] if re.fullmatch(r"-0\.0+", text) else text


def projinfo_summary(*args):
    out = must(["projinfo", *args, "--summary"]).splitlines()
    return [line for line in out if not line.startswith("Candidate operations")]


def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_grids():
    GRID_DIR.mkdir(exist_ok=True)
    for name in (TKY2JGD, TOUHOKU, "README.md"):
        if not (GRID_DIR / name).exists():
            shared = ROOT.parent / "shared" / "grids" / name
            if not shared.exists():
                sys.exit(f"missing {GRID_DIR / name} (and no {shared} to copy it from)")
            shutil.copyfile(shared, GRID_DIR / name)


def proj_facts():
    proc = run(["projinfo"])
    banner = proc.stderr + proc.stdout
    version = re.search(r"Rel\. [^\n]+", banner).group(0).strip()
    paths = must(["projinfo", "--searchpaths"]).split()
    db = next(Path(p) / "proj.db" for p in paths if (Path(p) / "proj.db").exists())
    meta = dict(sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute("select key, value from metadata").fetchall())
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    grid_rows = con.execute(
        "select code, name, grid_name, accuracy from grid_transformation where auth_name='EPSG' and code in (6712,6713,6740) order by code").fetchall()
    alternatives = con.execute(
        "select original_grid_name, proj_grid_name from grid_alternatives where lower(original_grid_name) like '%tky%' "
        "or lower(original_grid_name) like '%touhoku%'").fetchall()
    concat = con.execute("select step_number, step_code from concatenated_operation_step where operation_auth_name='EPSG' "
                         "and operation_code=6714 order by step_number").fetchall()
    ini = (db.parent / "proj.ini").read_text() if (db.parent / "proj.ini").exists() else ""
    algo = re.search(r"^tmerc_default_algo\s*=\s*(\S+)", ini, re.M)
    return {"tmerc_algo": f"tmerc_default_algo = {algo.group(1)}" if algo else "tmerc_default_algo unset",
            "version": version, "db": db, "data_dir": db.parent, "meta": meta, "grid_rows": grid_rows,
            "alternatives": alternatives, "concat6714": concat}


# ---------------------------------------------------------------------------------------------------------------

def plane_rectangular(notes):
    header = ["zone", "epsg_jgd2011", "epsg_jgd2000", "latitude", "longitude", "x_northing", "y_easting", "name", "in_area_of_use"]
    rows, ops = [], []
    for zone in range(1, 20):
        epsg = 6668 + zone
        epsg2000 = 2442 + zone
        crs = json.loads(must(["projinfo", "-q", "-o", "PROJJSON", f"EPSG:{epsg}"]))
        assert crs["name"].endswith(f"CS {ROMAN[zone - 1]}"), crs["name"]
        name2000 = must(["projinfo", "-q", "-o", "PROJJSON", f"EPSG:{epsg2000}"])
        assert json.loads(name2000)["name"] == f"JGD2000 / Japan Plane Rectangular CS {ROMAN[zone - 1]}"
        b = crs.get("bbox") or crs["usages"][0]["bbox"]
        params = {p["name"]: p["value"] for p in crs["conversion"]["parameters"]}
        olat, olon = ORIGINS[zone]
        assert abs(float(olat) - params["Latitude of natural origin"]) < 1e-9
        assert abs(float(olon) - params["Longitude of natural origin"]) < 1e-9

        def inside(lat, lon):
            return b["south_latitude"] <= float(lat) <= b["north_latitude"] and b["west_longitude"] <= float(lon) <= b["east_longitude"]

        points = [(f"原点（第{ROMAN[zone - 1]}系）", olat, olon)] + PLANE_POINTS[zone]
        assert sum(inside(lat, lon) for _, lat, lon in PLANE_POINTS[zone]) >= 3, f"zone {zone}: fewer than 3 points in the area"
        for name, lat, lon in PLANE_POINTS[zone]:
            assert inside(lat, lon), f"zone {zone}: {name} outside the area of use {b}"
        inputs = [(f10(lat), f10(lon)) for _, lat, lon in points]
        xy = cs2cs("EPSG:6668", f"EPSG:{epsg}", inputs, "%.4f")
        # Round trip back to latitude/longitude: within 1e-9 degrees (0.1 mm).
        back = cs2cs(f"EPSG:{epsg}", "EPSG:6668", xy, "%.10f")
        for (lat, lon), (blat, blon) in zip(inputs, back):
            assert abs(float(lat) - float(blat)) < 2e-9 and abs(float(lon) - float(blon)) < 2e-9, (zone, lat, lon, blat, blon)
        # The operation's own pipeline through cct gives the same numbers; PROJ's approximate Evenden/Snyder
        # transverse Mercator (+algo=evenden_snyder) shows how far an independent implementation may drift.
        proj = " ".join(must(["projinfo", "-q", "-o", "PROJ", "-s", "EPSG:6668", "-t", f"EPSG:{epsg}"]).split())
        same = cct(proj, inputs)
        assert [(f"{float(a):.4f}", f"{float(b2):.4f}") for a, b2 in same] == [(f"{float(x):.4f}", f"{float(y):.4f}") for x, y in xy]
        approx = cct(proj.replace("+proj=tmerc", "+proj=tmerc +algo=evenden_snyder"), inputs)
        for (x, y), (ax, ay), (name, _, _) in zip(same, approx, points):
            d = max(abs(float(x) - float(ax)), abs(float(y) - float(ay)))
            if d > notes.get("tmerc_max_diff", (0.0,))[0]:
                notes["tmerc_max_diff"] = (d, zone, name)
        if not inside(olat, olon):
            notes.setdefault("origins_outside", []).append(ROMAN[zone - 1])
        for (name, lat, lon), (ilat, ilon), (x, y) in zip(points, inputs, xy):
            rows.append([zone, epsg, epsg2000, ilat, ilon, nz(x), nz(y), name, "true" if inside(lat, lon) else "false"])
            if name.startswith("原点"):
                assert nz(x) == "0.0000" and nz(y) == "0.0000", (zone, x, y)
            if name == "東京駅":
                assert (x, y) == TOKYO_STATION_CHECK, (x, y)
        summary = projinfo_summary("-s", "EPSG:6668", "-t", f"EPSG:{epsg}")
        assert len(summary) == 1, summary
        ops.append((zone, epsg, summary[0].split(", ")[0], summary[0].split(", ")[1], summary[0].split(", ")[2], proj))
    notes["plane_ops"] = ops
    notes["plane_rows"] = len(rows)
    return header, rows


def tokyo(notes):
    tky = str(GRID_DIR / TKY2JGD)
    tou = str(GRID_DIR / TOUHOKU)
    inputs = [(f10(lat), f10(lon)) for _, lat, lon in TOKYO_POINTS]
    jgd2000 = cct(geo_pipeline(tky), inputs)
    inside_touhoku = [not isinstance(r, str) for r in cct(geo_pipeline(tou), jgd2000)]
    both = cct(geo_pipeline(tky, tou), [p for p, ins in zip(inputs, inside_touhoku) if ins])
    both_iter = iter(both)
    jgd2011 = [next(both_iter) if ins else j for j, ins in zip(jgd2000, inside_touhoku)]
    # One pipeline for every point ("@grid,null": the Tōhoku grid where it has data, a null shift elsewhere) agrees.
    assert cct(geo_pipeline(tky, f"@{tou},null"), inputs) == jgd2011
    # Round trip (hgridshift's inverse is iterative).
    back = cct(geo_pipeline(tky, f"@{tou},null"), jgd2011, inverse=True)
    for (a, b), (c, d) in zip(inputs, back):
        assert abs(float(a) - float(c)) < 1e-9 and abs(float(b) - float(d)) < 1e-9, (a, b, c, d)

    notes["grid_result"] = {name: r for (name, _, _), r in zip(TOKYO_POINTS, jgd2011)}
    header = ["name", "tokyo_latitude", "tokyo_longitude", "jgd2011_latitude", "jgd2011_longitude", "operation"]
    rows = []
    for (name, _, _), (lat, lon), (jlat, jlon), ins in zip(TOKYO_POINTS, inputs, jgd2011, inside_touhoku):
        op = f"hgridshift {TKY2JGD} + hgridshift {TOUHOKU}" if ins else f"hgridshift {TKY2JGD}"
        rows.append([name, lat, lon, jlat, jlon, op])

    # The 3-parameter fallback: what cs2cs EPSG:4301 EPSG:6668 gives when PROJ finds no grid.
    hrows, diffs = [], []
    helmert = []
    for lat, lon in inputs:
        helmert.append(cs2cs_with_operation("EPSG:4301", "EPSG:6668", lat, lon))
    dist = geod_distance([(a, b, c, d) for (a, b), ((c, d), _) in zip(jgd2011, helmert)])
    # EPSG:15483 "Tokyo to JGD2000 (1)" itself (then EPSG:6698, a null transformation), by code, for every point:
    # cs2cs picks another 3-parameter operation where one with a better stated accuracy covers the point.
    p15483 = " ".join(must(["projinfo", "-q", "-k", "operation", "-o", "PROJ", "EPSG:15483"]).split())
    assert must(["projinfo", "-q", "-k", "operation", "-o", "PROJ", "EPSG:6698"]).split() == ["+proj=noop"]
    notes["p15483"] = p15483
    by_code = cct(p15483, inputs)
    dist15483 = geod_distance([(a, b, c, d) for (a, b), (c, d) in zip(jgd2011, by_code)])
    for (name, _, _), (lat, lon), ((hlat, hlon), op), d, (clat, clon), d2 in zip(TOKYO_POINTS, inputs, helmert, dist, by_code, dist15483):
        if op == "Tokyo to JGD2000 (1) + JGD2000 to JGD2011 (2)":
            assert (hlat, hlon) == (clat, clon), (name, hlat, hlon, clat, clon)
        hrows.append([name, lat, lon, hlat, hlon, op, d, clat, clon, d2])
        diffs.append((name, d))
    hheader = header + ["distance_to_grid_result_m", "epsg15483_latitude", "epsg15483_longitude", "epsg15483_distance_to_grid_result_m"]

    # Sign and size checks of the grid shift.
    total = geod_distance([(a, b, c, d) for (a, b), (c, d) in zip(inputs, jgd2000)])
    checks = []
    for (name, _, _), (lat, lon), (jlat, jlon), t, (_, d) in zip(TOKYO_POINTS, inputs, jgd2000, total, diffs):
        dlat, dlon = float(jlat) - float(lat), float(jlon) - float(lon)
        checks.append((name, f"{dlat:+.7f}", f"{dlon:+.7f}", t, d))
        if name.startswith("石垣"):
            # Sakishima: the Tokyo-datum positions there carry their own large offset, which the grid models and
            # the 3-parameter transformation does not (a few hundred metres).
            assert 100 < float(d) < 400, (name, d)
            continue
        assert 380 < float(t) < 500, (name, t)
        assert float(d) < 15, (name, d)
        if float(lon) < 136:  # western Japan: lat ≈ +0.0032°, lon ≈ −0.0026°
            assert 0.0025 < dlat < 0.0045 and -0.0035 < dlon < -0.0015, (name, dlat, dlon)
    notes["sign_checks"] = checks
    gsi = cct(geo_pipeline(tky), [(f10(str(GSI_LATLON_EXAMPLE["tokyo"][0])), f10(str(GSI_LATLON_EXAMPLE["tokyo"][1])))])[0]
    exp = GSI_LATLON_EXAMPLE["jgd2000"]
    d_gsi = geod_distance([(gsi[0], gsi[1], f"{exp[0]:.10f}", f"{exp[1]:.10f}")])[0]
    assert float(d_gsi) < 0.25, d_gsi
    notes["gsi_latlon"] = (gsi, (f"{exp[0]:.10f}", f"{exp[1]:.10f}"), d_gsi)

    # GSI's plane-rectangular example: Tokyo zone VIII (EPSG:30168) -> JGD2011 zone VIII (EPSG:6676).
    tlatlon = cs2cs("EPSG:30168", "EPSG:4301", [GSI_XY_EXAMPLE["tokyo"]], "%.12f")
    j = cct(geo_pipeline(tky, tou), tlatlon)
    xy = cs2cs("EPSG:6668", "EPSG:6676", [j[0]], "%.4f")[0]
    assert xy == GSI_XY_EXAMPLE["jgd2011"], xy
    notes["gsi_xy"] = (tlatlon[0], j[0], xy)

    # The other direction of the grid gives the opposite sign: applying it inverse moves points the wrong way.
    wrong = cct(geo_pipeline(tky), [inputs[7]], inverse=True)[0]
    notes["wrong_direction"] = (TOKYO_POINTS[7][0], inputs[7], wrong, geod_distance([(jgd2011[7][0], jgd2011[7][1], wrong[0], wrong[1])])[0])
    return header, rows, hheader, hrows


def tohoku(notes):
    tou = str(GRID_DIR / TOUHOKU)
    inputs = [(f10(lat), f10(lon)) for _, lat, lon in TOHOKU_POINTS]
    out = cct(geo_pipeline(tou), inputs)
    for (name, _, _), r in zip(TOHOKU_POINTS, out):
        assert not isinstance(r, str), (name, r)
    dist = geod_distance([(a, b, c, d) for (a, b), (c, d) in zip(inputs, out)])
    header = ["name", "jgd2000_latitude", "jgd2000_longitude", "jgd2011_latitude", "jgd2011_longitude", "shift_m", "operation"]
    rows = [[name, a, b, c, d, s, f"hgridshift {TOUHOKU}"] for (name, _, _), (a, b), (c, d), s in zip(TOHOKU_POINTS, inputs, out, dist)]
    shifts = {r[0]: float(r[5]) for r in rows}
    assert 4 < shifts["牡鹿半島 鮎川"] < 7, shifts
    assert shifts["名古屋市役所（格子範囲内・補正なし）"] == 0.0, shifts
    notes["tohoku_max"] = max(shifts.items(), key=lambda kv: kv[1])
    return header, rows


def probes(notes, facts):
    """What PROJ does outside the grids, and whether proj.db's operations pick the grids up on the search path."""
    tky = str(GRID_DIR / TKY2JGD)
    tou = str(GRID_DIR / TOUHOKU)
    pts = [(f10(lat), f10(lon)) for _, lat, lon in OUTSIDE_PROBES]
    res = {}
    for label, pipe in [("TKY2JGD", geo_pipeline(tky)), ("touhoku", geo_pipeline(tou)), ("@touhoku", geo_pipeline("@" + tou)),
                        ("@touhoku,null", geo_pipeline(f"@{tou},null")), ("@missing", geo_pipeline("@/nonexistent/grid.tif"))]:
        res[label] = cct(pipe, pts)
    notes["probes"] = res

    # proj.db names the grids tky2jgd.gsb / touhokutaiheiyouoki2011.gsb (EPSG:6712/6713/6740) and has no
    # grid_alternatives rows for them. Test the shipped names and renamed copies on PROJ_DATA.
    sysdata = str(facts["data_dir"])
    auto = {}
    with tempfile.TemporaryDirectory() as tmp:
        renamed = Path(tmp) / "renamed"
        renamed.mkdir()
        shutil.copyfile(tky, renamed / "tky2jgd.gsb")
        shutil.copyfile(tou, renamed / "touhokutaiheiyouoki2011.gsb")
        for label, folder in [("grids/ as shipped", str(GRID_DIR)), ("copies renamed to proj.db's names", str(renamed))]:
            env = dict(ENV)
            env["PROJ_DATA"] = f"{folder}:{sysdata}"
            s = [line for line in must(["projinfo", "-s", "EPSG:4301", "-t", "EPSG:6668", "--grid-check", "known_available",
                                        "--spatial-test", "intersects", "--summary"], env=env).splitlines()
                 if not line.startswith("Candidate")]
            s = [re.sub(r", (Japan|Republic|World).*$", "", line) for line in s]
            per_point = []
            for name, lat, lon in [("大阪市役所", "34.690446", "135.505010"), ("石巻市役所", "38.431551", "141.306332"),
                                   ("南鳥島", "24.2867", "153.9807"), ("北緯30° 東経131°（海上）", "30.0", "131.0")]:
                (a, b), op = cs2cs_with_operation("EPSG:4301", "EPSG:6668", f10(lat), f10(lon), env)
                (c, d), op1 = cs2cs_with_operation("EPSG:4301", "EPSG:4612", f10(lat), f10(lon), env)
                (e, f), op2 = cs2cs_with_operation("EPSG:4612", "EPSG:6668", c, d, env)
                per_point.append((name, f10(lat), f10(lon), a, b, op, e, f, f"{op1}; {op2}"))
            s2 = []
            for src, dst in (("EPSG:4301", "EPSG:4612"), ("EPSG:4612", "EPSG:6668")):
                s2.append(f"# {src} -> {dst}")
                s2 += [re.sub(r", (Japan|Republic|World).*$", "", line) for line in must(
                    ["projinfo", "-s", src, "-t", dst, "--grid-check", "known_available", "--spatial-test",
                     "intersects", "--summary"], env=env).splitlines() if not line.startswith("Candidate")]
            auto[label] = (s, per_point, s2)
            if folder != str(GRID_DIR):
                ishinomaki = next(r for r in per_point if r[0] == "石巻市役所")
                expected = notes["grid_result"]["石巻市役所"]  # (10-decimal rounding between the two cs2cs calls)
                assert all(abs(float(u) - float(v)) < 1e-9 for u, v in zip(ishinomaki[6:8], expected)), ishinomaki
        # An auxiliary database with grid_alternatives rows mapping proj.db's names to the shipped files.
        aux = Path(tmp) / "aux.db"
        src = sqlite3.connect(f"file:{facts['db']}?mode=ro", uri=True)
        dst = sqlite3.connect(aux)
        for (sql,) in src.execute("select sql from sqlite_master where type in ('table', 'view') and sql is not null "
                                  "and name not like 'sqlite_%' order by type = 'view', rowid"):
            dst.execute(sql)
        dst.executemany("insert into metadata values (?, ?)",
                        src.execute("select key, value from metadata where key like 'DATABASE.LAYOUT.VERSION.%'").fetchall())
        dst.executemany("insert into grid_alternatives (original_grid_name, proj_grid_name, proj_grid_format, proj_method, "
                        "inverse_direction, direct_download, open_license) values (?, ?, 'GTiff', 'hgridshift', 0, 0, 1)",
                        [("tky2jgd.gsb", TKY2JGD), ("touhokutaiheiyouoki2011.gsb", TOUHOKU)])
        dst.commit()
        dst.close()
        env = dict(ENV)
        env["PROJ_DATA"] = f"{GRID_DIR}:{sysdata}"
        notes["aux"] = [re.sub(r", (Japan|Republic|World).*$", "", line) for line in must(
            ["projinfo", "--aux-db-path", str(aux), "-s", "EPSG:4301", "-t", "EPSG:6668", "--grid-check", "known_available",
             "--spatial-test", "intersects", "--summary"], env=env).splitlines() if not line.startswith("Candidate")]
        notes["aux_pipeline"] = " ".join(must(
            ["projinfo", "-q", "--aux-db-path", str(aux), "-o", "PROJ", "-k", "operation", "EPSG:6714"], env=env).split())
    notes["auto"] = auto


# ---------------------------------------------------------------------------------------------------------------

def readme(facts, notes):
    m = facts["meta"]
    tky, tou = GRID_DIR / TKY2JGD, GRID_DIR / TOUHOKU
    L = []
    a = L.append
    a("# PROJ reference vectors")
    a("")
    a("Test data for CivicGeo computed with PROJ's own command-line tools (`cs2cs`, `cct`, `projinfo`, `geod`). Every")
    a("file here is written by `tools/make_reference_vectors.py` (this README too); do not edit by hand. Regenerate with")
    a("`python3 tools/make_reference_vectors.py`, verify with `python3 tools/make_reference_vectors.py --check` (needs")
    a("`apt-get install -y proj-bin` and the grids in `grids/`). Formatting: degrees with 10 decimals, metres with 4, as")
    a("printed by PROJ (`cs2cs -f %.10f` / `-f %.4f`, `cct -d 10`, `geod -F %.4f`); inputs are written with the same")
    a("10 decimals that were fed to PROJ.")
    a("")
    a("## Environment")
    a("")
    a(f"- PROJ: `{facts['version']}` (first line `projinfo` prints; Debian 12 `proj-bin` 9.1.1).")
    a(f"- proj.db: EPSG `{m.get('EPSG.VERSION')}` ({m.get('EPSG.DATE')}), `PROJ.VERSION` {m.get('PROJ.VERSION')}, "
      f"`PROJ_DATA.VERSION` {m.get('PROJ_DATA.VERSION')}.")
    a("- Run with `PROJ_NETWORK=OFF`, `PROJ_DATA`/`PROJ_LIB` unset, `LC_ALL=C`. The grids are referenced by absolute path in")
    a("  the pipelines, never through the search path.")
    a(f"- Grids (`grids/`, 出典：国土地理院): `{TKY2JGD}` sha256 `{sha256(tky)}`; `{TOUHOKU}` sha256 `{sha256(tou)}`.")
    a("- One-off cross-checks, not rerun by the script: pyproj 3.7.2 (PROJ 9.5.1) reproduces every CSV value here (plane")
    a("  rectangular within 5e-5 m, i.e. the rounding; degrees within 5e-11, including cs2cs's choice of operation per")
    a("  point); a small C program calling `proj_context_set_search_paths` + `proj_create_crs_to_crs(EPSG:4301,")
    a("  EPSG:6668)` + `proj_trans_get_last_used_operation` on the system libproj 9.1.1 chose the same operations and")
    a("  gave the same numbers as cs2cs with `PROJ_DATA` in the section on automatic selection below.")
    a("")
    a("## Files")
    a("")
    a("### plane_rectangular.csv")
    a("")
    a("JGD2011 geographic (EPSG:6668, latitude, longitude) → JGD2011 / Japan Plane Rectangular CS I–XIX (EPSG:6669–6687;")
    a("X = northing, Y = easting), in the authority axis order:")
    a("")
    a("```sh")
    a("printf '%s %s\\n' LAT LON | cs2cs -f %.4f EPSG:6668 EPSG:66xx      # prints X Y")
    a("```")
    a("")
    a(f"{notes['plane_rows']} rows. Every zone has its origin (X = Y = 0.0000 exactly; `in_area_of_use=false` where the origin")
    a("lies outside the EPSG area of use: zones " + ", ".join(notes["origins_outside"]) + ") and at least three places inside the zone's")
    a("area of use (checked against the bbox `projinfo -o PROJJSON EPSG:66xx` prints). `epsg_jgd2000` is the JGD2000 CRS")
    a("with the same projection (EPSG:2443–2461): the same numbers apply to JGD2000 latitude/longitude. Place")
    a("coordinates are approximate (±100–300 m of the named building): they are inputs, not surveyed positions.")
    a("")
    a("Checks made by the script: 東京駅 (35.681236, 139.767125) → X −35363.2377, Y −5992.9196 in zone IX (platform")
    a("notes); every row converts back (`cs2cs EPSG:66xx EPSG:6668`) to within 2e-9°; `cct` with the operation's pipeline")
    a(f"prints the same. PROJ's transverse Mercator here is Poder/Engsager (`{facts['tmerc_algo']}` in proj.ini); its")
    d, z, n = notes["tmerc_max_diff"]
    a(f"approximate Evenden/Snyder algorithm (`+algo=evenden_snyder`) differs by at most {d * 1000:.4f} mm on these rows (zone")
    a(f"{ROMAN[z - 1]}, {n}). Compare with a tolerance (1 mm), not digit for digit: the 4th decimal is PROJ's rounding.")
    a("")
    a("Operation PROJ uses (`projinfo -s EPSG:6668 -t EPSG:66xx --summary`, one candidate each; all are conversions,")
    a("stated accuracy 0 m):")
    a("")
    a("| zone | target | operation | accuracy | PROJ pipeline |")
    a("|---|---|---|---|---|")
    for zone, epsg, opid, opname, acc, proj in notes["plane_ops"]:
        a(f"| {ROMAN[zone - 1]} | EPSG:{epsg} | {opid} {opname} | {acc} | `{proj}` |")
    a("")
    a("### tokyo_to_jgd2011.csv")
    a("")
    a("Tokyo datum (EPSG:4301, Bessel) latitude/longitude → JGD2011 (EPSG:6668) with the GSI grids, through `cct` and an")
    a("explicit pipeline (cs2cs 9.1 does not take a pipeline string):")
    a("")
    a("```sh")
    a("# every point: TKY2JGD (Tokyo -> JGD2000, as EPSG:6712)")
    a(f"cct -d 10 -z 0 -t 0 {geo_pipeline('$PWD/grids/' + TKY2JGD)}")
    a("# points inside the Tōhoku grid's extent (found by running the Tōhoku pipeline alone: error = outside):")
    a("# TKY2JGD then touhokutaiheiyouoki2011 (JGD2000 -> JGD2011, as EPSG:6713); elsewhere JGD2000 = JGD2011")
    a(f"cct -d 10 -z 0 -t 0 {geo_pipeline('$PWD/grids/' + TKY2JGD, '$PWD/grids/' + TOUHOKU)}")
    a("```")
    a("")
    a("`operation` names the grid steps applied. Checked by the script: the single pipeline with")
    a(f"`+grids=@$PWD/grids/{TOUHOKU},null` as the second step gives identical output for every row, and the inverse")
    a("(`cct -I`) returns every input to within 1e-9°.")
    a("")
    a("Tokyo-datum inputs are the places' approximate JGD2011 positions shifted back once and rounded to 6 decimals;")
    a("the last row is GSI's published TKY2JGD example.")
    a("")
    a("### tokyo_to_jgd2011_helmert.csv")
    a("")
    a("The same inputs through what PROJ does when it finds no grid:")
    a("")
    a("```sh")
    a("printf '%s %s\\n' LAT LON | PROJ_DEBUG=3 cs2cs -f %.10f EPSG:4301 EPSG:6668   # one point per call; the log line")
    a("                                                                          # 'Using coordinate operation ...' gives the operation")
    a("```")
    a("")
    a("`operation` is the operation PROJ logged for that point; `distance_to_grid_result_m` is the GRS80 geodesic distance")
    a("(`geod +ellps=GRS80 -I`) to the grid result in tokyo_to_jgd2011.csv. `proj_trans` takes, per point, the candidate")
    a("with the best stated accuracy whose bbox holds the point, so in northern Kyushu (福岡, 武雄) cs2cs uses \"Tokyo to")
    a("WGS 84 (5)\" — South Korea's 3-parameter set, 5 m, whose bbox reaches Kyushu — not EPSG:15483. The `epsg15483_*`")
    a("columns are EPSG:15483 \"Tokyo to JGD2000 (1)\" (9 m) by code for every point, followed by EPSG:6698 (JGD2000 to")
    a("JGD2011 (2), `+proj=noop`, 1 m):")
    a("")
    a("```sh")
    a("projinfo -q -k operation -o PROJ EPSG:15483     # the pipeline below")
    a(f"cct -d 10 -z 0 -t 0 {notes['p15483']}")
    a("```")
    a("")
    a("Where cs2cs did use the 15483 chain the two agree exactly (checked).")
    a("")
    a("### jgd2000_to_jgd2011_tohoku.csv")
    a("")
    a("JGD2000 (EPSG:4612) → JGD2011 (EPSG:6668) with the Tōhoku correction grid; `shift_m` is the GRS80 geodesic distance")
    a("between input and output (`geod +ellps=GRS80 -I -f %.10f -F %.4f`).")
    a("")
    a("```sh")
    a(f"cct -d 10 -z 0 -t 0 {geo_pipeline('$PWD/grids/' + TOUHOKU)}")
    a("```")
    a("")
    name, mx = notes["tohoku_max"]
    a(f"Largest shift: {name} {mx:.4f} m (Oshika peninsula, nearest the 2011 epicentre). 名古屋 is inside the grid's")
    a("extent but outside the corrected prefectures: the grid holds 0 there (shift 0.0000 m).")
    a("")
    a("## Operations in proj.db and their stated accuracies")
    a("")
    a("`projinfo -s EPSG:4301 -t EPSG:6668 --spatial-test intersects --summary` (grids not installed, so the grid")
    a("operations are listed but unusable):")
    a("")
    a("```")
    a("\n".join(projinfo_summary("-s", "EPSG:4301", "-t", "EPSG:6668", "--spatial-test", "intersects")))
    a("```")
    a("")
    a("`projinfo -s EPSG:4301 -t EPSG:6668 --grid-check discard_missing --spatial-test intersects --summary` (what")
    a("`proj_create_crs_to_crs` and cs2cs really use here):")
    a("")
    a("```")
    a("\n".join(projinfo_summary("-s", "EPSG:4301", "-t", "EPSG:6668", "--grid-check", "discard_missing", "--spatial-test", "intersects")))
    a("```")
    a("")
    a("`projinfo -s EPSG:4612 -t EPSG:6668 --spatial-test intersects --summary`:")
    a("")
    a("```")
    a("\n".join(projinfo_summary("-s", "EPSG:4612", "-t", "EPSG:6668", "--spatial-test", "intersects")))
    a("```")
    a("")
    a("From proj.db (`grid_transformation`): " + "; ".join(f"EPSG:{c} {n}, grid `{g}`, {acc} m" for c, n, g, acc in facts["grid_rows"])
      + ". EPSG:6714 \"Tokyo to JGD2011 (1)\" (0.3 m) is the concatenation of steps "
      + " + ".join(f"EPSG:{c}" for _, c in facts["concat6714"]) + ". `grid_alternatives` has "
      + ("no row" if not facts["alternatives"] else str(facts["alternatives"])) + " for these grids (so PROJ looks for files named"
      " exactly `tky2jgd.gsb` and `touhokutaiheiyouoki2011.gsb`; the PROJ CDN does not carry them).")
    a("")
    a("## Grid direction and sign")
    a("")
    a("TKY2JGD is applied forward for Tokyo → JGD2000 (`+proj=hgridshift` adds the grid's offsets; band 2 is")
    a("`positive_value=east`). Shift per point (JGD2000 − Tokyo, degrees), total shift, and the distance between the")
    a("grid result and the 3-parameter result:")
    a("")
    a("| point | Δlat ° | Δlon ° | total shift m | grid vs cs2cs without grids m |")
    a("|---|---|---|---|---|")
    for row in notes["sign_checks"]:
        a("| " + " | ".join(row) + " |")
    a("")
    a("- Western Japan: latitude grows by ~0.0032° and longitude falls by ~0.0026–0.0028° (≈430–460 m to the north-west),")
    a("  as expected; the grid and the 3-parameter result agree within 0.4–15 m on the mainland and Okinawa (asserted < 15 m).")
    a("- 石垣 (Sakishima islands) is the exception: there the grid's longitude offset is positive (+1.43\") and the")
    a("  3-parameter transformation is a few hundred metres off. The grid is smooth around the point (not an edge or")
    a("  no-data artefact); the old Tokyo-datum positions of the Sakishima islands carry their own offset.")
    g, exp, d = notes["gsi_latlon"]
    a(f"- GSI's own TKY2JGD example (Tokyo 35°43'18.0000\" 138°44'36.1809\" → JGD2000 35°43'29.55634\" 138°44'24.90110\"):")
    a(f"  the grid gives {g[0]}, {g[1]} vs GSI {exp[0]}, {exp[1]}, {d} m apart (GSI notes results vary by ~0.005\"")
    a("  between versions of TKY2JGD.par).")
    t, j, xy = notes["gsi_xy"]
    a(f"- GSI's plane-rectangular example (Tokyo zone VIII X=193524.0 Y=34235.0 → JGD2011 X=193873.2553 Y=33954.5081) is")
    a(f"  reproduced exactly: `cs2cs EPSG:30168 EPSG:4301` → {t[0]}, {t[1]}; TKY2JGD + touhokutaiheiyouoki2011 →")
    a(f"  {j[0]}, {j[1]}; `cs2cs EPSG:6668 EPSG:6676` → X {xy[0]}, Y {xy[1]}. This confirms both grids' direction, their")
    a("  node registration (the GeoTIFFs are AREA_OR_POINT=Point) and the bilinear interpolation.")
    nm, inp, wrong, dd = notes["wrong_direction"]
    a(f"- Applied the wrong way (`cct -I` on Tokyo input), {nm} lands at {wrong[0]}, {wrong[1]}: {dd} m from the right")
    a("  answer. A sign error is never subtle.")
    a("")
    a("## Outside the grids")
    a("")
    a("`cct` with the pipelines above (Tokyo-datum or JGD2000 input):")
    a("")
    a("| point | TKY2JGD | touhoku | `@touhoku` | `@touhoku,null` | `@/nonexistent/grid.tif` |")
    a("|---|---|---|---|---|---|")
    for i, (name, lat, lon) in enumerate(OUTSIDE_PROBES):
        cells = []
        for key in ("TKY2JGD", "touhoku", "@touhoku", "@touhoku,null", "@missing"):
            r = notes["probes"][key][i]
            cells.append(r if isinstance(r, str) else f"{r[0]}, {r[1]}")
        a(f"| {name} ({f10(lat)}, {f10(lon)}) | " + " | ".join(cells) + " |")
    a("")
    a("- A point outside a grid file's extent is an error (`Coordinate to transform falls outside grid`; `proj_trans`")
    a("  returns HUGE_VAL and sets the error number). A leading `@` only makes a *missing file* optional: with the file")
    a("  present, an out-of-extent point is still an error. With every grid optional and missing, `hgridshift` is a")
    a("  silent no-op. `null` is a built-in grid of zero shift covering the world (no file needed), so")
    a("  `+grids=@touhokutaiheiyouoki2011.tif,null` means \"the Tōhoku correction where the grid has it, JGD2000 = JGD2011")
    a("  elsewhere\".")
    a("- Inside the extent, cells without GSI data hold 0, not no-data: the sea south of Kyushu and Seoul pass through")
    a("  TKY2JGD **unchanged, with no error** (~430 m wrong for a Tokyo-datum point). The Tōhoku grid's 0 outside the")
    a("  corrected prefectures is correct (JGD2000 = JGD2011 there); TKY2JGD's 0 is not. A caller that needs to refuse")
    a("  such points must test for a zero TKY2JGD shift itself.")
    a("")
    a("## Does PROJ pick the grids up by itself?")
    a("")
    a("With the grid folder first on `PROJ_DATA` (same as `proj_context_set_search_paths`), `projinfo -s EPSG:4301 -t")
    a("EPSG:6668 --grid-check known_available --spatial-test intersects --summary`, then per point `cs2cs EPSG:4301")
    a("EPSG:6668` with `PROJ_DEBUG=3` (the operation `proj_create_crs_to_crs`/`proj_trans` chose):")
    a("")
    for label, (s, per_point, s2) in notes["auto"].items():
        a(f"**{label}**")
        a("")
        a("```")
        a("\n".join(s))
        a("```")
        a("")
        a("| point (Tokyo datum) | 4301 → 6668 | operation used | 4301 → 4612 → 6668 (two cs2cs) | operations used |")
        a("|---|---|---|---|---|")
        for name, lat, lon, x, y, op, x2, y2, op2 in per_point:
            a(f"| {name} ({lat}, {lon}) | {x}, {y} | {op} | {x2}, {y2} | {op2} |")
        a("")
        a("Other steps' candidates (same `projinfo` options):")
        a("")
        a("```")
        a("\n".join(s2))
        a("```")
        a("")
    a("Findings:")
    a("")
    a("- As shipped (`TKY2JGD.tif`, `touhokutaiheiyouoki2011.tif`) the grids are **not** used: proj.db asks for")
    a("  `tky2jgd.gsb` and `touhokutaiheiyouoki2011.gsb` and has no `grid_alternatives` mapping, so")
    a("  `proj_create_crs_to_crs(4301 → 6668)` stays on the 3-parameter Helmert (10 m) whatever the search path.")
    a("- Copies named exactly `tky2jgd.gsb` / `touhokutaiheiyouoki2011.gsb` (GeoTIFF content; PROJ detects the format")
    a("  from the file, not the extension) **are** found, but then:")
    a("  - for Tokyo → JGD2011, `proj_trans` picks per point the candidate with the best stated accuracy whose bbox")
    a("    contains the point: EPSG:6740 (0.2 m, TKY2JGD only) wins over EPSG:6714 (0.3 m, TKY2JGD + Tōhoku)")
    a("    everywhere, because 6740's bbox is all of Japan (its \"excluding northern Honshu\" exists only in words). The")
    a("    Tōhoku correction is silently skipped (石巻 above vs tokyo_to_jgd2011.csv: ~5 m).")
    a("  - the Helmert candidates drop out of the list; a point outside the grid (南鳥島) falls to the \"Ballpark")
    a("    geographic offset\" (no shift at all, ~430 m wrong) without an error, and sea cells pass unchanged as above.")
    a("  - EPSG:4301 → 4612 (6712, with Helmert 15483 kept as the fallback outside the grid) and EPSG:4612 → 6668 (6713")
    a("    in northern Honshu, the null 6698 elsewhere) each select as intended, so two steps 4301 → 4612 → 6668 give")
    a("    the grid results of tokyo_to_jgd2011.csv with renamed files (石巻 above) — still with TKY2JGD's zero sea")
    a("    cells passing points unchanged.")
    a("- An auxiliary database (`proj_context_set_database_path(ctx, nil, [aux.db], nil)`; here `projinfo --aux-db-path`)")
    a("  with proj.db's table layout and two `grid_alternatives` rows, `tky2jgd.gsb → TKY2JGD.tif` and")
    a("  `touhokutaiheiyouoki2011.gsb → touhokutaiheiyouoki2011.tif`, makes PROJ find the files under their shipped names")
    a("  (grid folder on `PROJ_DATA`), with the same candidate list and so the same selection problems:")
    a("")
    a("```")
    a("\n".join(notes["aux"]))
    a("# EPSG:6714 with the aux db:")
    a(notes["aux_pipeline"])
    a("```")
    a("")
    a("- So: explicit pipelines (as in these fixtures), composed per datum step and with the out-of-extent and zero-cell")
    a("  cases handled by the caller, are the predictable choice on PROJ 9.1.")
    a("")
    a("## Licence and attribution")
    a("")
    a("`TKY2JGD.tif` (GSI TKY2JGD.par Ver.2.1.2) and `touhokutaiheiyouoki2011.tif` (GSI coordinate-correction")
    a("parameters, version 4.0.0) are the Geospatial Information Authority of Japan's parameters converted to GeoTIFF")
    a("grids (public repository tohka/JapanGridShift, GTG_files/). GSI website terms of use, compatible with CC BY 4.0;")
    a("attribution required: 「出典：国土地理院」. The values in tokyo_to_jgd2011.csv and jgd2000_to_jgd2011_tohoku.csv")
    a("are derived from them: 出典：国土地理院（TKY2JGD、座標補正パラメータ touhokutaiheiyouoki2011）を加工して作成.")
    a("")
    return "\n".join(L)


def generate(out_dir):
    ensure_grids()
    for tool in ("cs2cs", "cct", "projinfo", "geod"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found: apt-get install -y proj-bin")
    facts = proj_facts()
    if "9.1.1" not in facts["version"]:
        print(f"warning: PROJ {facts['version']}; the committed fixtures were made with 9.1.1", file=sys.stderr)
    notes = {}
    out_dir.mkdir(parents=True, exist_ok=True)
    header, rows = plane_rectangular(notes)
    write_csv(out_dir / "plane_rectangular.csv", header, rows)
    header, rows, hheader, hrows = tokyo(notes)
    write_csv(out_dir / "tokyo_to_jgd2011.csv", header, rows)
    write_csv(out_dir / "tokyo_to_jgd2011_helmert.csv", hheader, hrows)
    header, rows = tohoku(notes)
    write_csv(out_dir / "jgd2000_to_jgd2011_tohoku.csv", header, rows)
    probes(notes, facts)
    (out_dir / "README.md").write_text(readme(facts, notes), encoding="utf-8")


FILES = ["plane_rectangular.csv", "tokyo_to_jgd2011.csv", "tokyo_to_jgd2011_helmert.csv", "jgd2000_to_jgd2011_tohoku.csv", "README.md"]


def main():
    if sys.argv[1:] == ["--check"]:
        with tempfile.TemporaryDirectory() as tmp:
            generate(Path(tmp))
            bad = [f for f in FILES if not (OUT_DIR / f).exists() or (OUT_DIR / f).read_bytes() != (Path(tmp) / f).read_bytes()]
        if bad:
            sys.exit("reference vectors differ from what PROJ computes now: " + ", ".join(bad))
        print("reference vectors: all files match")
    elif sys.argv[1:]:
        sys.exit(__doc__)
    else:
        generate(OUT_DIR)
        print(f"wrote {', '.join(FILES)} in {OUT_DIR.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
