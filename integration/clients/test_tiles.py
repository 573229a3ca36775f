"""The vector tiles decoded by the reference Python decoder (PyPI `mapbox-vector-tile`) and by GDAL's MVT driver
(pyogrio's bundled GDAL): at the highest zoom each tile holds exactly the features whose point lies in the tile and
its buffer, with the items' attributes (numbers as numbers); every tile of the merged collection at zoom 10 too; the
TileJSON document points at tiles that answer.

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
    served = features("yaizu-aed")
    with open(archive, "rb") as handle:
        reader = Reader(MmapSource(handle))
        header = reader.header()
        assert header["min_zoom"] == 0 and header["max_zoom"] == 14 and header["clustered"]
        metadata = reader.metadata()
        assert metadata["vector_layers"][0]["id"] == "data"
        whole = mapbox_vector_tile.decode(gzip.decompress(reader.get(0, 0, 0)))["data"]["features"]
        assert len(whole) == len(served)
        seen = set()
        for feature in served:
            lon, lat = feature["geometry"]["coordinates"]
            u, v = tile_units(lon, lat, 14, 0, 0)
            x, y = int(u // EXTENT), int(v // EXTENT)
            tile = mapbox_vector_tile.decode(gzip.decompress(reader.get(14, x, y)))["data"]["features"]
            match = [f for f in tile if f["properties"]["ID"] == feature["properties"]["ID"]]
            assert match and match[0]["properties"]["名称"] == feature["properties"]["名称"]
            seen.add(feature["id"])
        assert len(seen) == len(served)
