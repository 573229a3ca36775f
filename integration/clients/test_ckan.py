"""ckanapi (the CKAN project's own Python client) and plain HTTP against Civic's CKAN Action API subset.

ckanapi.RemoteCKAN POSTs a JSON body (ASCII, non-ASCII as \\uXXXX escapes) to /api/action/{name} and turns
`{"success": false, "error": {"__type": …}}` back into exceptions; a 404 with any other body becomes a plain
CKANAPIError. Run by integration/clients/run.sh, which starts the server and sets CIVIC_URL.
"""

import csv
import io
import json
import os
import pathlib
import urllib.error
import urllib.parse
import urllib.request

import ckanapi
import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
REPO = pathlib.Path(__file__).resolve().parents[2]

# The bundled datasets, as their descriptors say: id → dataset.json.
BUNDLED = {
    d["id"]: d for d in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(REPO.glob("datasets/*/dataset.json")))
}
AED = {i for i, d in BUNDLED.items() if d["dataset"] == "aed"}
# Each shelter list (指定避難所一覧, 指定緊急避難場所一覧) has a status table beside it, `<id>-status`
# (docs/shelter-status.md): a dataset of the same municipality.
STATUS = {f"{i}-status" for i, d in BUNDLED.items() if d["dataset"] in ("shelter", "evacuation_space")}
YAIZU = {i for i, d in BUNDLED.items() if d["municipalityCode"] == "222127"}
YAIZU |= {s for s in STATUS if s.removesuffix("-status") in YAIZU}
MUNICIPALITIES = {d["municipalityCode"] for d in BUNDLED.values()}


@pytest.fixture(scope="module")
def ckan():
    return ckanapi.RemoteCKAN(BASE, user_agent="civic-ci-clients")


@pytest.fixture(scope="module")
def yaizu_aed(ckan):
    return ckan.action.package_show(id="yaizu-aed")


def resource(package, fmt):
    found = [r for r in package["resources"] if str(r.get("format", "")).lower() == fmt.lower()]
    assert found, f"no {fmt} resource in {package['name']}: {[r.get('format') for r in package['resources']]}"
    return found[0]


