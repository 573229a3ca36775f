"""Civic as a harvest source, checked with the real harvesting logic (docs/harvesting.md):

- ckanext-harvest's CKAN harvester gather stage (ckanext/harvest/harvesters/ckanharvester.py, `gather_stage` and
  `_search_for_datasets`), reproduced faithfully: `package_search` with `rows=100`, `start` moved by 100 until an empty
  page, `sort=id asc`, `fq` the harvester's terms joined by spaces — organisations included with `OR`, excluded with
  `-`, and on an incremental run `metadata_modified:[<last run − 1 h>Z TO *]` — a page equal to the previous one
  failing as "paging doesn't seem to work", ids seen on earlier pages dropped;
- search.ckan.jp's harvester (NII-CPS-Center/xckan, `Site.get_updated_package_list`): `fq=(metadata_modified:["<since>"
  TO *] OR metadata_created:["<since>" TO *])` url-encoded, `rows=100`, paged by `start` up to `count`, and the check
  that the site really honours `fq` (its first result must be CKAN metadata: `id` a string, `name`, `title`);
- the catalogue change feed (`/catalog/changes`) with a deletion (a tombstone), and `package_show` on the deleted
  package answering as CKAN does.

Run by integration/clients/run.sh (CIVIC_TOKEN_PUBLISHER is 焼津市's publisher).
"""

import datetime
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ["CIVIC_URL"].rstrip("/")
PUBLISHER = os.environ["CIVIC_TOKEN_PUBLISHER"]
API = BASE + "/api/3/action/"


class SearchError(Exception):
    pass


