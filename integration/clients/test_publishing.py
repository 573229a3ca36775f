"""Publishing with real clients: OWSLib's OGC API Features Part 4 calls, plain HTTP with If-Match and JSON Merge Patch,
GDAL reading the edited collection back, and the change feed.

Run by integration/clients/run.sh, which serves a new store file with tokens it made (CIVIC_TOKEN_PUBLISHER and
CIVIC_TOKEN_EDITOR for 焼津市, CIVIC_TOKEN_OTHER for 市川市). Runs after the read-only clients (pytest takes the files
in name order) and leaves 焼津市's AED records as it found them (and an editor's open draft).
"""

import json
import os
import urllib.request

import pyogrio.raw
import pytest
import requests
from owslib.ogcapi.features import Features

BASE = os.environ["CIVIC_URL"].rstrip("/")
PUBLISHER = os.environ["CIVIC_TOKEN_PUBLISHER"]
EDITOR = os.environ["CIVIC_TOKEN_EDITOR"]
OTHER = os.environ["CIVIC_TOKEN_OTHER"]
COLLECTION = "yaizu-aed"
PART4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"


def feature(identifier, place="入口"):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [138.3101, 34.8701]},
        "properties": {
            "全国地方公共団体コード": "222127",
            "ID": identifier,
            "地方公共団体名": "静岡県焼津市",
            "名称": "OWSLib 試験施設",
            "設置位置": place,
        },
    }


def bearer(token, **extra):
    return {"Authorization": f"Bearer {token}", **extra}


def cursor():
    """The change feed's cursor now (its last change)."""
    response = requests.get(f"{BASE}/collections/{COLLECTION}/changes", params={"limit": 10000}, timeout=10)
    response.raise_for_status()
    page = response.json()
    while page["more"]:
        page = requests.get(f"{BASE}/collections/{COLLECTION}/changes", params={"since": page["next"], "limit": 10000}, timeout=10).json()
    return page["next"]


def test_owslib_creates_replaces_and_deletes_a_record():
    since = cursor()
    client = Features(BASE, headers=bearer(PUBLISHER))
    conformance = client.conformance()["conformsTo"]
    assert PART4 + "create-replace-delete" in conformance and PART4 + "update" in conformance
    assert client.collection_item_create(COLLECTION, feature("0000009001"))
    assert client.response_headers["Location"].endswith(f"/collections/{COLLECTION}/items/0000009001")
    reader = Features(BASE)
    assert reader.collection_item(COLLECTION, "0000009001")["properties"]["名称"] == "OWSLib 試験施設"
    assert client.collection_item_update(COLLECTION, "0000009001", feature("0000009001", place="ロビー"))
    assert reader.collection_item(COLLECTION, "0000009001")["properties"]["設置位置"] == "ロビー"
    # GDAL's OGC API Features driver sees the new record among the others.
    meta, _fids, _geometry, fields = pyogrio.raw.read(f"OAPIF:{BASE}", layer=COLLECTION, where="ID = '0000009001'")
    columns = list(meta["fields"])
    assert [str(value) for value in fields[columns.index("設置位置")]] == ["ロビー"]
    assert client.collection_item_delete(COLLECTION, "0000009001")
    with pytest.raises(RuntimeError):
        reader.collection_item(COLLECTION, "0000009001")
    # The feed: created, updated, deleted (a tombstone), in order.
    changes = requests.get(f"{BASE}/collections/{COLLECTION}/changes", params={"since": since}, timeout=10).json()["changes"]
    assert [(c["type"], c["id"]) for c in changes] == [("create", "0000009001"), ("update", "0000009001"), ("delete", "0000009001")]
    assert changes[1]["feature"]["properties"]["設置位置"] == "ロビー" and changes[2]["feature"] is None


def test_owslib_with_another_municipalitys_token_writes_nothing():
    before = cursor()
    client = Features(BASE, headers=bearer(OTHER))
    with pytest.raises(RuntimeError):
        client.collection_item_create(COLLECTION, feature("0000009002"))
    with pytest.raises(RuntimeError):
        client.collection_item_delete(COLLECTION, "0000000001")
    assert cursor() == before


