"""The vector tiles decoded by the reference Python decoder (PyPI `mapbox-vector-tile`) and by GDAL's MVT driver
(pyogrio's bundled GDAL): at the highest zoom each tile holds exactly the features whose point lies in the tile and
its buffer, with the items' attributes (numbers as numbers); every tile of the merged collection at zoom 10 too; the
TileJSON document points at tiles that answer; polygons (都島区's 町丁目, through `civic tiles`) valid after decoding
and exactly those meeting each tile; `civic tiles`' archives read by the PyPI `pmtiles` reader.

Run by integration/clients/run.sh.
"""

import json
import math
import os
import urllib.request

import mapbox_vector_tile
import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
EXTENT, BUFFER = 4096, 64


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=30) as response:
        return response.read(), response.headers


def features(collection):
    body, _ = get(f"/collections/{collection}/items?limit=10000")
    return [f for f in json.loads(body)["features"] if f["geometry"] and f["geometry"]["type"] == "Point"]


def tile_units(lon, lat, z, x, y):
    """A point's position in tile (z, x, y) units, y down."""
    n = 2**z
    s = math.sin(math.radians(max(min(lat, 85.0511287798066), -85.0511287798066)))
    wx = (lon + 180) / 360 * n * EXTENT
    wy = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n * EXTENT
    return wx - x * EXTENT, wy - y * EXTENT