def get_content(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def search_for_datasets(fq_terms=None):
    """ckanext-harvest's CKANHarvester._search_for_datasets, against Civic."""
    params = {"rows": "100", "start": "0", "sort": "id asc"}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    pkg_dicts, pkg_ids, previous_content = [], set(), None
    while True:
        url = API + "package_search?" + urllib.parse.urlencode(params)
        content = get_content(url)
        if previous_content and content == previous_content:
            raise SearchError("The paging doesn't seem to work. URL: %s" % url)
        response_dict = json.loads(content)
        page = response_dict.get("result", {}).get("results", [])
        ids_in_page = set(p["id"] for p in page)
        duplicates = ids_in_page & pkg_ids
        if duplicates:
            page = [p for p in page if p["id"] not in duplicates]
        pkg_ids |= ids_in_page
        pkg_dicts.extend(page)
        if len(page) == 0:
            break
        params["start"] = str(int(params["start"]) + int(params["rows"]))
        previous_content = content
    return pkg_dicts


def gather(config, last_gather_started=None):
    """ckanext-harvest's CKANHarvester.gather_stage: the package dicts it makes harvest objects of."""
    fq_terms = []
    include = config.get("organizations_filter_include", [])
    exclude = config.get("organizations_filter_exclude", [])
    if include:
        fq_terms.append(" OR ".join("organization:%s" % name for name in include))
    elif exclude:
        fq_terms.extend("-organization:%s" % name for name in exclude)
    if last_gather_started is not None:
        since = (last_gather_started - datetime.timedelta(hours=1)).isoformat()
        return search_for_datasets(fq_terms + ["metadata_modified:[{since}Z TO *]".format(since=since)])
    return search_for_datasets(fq_terms)


def xckan_updated(since):
    """xckan's Site.get_updated_package_list (no proxy): the packages modified or created since `since`, or False when
    the site's answer is not reliable."""
    from_str = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    start, rows, count, results = 0, 100, None, []
    while count is None or start < count:
        query = {"fq": ('(metadata_modified:["{0}" TO *] OR metadata_created:["{0}" TO *])').format(from_str), "start": start, "rows": rows}
        result = json.loads(get_content(API + "package_search?" + urllib.parse.urlencode(query)))
        results += result["result"]["results"]
        start = len(results)
        count = result["result"]["count"]
        if results:
            first = results[0]
            # CkanMetadata.is_compatible → support_fq() is True; anything else is "not reliable".
            if not (isinstance(first.get("id"), str) and "name" in first and "title" in first):
                return False
    return results


def package_list():
    return json.loads(get_content(API + "package_list"))["result"]


def post(action, body):
    request = urllib.request.Request(
        API + action, data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": PUBLISHER, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["result"]


def edit_one_record():
    """A live edit of 焼津市's AED list (a record's 設置位置), as staff would make it."""
    url = BASE + "/collections/yaizu-aed/items/0000000003"
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {PUBLISHER}"}), timeout=30) as response:
        tag = response.headers["ETag"]
    request = urllib.request.Request(
        url, data=json.dumps({"properties": {"設置位置": "収穫試験 %d" % time.time_ns()}}).encode(), method="PATCH",
        headers={"Authorization": f"Bearer {PUBLISHER}", "Content-Type": "application/merge-patch+json", "If-Match": tag},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def test_ckan_harvester_gathers_everything_then_only_what_changed():
    everything = gather({})
    names = [p["name"] for p in everything]
    assert sorted(names) == sorted(package_list()) and names == sorted(names)
    # Organisations included (OR) and excluded (-), as configured in a harvest source.
    included = gather({"organizations_filter_include": ["222127", "372013"]})
    assert {p["organization"]["name"] for p in included} == {"222127", "372013"}
    excluded = gather({"organizations_filter_exclude": ["222127"]})
    assert excluded and all(p["owner_org"] != "222127" for p in excluded)
    assert len(included) + len([p for p in excluded if p["owner_org"] == "122033"]) == len(everything)

    # An incremental run after one record is edited: the harvester's own query (one hour's margin) answers exactly
    # the packages modified since then — fq is honoured, not ignored …
    time.sleep(1.1)
    started = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    time.sleep(1.1)
    edit_one_record()
    margin = gather({}, last_gather_started=started)
    cutoff = started - datetime.timedelta(hours=1)
    expected = sorted(p["name"] for p in everything if datetime.datetime.fromisoformat(p["metadata_modified"].rstrip("Z")) >= cutoff)
    assert sorted(p["name"] for p in margin) == sorted(set(expected) | {"yaizu-aed"})
    # … and, without the margin, exactly the edited dataset.
    exact = search_for_datasets(["metadata_modified:[{}Z TO *]".format(started.isoformat())])
    assert [p["name"] for p in exact] == ["yaizu-aed"]
    assert exact[0]["metadata_modified"] > exact[0]["metadata_created"]
    # Nothing since now: an honest empty answer.
    assert search_for_datasets(["metadata_modified:[{}Z TO *]".format((datetime.datetime.now(datetime.timezone.utc)
                                                                       + datetime.timedelta(minutes=5)).replace(tzinfo=None).isoformat())]) == []


def test_search_ckan_jp_finds_the_site_reliable_and_gets_what_changed():
    time.sleep(1.1)
    since = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    time.sleep(1.1)
    edit_one_record()
    updated = xckan_updated(since)
    assert updated is not False, "xckan would call the site's package_search not reliable"
    assert [p["name"] for p in updated] == ["yaizu-aed"]
    assert len(xckan_updated(since - datetime.timedelta(days=3650))) == len(package_list())


def test_a_deleted_package_is_a_tombstone_in_the_change_feed():
    with urllib.request.urlopen(BASE + "/catalog/changes?limit=1000", timeout=30) as response:
        cursor = json.load(response)["cursor"]
    name = "harvest-probe-%d" % (time.time_ns() % 1_000_000)
    post("package_create", {"name": name, "title": "収穫試験", "owner_org": "222127", "extras": [{"key": "standard_dataset", "value": "aed"}]})
    post("package_delete", {"id": name})
    with urllib.request.urlopen(BASE + f"/catalog/changes?since={cursor}", timeout=30) as response:
        feed = json.load(response)
    mine = [c for c in feed["changes"] if c["id"] == name]
    assert len(mine) == 1 and mine[0]["state"] == "deleted" and mine[0]["municipalityCode"] == "222127"
    assert feed["cursor"] >= mine[0]["seq"] and any(link["rel"] == "next" for link in feed["links"])
    # package_show as CKAN answers for a deleted package: not for the public …
    try:
        get_content(API + "package_show?id=" + name)
        raise AssertionError("a deleted package was shown to the public")
    except urllib.error.HTTPError as error:
        assert error.code == 403 and json.load(error)["error"]["__type"] == "Authorization Error"
    # … its tombstone for its municipality's staff; and no longer listed.
    request = urllib.request.Request(API + "package_show?id=" + name, headers={"Authorization": PUBLISHER})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert json.load(response)["result"]["state"] == "deleted"
    assert name not in package_list()