def test_merge_patch_with_if_match_and_a_stale_tag():
    item = f"{BASE}/collections/{COLLECTION}/items/0000000001"
    original = requests.get(item, timeout=10)
    tag = original.headers["ETag"]
    place = original.json()["properties"]["設置位置"]
    patch = {"properties": {"設置位置": "１階ロビー"}}
    changed = requests.patch(
        item, data=json.dumps(patch), headers=bearer(PUBLISHER, **{"Content-Type": "application/merge-patch+json", "If-Match": tag}), timeout=10
    )
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert changed.json()["properties"]["設置位置"] == "１階ロビー"
    # Readers get the new record and its new tag at once.
    reread = requests.get(item, timeout=10)
    assert reread.headers["ETag"] == changed.headers["ETag"] and reread.json()["properties"]["設置位置"] == "１階ロビー"
    # The old tag: 412, nothing written.
    stale = requests.patch(
        item, data=json.dumps({"properties": {"設置位置": "屋上"}}), headers=bearer(PUBLISHER, **{"Content-Type": "application/json", "If-Match": tag}), timeout=10
    )
    assert stale.status_code == 412
    assert requests.get(item, timeout=10).json()["properties"]["設置位置"] == "１階ロビー"
    # An editor's patch waits in a draft (202); readers still see the live record.
    draft = requests.patch(
        item, data=json.dumps({"properties": {"備考": "下書き"}}), headers=bearer(EDITOR, **{"Content-Type": "application/json"}), timeout=10
    )
    assert draft.status_code == 202
    assert requests.get(item, timeout=10).json()["properties"]["備考"] is None
    # An invalid record is refused with the pipeline's findings.
    invalid = requests.patch(
        item, data=json.dumps({"properties": {"全国地方公共団体コード": "222128"}}), headers=bearer(PUBLISHER, **{"Content-Type": "application/json"}), timeout=10
    )
    assert invalid.status_code == 400 and any(f["severity"] == "error" for f in invalid.json()["findings"])
    # Put it back as it was.
    restored = requests.patch(
        item,
        data=json.dumps({"properties": {"設置位置": place}}),
        headers=bearer(PUBLISHER, **{"Content-Type": "application/merge-patch+json", "If-Match": changed.headers["ETag"]}),
        timeout=10,
    )
    assert restored.status_code == 200 and restored.headers["ETag"] == tag


def test_options_lists_what_the_token_may_do():
    url = f"{BASE}/collections/{COLLECTION}/items"
    assert requests.options(url, timeout=10).headers["Allow"] == "GET, HEAD, OPTIONS"
    assert requests.options(url, headers=bearer(PUBLISHER), timeout=10).headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert requests.options(url, headers=bearer(OTHER), timeout=10).headers["Allow"] == "GET, HEAD, OPTIONS"


def test_ckanapi_creates_a_package_uploads_a_file_and_upserts_records():
    """ckanapi (the CKAN project's client) publishing: package_create, resource_create with upload=<file> (multipart),
    datastore_upsert and datastore_delete; frictionless' CKAN adapter reads the result back; another municipality's
    token is NotAuthorized."""
    import ckanapi
    from frictionless import Package
    from frictionless.portals import CkanControl

    name = "yaizu-aed-clients"
    city = ckanapi.RemoteCKAN(BASE, apikey=PUBLISHER)
    package = city.action.package_create(
        name=name, title="焼津市 AED（クライアント試験）", owner_org="222127", license_id="cc-by-4.0",
        extras=[{"key": "standard_dataset", "value": "aed"}],
    )
    assert package["name"] == name and package["version"] == "1" and package["num_resources"] == 4
    try:
        with open("datasets/yaizu-aed/data.csv", "rb") as upload:
            resource = city.action.resource_create(package_id=name, name="AED 一覧", upload=upload)
        assert resource["civic_release_state"] == "live" and resource["civic_release"] == 2
        city.action.datastore_upsert(
            resource_id=f"{name}-csv", method="upsert",
            records=[{"ID": "0000000001", "設置位置": "１階ロビー"}, {"ID": "0000099999", "全国地方公共団体コード": "222127", "名称": "新設"}],
        )
        city.action.datastore_delete(resource_id=f"{name}-csv", filters={"ID": "0000000002"})
        found = city.action.datastore_search(resource_id=f"{name}-csv", filters={"ID": "0000000001"})
        assert found["records"][0]["設置位置"] == "１階ロビー"
        shown = city.action.package_show(id=name)
        assert shown["version"] == "4"
        other = ckanapi.RemoteCKAN(BASE, apikey=OTHER)
        with pytest.raises(ckanapi.NotAuthorized):
            other.action.datastore_delete(resource_id=f"{name}-csv", filters={"ID": "0000000001"})
        with pytest.raises(ckanapi.NotAuthorized):
            other.action.package_delete(id=name)
        # frictionless reads what was published: 82 records, one changed, one added, one deleted.
        read = Package(f"{BASE}/dataset/{name}", control=CkanControl())
        csv = next(r for r in read.resources if r.format == "csv")
        rows = csv.read_rows()
        assert len(rows) == 82
        ids = {str(row["ID"]).zfill(10) for row in rows}  # frictionless infers the IDs as integers
        assert ids >= {"0000000001", "0000099999"} and "0000000002" not in ids
    finally:
        city.action.package_delete(id=name)
    # As CKAN answers for a deleted package: its tombstone for its municipality, not authorised for the public.
    assert city.action.package_show(id=name)["state"] == "deleted"
    with pytest.raises(ckanapi.NotAuthorized):
        ckanapi.RemoteCKAN(BASE).action.package_show(id=name)