@pytest.mark.parametrize("collection,zoom", [("yaizu-aed", 16), ("ichikawa-public-facility", 16), ("aed", 10)])
def test_each_tile_holds_exactly_its_points(collection, zoom):
    points = features(collection)
    tiles = {}
    for f in points:
        lon, lat = f["geometry"]["coordinates"]
        u, v = tile_units(lon, lat, zoom, 0, 0)
        tiles.setdefault((int(u // EXTENT), int(v // EXTENT)), None)
    checked = 0
    for x, y in tiles:
        body, headers = get(f"/collections/{collection}/tiles/WebMercatorQuad/{zoom}/{y}/{x}")
        assert headers["Content-Type"] == "application/vnd.mapbox-vector-tile"
        layer = mapbox_vector_tile.decode(body, default_options={"y_coord_down": True}).get(collection, {"features": []})
        assert layer.get("extent", EXTENT) == EXTENT
        got = {f["properties"]["id"]: f for f in layer["features"]}
        expected = {}
        for f in points:
            u, v = tile_units(*f["geometry"]["coordinates"], zoom, x, y)
            if -BUFFER <= u <= EXTENT + BUFFER and -BUFFER <= v <= EXTENT + BUFFER:
                expected[f["id"]] = (f, u, v)
        # Exactly those (points exactly on the buffer's edge may round either way: none in these files).
        assert set(got) == set(expected), (x, y)
        for key, (feature, u, v) in expected.items():
            decoded = got[key]
            assert decoded["geometry"]["type"] == "Point"
            px, py = decoded["geometry"]["coordinates"]
            # Rounded to the grid, from the stored coordinates (the items round them to 1e-7°: ~0.07 units at zoom 16).
            assert abs(px - u) <= 0.6 and abs(py - v) <= 0.6
            for name, value in feature["properties"].items():
                if value is None or value == "":
                    assert name not in decoded["properties"]
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    assert decoded["properties"][name] == pytest.approx(value), name
                else:
                    assert decoded["properties"][name] == value, name
            checked += 1
    assert checked >= len(points)


def test_tilejson_points_at_tiles_gdal_reads():
    body, _ = get("/collections/yaizu-aed/tiles/WebMercatorQuad?f=tilejson")
    tilejson = json.loads(body)
    assert tilejson["tilejson"] == "3.0.0" and tilejson["vector_layers"][0]["id"] == "yaizu-aed"
    f = features("yaizu-aed")[0]
    lon, lat = f["geometry"]["coordinates"]
    u, v = tile_units(lon, lat, 14, 0, 0)
    url = tilejson["tiles"][0].replace("{z}", "14").replace("{x}", str(int(u // EXTENT))).replace("{y}", str(int(v // EXTENT)))
    with urllib.request.urlopen(url, timeout=30) as response:
        assert "immutable" in response.headers["Cache-Control"]
        data = response.read()
    # GDAL's MVT driver (pyogrio's GDAL) reads the same tile.
    import pyogrio

    path = os.path.join(os.environ.get("CIVIC_CLIENT_LOGS", "/tmp"), "tile.mvt")
    with open(path, "wb") as out:
        out.write(data)
    info = pyogrio.read_info(f"MVT:{path}", layer="yaizu-aed")
    assert info["features"] >= 1 and "名称" in list(info["fields"])
    meta, _, _, fields = pyogrio.raw.read(f"MVT:{path}", layer="yaizu-aed")
    ids = set(fields[list(meta["fields"]).index("id")])
    assert f["id"] in ids


def test_civic_tiles_archive_reads_with_pmtiles(tmp_path):
    """`civic tiles` of a bundled file: the PyPI `pmtiles` reader opens the archive, its header and metadata say what
    it holds, and each tile decodes to the points it covers (every point at zoom 14, with its attributes)."""
    import gzip
    import subprocess

    from pmtiles.reader import MmapSource, Reader

    archive = tmp_path / "aed.pmtiles"
    result = subprocess.run(
        [os.environ["CIVIC_BIN"], "tiles", "datasets/yaizu-aed/data.csv", "-o", str(archive), "--max-zoom", "14"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    # The file's own records (not the served collection, which other checks write to: schemathesis with a token).
    import csv
    import unicodedata

    with open("datasets/yaizu-aed/data.csv", encoding="utf-8", newline="") as source:
        served = [
            # The 2019 layout's NO is the standard's ID (the tiles carry the normalised record).
            # and its names written as the standard asks (full-width katakana …): compared in NFKC.
            {"id": row["NO"], "properties": {"ID": row["NO"], "名称": unicodedata.normalize("NFKC", row["名称"])},
             "geometry": {"coordinates": [float(row["経度"]), float(row["緯度"])]}}
            for row in csv.DictReader(source) if row["緯度"] and row["経度"]
        ]
    with open(archive, "rb") as handle:
        reader = Reader(MmapSource(handle))
        header = reader.header()
        assert header["min_zoom"] == 0 and header["max_zoom"] == 14 and header["clustered"]
        metadata = reader.metadata()
        assert metadata["vector_layers"][0]["id"] == "data"
        whole = mapbox_vector_tile.decode(gzip.decompress(reader.get(0, 0, 0)))["data"]["features"]
        assert len(whole) == len(served) == 82
        seen = set()
        for feature in served:
            lon, lat = feature["geometry"]["coordinates"]
            u, v = tile_units(lon, lat, 14, 0, 0)
            x, y = int(u // EXTENT), int(v // EXTENT)
            tile = mapbox_vector_tile.decode(gzip.decompress(reader.get(14, x, y)))["data"]["features"]
            match = [f for f in tile if f["properties"]["ID"] == feature["properties"]["ID"]]
            assert match and unicodedata.normalize("NFKC", match[0]["properties"]["名称"]) == feature["properties"]["名称"]
            seen.add(feature["id"])
        assert len(seen) == len(served)


def test_polygon_tiles_are_valid_and_hold_exactly_the_shapes_meeting_them(tmp_path):
    """大阪市都島区's 47 町丁目 polygons (the tests' GeoJSON fixture) tiled by `civic tiles` (the server's TileMaker),
    zooms 12–16: every decoded polygon is valid (shapely) with area, and each tile holds exactly the shapes that meet
    it and its 64-unit buffer — a shape left out only when its part there is thinner than a tile unit (it collapses
    on the integer grid) — with their attributes; no tile that should hold a shape is missing."""
    import gzip
    import subprocess

    import shapely
    from pmtiles.reader import MmapSource, Reader, all_tiles
    from shapely.geometry import box, shape

    fixture = "Tests/CivicIngestTests/Fixtures/miyakojima.json"
    with open(fixture, encoding="utf-8") as handle:
        source = json.load(handle)["features"]
    shapes = {f["properties"]["KEY_CODE"]: (shape(f["geometry"]), f["properties"]) for f in source}
    assert len(shapes) == len(source) == 47
    archive = tmp_path / "miyakojima.pmtiles"
    result = subprocess.run(
        [os.environ["CIVIC_BIN"], "tiles", fixture, "-o", str(archive), "--min-zoom", "12", "--max-zoom", "16"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr

    def in_tile_units(geometry, z, x, y):
        return shapely.transform(geometry, lambda points: [tile_units(lon, lat, z, x, y) for lon, lat in points])

    tiles = {}
    with open(archive, "rb") as handle:
        for (z, x, y), data in all_tiles(Reader(MmapSource(handle)).get_bytes):
            tiles[(z, x, y)] = mapbox_vector_tile.decode(gzip.decompress(data), default_options={"y_coord_down": True})
    checked = 0
    for z in range(12, 17):
        # Every tile of the zoom near a shape: the source's tiles, computed here.
        wanted = set()
        for geometry, _ in shapes.values():
            west, south, east, north = geometry.bounds
            u0, v1 = tile_units(west, south, z, 0, 0)
            u1, v0 = tile_units(east, north, z, 0, 0)
            for x in range(int((u0 - BUFFER) // EXTENT), int((u1 + BUFFER) // EXTENT) + 1):
                for y in range(int((v0 - BUFFER) // EXTENT), int((v1 + BUFFER) // EXTENT) + 1):
                    wanted.add((x, y))
        for x, y in sorted(wanted):
            area = box(-BUFFER, -BUFFER, EXTENT + BUFFER, EXTENT + BUFFER)
            meeting = {}
            for code, (geometry, _) in shapes.items():
                part = in_tile_units(geometry, z, x, y).intersection(area)
                if not part.is_empty:
                    meeting[code] = part
            layer = tiles.get((z, x, y), {}).get("miyakojima", {"features": []})
            got = {}
            for feature in layer["features"]:
                drawn = shape(feature["geometry"])
                assert drawn.geom_type in ("Polygon", "MultiPolygon"), feature["geometry"]["type"]
                assert drawn.is_valid and drawn.area > 0, (z, x, y, shapely.validation.explain_validity(drawn))
                got[feature["properties"]["KEY_CODE"]] = (drawn, feature["properties"])
            assert set(got) <= set(meeting), (z, x, y, set(got) - set(meeting))
            for code in set(meeting) - set(got):
                # Left out: only a sliver of it is here (under one tile unit wide).
                assert meeting[code].buffer(-0.5).is_empty, (z, x, y, code, meeting[code].area)
            for code, (drawn, properties) in got.items():
                expected = shapes[code][1]
                assert properties["MOJI"] == expected["MOJI"] and properties["JINKO"] == expected["JINKO"]
                # The drawn shape is the source's, clipped and snapped: within a tile unit of it.
                assert drawn.symmetric_difference(meeting[code]).area <= max(1.0, meeting[code].length), (z, x, y, code)
                checked += 1
    assert checked > 47
