"""GDAL's OGC API Features client (the OAPIF driver, through pyogrio's bundled GDAL) against `civic serve`.

Run by integration/clients/run.sh, which starts the server and sets CIVIC_URL (e.g. http://127.0.0.1:PORT).
"""

import json
import os
import urllib.parse
import urllib.request

import pyogrio
import pyogrio.raw
import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
# GDAL's connection string for an OGC API Features landing page.
OAPIF = "OAPIF:" + BASE

# GDAL picks its page size from the `limit` maximum in /api (capped at 1,000 by GDAL), so every bundled collection
# (≤ 787 features) would come back in one page and `next` links would never be followed. PAGE_SIZE (an OAPIF open
# option, passed by pyogrio as a dataset open option) forces small pages: 50 features a page means 2–16 pages a
# collection, so a count that matches numberMatched proves GDAL walked every `next` link to the end.
PAGE_SIZE = "50"

# A box around central 焼津市 (Yaizu): it holds some, not all, of its AED sites.
BBOX = (138.30, 34.85, 138.35, 34.90)


def get_json(path, **params):
    url = BASE + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def collection_ids():
    return [c["id"] for c in get_json("/collections")["collections"]]


def number_matched(collection, **params):
    return get_json(f"/collections/{urllib.parse.quote(collection, safe='')}/items", limit=1, **params)["numberMatched"]


def server_feature_ids(collection, **params):
    """Every feature id the server has for the collection, read in one request (limit ≤ 10,000)."""
    page = get_json(f"/collections/{urllib.parse.quote(collection, safe='')}/items", limit=10000, **params)
    assert page["numberReturned"] == page["numberMatched"], "more than 10,000 features: page this helper"
    return {str(f["id"]) for f in page["features"]}


def read_all(collection, **kwargs):
    """All features of a layer through GDAL: (feature ids GDAL read from the `id` member, geometries, field names)."""
    meta, _fids, geometry, fields = pyogrio.raw.read(OAPIF, layer=collection, PAGE_SIZE=PAGE_SIZE, **kwargs)
    names = list(meta["fields"])
    # GDAL puts the GeoJSON feature `id` into a field named `id` (the OAPIF driver's default).
    assert "id" in names, f"GDAL found no feature id field in {collection}: {names}"
    ids = [str(v) for v in fields[names.index("id")]]
    return ids, geometry, names


def test_gdal_lists_every_collection():
    layers = {str(name) for name, _geometry_type in pyogrio.list_layers(OAPIF)}
    assert layers == set(collection_ids())


@pytest.mark.parametrize("collection", collection_ids())
def test_gdal_reads_every_feature(collection):
    expected = number_matched(collection)
    assert expected > 0, f"{collection} is empty on the server"

    info = pyogrio.read_info(OAPIF, layer=collection, PAGE_SIZE=PAGE_SIZE)
    assert info["driver"] == "OAPIF"
    assert info["geometry_type"] == "Point"
    # With Part 2's storageCrs declared, GDAL reports the CRS84 definition itself (WKT naming OGC CRS84).
    assert info["crs"] in ("EPSG:4326", "OGC:CRS84") or 'AUTHORITY["OGC","CRS84"]' in info["crs"]
    # GDAL's fast feature count is numberMatched from the first page.
    assert info["features"] == expected

    ids, geometry, _names = read_all(collection)
    assert len(ids) == expected, f"GDAL read {len(ids)} features of {collection}, numberMatched says {expected}"
    assert len(set(ids)) == len(ids), f"GDAL read some features twice in {collection}: pages overlap"
    assert set(ids) == server_feature_ids(collection), "GDAL read other features than the server lists"
    assert all(g is not None for g in geometry), "a feature came without geometry"


@pytest.mark.parametrize("collection", ["yaizu-aed", "aed"])
def test_gdal_bbox_matches_server(collection):
    bbox = ",".join(str(v) for v in BBOX)
    expected = number_matched(collection, bbox=bbox)
    everything = number_matched(collection)
    assert 0 < expected < everything, f"the test box should select some, not all, of {collection}"

    # GDAL sends the box as `bbox=` (and filters again on its side); both must agree with the server's own count.
    ids, _geometry, _names = read_all(collection, bbox=BBOX)
    assert len(ids) == expected, f"GDAL read {len(ids)} features in the box, the server's numberMatched is {expected}"
    assert set(ids) == server_feature_ids(collection, bbox=bbox)


def test_gdal_attribute_filter_matches_server():
    # An equality filter on a queryable. GDAL may forward it to the server as `?名称=…` or read every page and
    # filter on its side (with today's /api it does the latter); either way the result has to equal the server's
    # own `?名称=…` filter.
    first = get_json("/collections/yaizu-aed/items", limit=1)["features"][0]
    name = first["properties"]["名称"]
    expected = server_feature_ids("yaizu-aed", **{"名称": name})
    ids, _geometry, _names = read_all("yaizu-aed", where="\"名称\" = '{}'".format(name.replace("'", "''")))
    assert set(ids) == expected and len(ids) == len(expected)