def fetch(url, data=None, headers=None):
    """(status, content type, body bytes) of a request; HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


# MARK: datasets


def test_package_list_has_every_bundled_dataset(ckan):
    names = ckan.action.package_list()
    assert isinstance(names, list) and all(isinstance(n, str) for n in names)
    assert set(BUNDLED) <= set(names), f"missing from package_list: {sorted(set(BUNDLED) - set(names))}"


def test_package_show(yaizu_aed):
    package = yaizu_aed
    assert package["name"] == "yaizu-aed"
    assert package["title"] == BUNDLED["yaizu-aed"]["title"]
    assert package["id"]

    # Organizations are municipalities, named by their 全国地方公共団体コード.
    org = package["organization"]
    assert isinstance(org, dict), f"package_show gave no organization: {org!r}"
    assert org["name"] == "222127", org
    assert "焼津市" in org["title"], org

    csv_resource = resource(package, "CSV")
    geojson_resource = resource(package, "GeoJSON")
    assert csv_resource["url"].endswith("/datasets/yaizu-aed.csv"), csv_resource["url"]
    assert geojson_resource["url"].endswith("/datasets/yaizu-aed.geojson"), geojson_resource["url"]
    for r in package["resources"]:
        assert r.get("id") and r.get("package_id") in (package["id"], package["name"]), r


def test_resource_urls_download(yaizu_aed):
    # What a CKAN user does next: download the files the resources point at.
    status, content_type, body = fetch(resource(yaizu_aed, "CSV")["url"])
    assert status == 200 and "csv" in content_type
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) - 1 == 82, f"{len(rows) - 1} rows in yaizu-aed.csv"

    status, content_type, body = fetch(resource(yaizu_aed, "GeoJSON")["url"])
    assert status == 200 and "json" in content_type
    collection = json.loads(body)
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 82


def test_package_show_not_found(ckan):
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="nope")


def test_validation_errors(ckan):
    # CKAN answers bad or missing parameters with 409 {"__type": "Validation Error"}; ckanapi raises ValidationError.
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_show()
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=-1)
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.datastore_search(resource_id=datastore_resource_id(ckan.action.package_show(id="yaizu-aed")), limit=-1)


def test_get_only_client(ckan):
    # RemoteCKAN(get_only=True) sends GET /api/action/{name}?… instead of a JSON POST.
    package = ckanapi.RemoteCKAN(BASE, user_agent="civic-ci-clients", get_only=True).action.package_show(id="yaizu-aed")
    assert package["name"] == "yaizu-aed"


# MARK: search


def test_package_search_q(ckan):
    result = ckan.action.package_search(q="AED")
    names = {p["name"] for p in result["results"]}
    assert AED <= names, f"package_search(q='AED') missed {sorted(AED - names)}"
    assert result["count"] >= len(AED)
    assert result["count"] == len(result["results"]), "count should equal the results when they fit in one page"


def test_package_search_rows_start(ckan):
    everything = ckan.action.package_search(rows=1000, sort="name asc")
    assert everything["count"] == len(everything["results"]) >= len(BUNDLED)
    ordered = [p["name"] for p in everything["results"]]
    assert ordered == sorted(ordered), "sort='name asc' was not applied"

    paged = []
    for start in range(0, everything["count"], 3):
        page = ckan.action.package_search(rows=3, start=start, sort="name asc")
        assert page["count"] == everything["count"], "count must not depend on rows/start"
        assert len(page["results"]) == min(3, everything["count"] - start)
        paged += [p["name"] for p in page["results"]]
    assert paged == ordered, "pages overlap or skip datasets"

    past = ckan.action.package_search(rows=3, start=everything["count"])
    assert past["results"] == [] and past["count"] == everything["count"]

    descending = [p["name"] for p in ckan.action.package_search(rows=1000, sort="name desc")["results"]]
    assert descending == ordered[::-1], "sort='name desc' was not applied"


def test_package_search_fq_organization(ckan):
    org = "222127"  # 静岡県焼津市
    result = ckan.action.package_search(fq=f"organization:{org}", rows=1000)
    names = {p["name"] for p in result["results"]}
    assert names == YAIZU, f"fq=organization:{org} gave {sorted(names)}"
    assert result["count"] == len(YAIZU)
    assert all(p["organization"]["name"] == org for p in result["results"])


# MARK: organizations


def test_organization_list(ckan, yaizu_aed):
    names = ckan.action.organization_list()
    assert isinstance(names, list) and all(isinstance(n, str) for n in names)
    assert set(names) == MUNICIPALITIES and len(names) == len(MUNICIPALITIES), f"one per 団体コード: {names}"
    assert yaizu_aed["organization"]["name"] in names


def test_organization_show(ckan, yaizu_aed):
    name = yaizu_aed["organization"]["name"]
    org = ckan.action.organization_show(id=name)
    assert org["name"] == name
    assert "焼津市" in org["title"], org["title"]
    assert org["package_count"] == len(YAIZU)
    with pytest.raises(ckanapi.NotFound):
        ckan.action.organization_show(id="nope")


# MARK: resources and the datastore


def test_resource_show(ckan, yaizu_aed):
    wanted = resource(yaizu_aed, "CSV")
    shown = ckan.action.resource_show(id=wanted["id"])
    assert shown["id"] == wanted["id"]
    assert shown["url"] == wanted["url"]
    assert shown["format"].lower() == "csv"
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="nope")


def datastore_resource_id(package):
    active = [r for r in package["resources"] if r.get("datastore_active")]
    return (active[0] if active else resource(package, "CSV"))["id"]


def test_datastore_search_paging(ckan, yaizu_aed):
    resource_id = datastore_resource_id(yaizu_aed)
    page = ckan.action.datastore_search(resource_id=resource_id, limit=5, offset=5)
    assert page["total"] == 82
    assert len(page["records"]) == 5
    field_ids = [f["id"] for f in page["fields"]]
    assert "名称" in field_ids, field_ids
    for record in page["records"]:
        assert set(record) <= set(field_ids), f"record keys not in fields: {set(record) - set(field_ids)}"

    first_ten = ckan.action.datastore_search(resource_id=resource_id, limit=10, offset=0)["records"]
    assert page["records"] == first_ten[5:10], "offset=5 does not continue where limit=5 ends"


def test_datastore_search_q_and_filters(ckan, yaizu_aed):
    resource_id = datastore_resource_id(yaizu_aed)
    name = ckan.action.datastore_search(resource_id=resource_id, limit=1)["records"][0]["名称"]

    # Non-ASCII keys and values: ckanapi sends them as \\uXXXX escapes in the JSON body.
    filtered = ckan.action.datastore_search(resource_id=resource_id, filters={"名称": name})
    assert filtered["total"] >= 1 and all(r["名称"] == name for r in filtered["records"])

    found = ckan.action.datastore_search(resource_id=resource_id, q=name)
    assert found["total"] >= 1
    assert any(r["名称"] == name for r in found["records"])

    with pytest.raises(ckanapi.NotFound):
        ckan.action.datastore_search(resource_id="nope")


def test_datastore_links_next_keeps_the_query(yaizu_aed):
    # CKAN's `_links.next` is the request's own URL with offset += limit (every other argument kept), so a client
    # that follows it over GET gets the next page of the same query: same limit, same q and filters.
    query = {"resource_id": datastore_resource_id(yaizu_aed), "limit": "1", "filters": json.dumps({"名称": "市役所本館"}, ensure_ascii=False)}
    status, _content_type, body = fetch(BASE + "/api/3/action/datastore_search?" + urllib.parse.urlencode(query))
    assert status == 200, body[:300]
    first = json.loads(body)["result"]
    assert first["total"] == 2, "yaizu-aed has two AEDs at 市役所本館"
    next_url = urllib.parse.urljoin(BASE + "/", first["_links"]["next"])
    status, _content_type, body = fetch(next_url)
    assert status == 200, body[:300]
    second = json.loads(body)["result"]
    names = [r["名称"] for r in second["records"]]
    assert names == ["市役所本館"] and second["records"] != first["records"], (
        f"following _links.next ({first['_links']['next']}) gave {len(names)} records named {sorted(set(names))[:5]}"
    )


# MARK: plain HTTP


@pytest.mark.parametrize("prefix", ["/api/3/action/", "/api/action/"])
def test_plain_get_envelope(prefix):
    status, content_type, body = fetch(BASE + prefix + "package_list")
    assert status == 200, f"GET {prefix}package_list → {status} {body[:200]!r}"
    assert content_type.startswith("application/json"), content_type
    envelope = json.loads(body)
    assert set(envelope) >= {"help", "success", "result"}, list(envelope)
    assert envelope["success"] is True
    assert isinstance(envelope["help"], str)
    assert set(BUNDLED) <= set(envelope["result"])


def test_plain_get_not_found_envelope():
    status, content_type, body = fetch(BASE + "/api/3/action/package_show?" + urllib.parse.urlencode({"id": "nope"}))
    assert status == 404, f"package_show?id=nope → {status}"
    assert content_type.startswith("application/json"), content_type
    envelope = json.loads(body)
    assert envelope["success"] is False
    assert envelope["error"]["__type"] == "Not Found Error"
    assert isinstance(envelope["error"].get("message"), str)


def test_plain_post_json():
    status, _content_type, body = fetch(
        BASE + "/api/3/action/package_show",
        data=json.dumps({"id": "yaizu-aed"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert status == 200, f"POST /api/3/action/package_show → {status} {body[:200]!r}"
    envelope = json.loads(body)
    assert envelope["success"] is True and envelope["result"]["name"] == "yaizu-aed"