def test_expect_100_continue_is_answered_before_the_body():
    """A client that holds back its upload until the server agrees (curl above 1 MiB) gets 100 Continue at once."""
    import socket
    import urllib.parse

    body = open("datasets/yaizu-aed/data.csv", "rb").read()
    address = urllib.parse.urlsplit(BASE)
    with socket.create_connection((address.hostname, address.port), timeout=5) as connection:
        connection.sendall(
            (f"POST /datasets/yaizu-aed/releases?note=expect HTTP/1.1\r\nHost: {address.netloc}\r\n"
             f"Authorization: Bearer {EDITOR}\r\nContent-Type: text/csv\r\nContent-Length: {len(body)}\r\n"
             "Expect: 100-continue\r\n\r\n").encode()
        )
        connection.settimeout(0.5)  # well under the second clients wait before sending anyway
        interim = connection.recv(4096).decode("latin-1")
        assert interim.startswith("HTTP/1.1 100 Continue"), interim
        connection.settimeout(30)
        connection.sendall(body)
        final = b""
        while b"\r\n\r\n" not in final:
            final += connection.recv(65536)
        assert final.decode("latin-1").startswith("HTTP/1.1 201"), final[:200]


def test_ten_thousand_refused_edits_in_a_loop_change_nothing():
    """10,000 hostile edits in a loop on one keep-alive connection — malformed JSON, merge patches of unknown
    properties or objects, a stale If-Match, a wrong content type, ids with path characters, invalid values the
    pipeline refuses — each a clear 4xx, and neither the record nor the change feed moves."""
    item = f"{BASE}/collections/{COLLECTION}/items/0000000001"
    before = requests.get(item, timeout=10)
    since = cursor()
    json_type = {"Content-Type": "application/merge-patch+json"}
    cases = [
        (item, "PATCH", json_type, b'{"properties": {', 400),
        (item, "PATCH", json_type, json.dumps({"properties": {"色": "赤"}}).encode(), 400),
        (item, "PATCH", json_type, json.dumps({"properties": {"名称": {"a": 1}}}).encode(), 400),
        (item, "PATCH", {**json_type, "If-Match": '"stale"'}, json.dumps({"properties": {"備考": "x"}}).encode(), 412),
        (item, "PATCH", {"Content-Type": "text/plain"}, b"x", 415),
        (f"{BASE}/collections/{COLLECTION}/items/..%2F..%2Fetc", "DELETE", {}, b"", 404),
        (item, "PUT", json_type, json.dumps({"id": "0000000002", "properties": {}}).encode(), 400),
    ]
    invalid_value = (item, "PATCH", json_type, json.dumps({"properties": {"全国地方公共団体コード": "222128"}}).encode(), 400)
    statuses = {}
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {PUBLISHER}"
        for index in range(10_000):
            url, method, headers, body, expected = invalid_value if index % 100 == 99 else cases[index % len(cases)]
            response = session.request(method, url, headers=headers, data=body, timeout=30)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code == expected, (index, method, body[:60], response.status_code, response.text[:200])
    assert sum(statuses.values()) == 10_000 and all(400 <= status < 500 for status in statuses)
    after = requests.get(item, timeout=10)
    assert after.headers["ETag"] == before.headers["ETag"] and after.json() == before.json()
    assert cursor() == since
