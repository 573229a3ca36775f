"""Frictionless' CKAN adapter (frictionless[ckan]) reads a package from `civic serve` unchanged: it calls
package_show through the CKAN Action API, then reads the CSV resource and its rows.

Run by integration/clients/run.sh, which starts the server and sets CIVIC_URL.
"""

import os

from frictionless import Package
from frictionless.portals import CkanControl

BASE = os.environ["CIVIC_URL"].rstrip("/")


def test_package_and_rows_through_the_ckan_adapter():
    package = Package(f"{BASE}/dataset/yaizu-aed", control=CkanControl())
    assert package.name == "yaizu-aed"
    assert package.title == "焼津市 AED設置箇所一覧"
    csv = next(resource for resource in package.resources if resource.format == "csv")
    assert csv.path == f"{BASE}/datasets/yaizu-aed.csv"
    rows = csv.read_rows()
    assert len(rows) == 82
    assert list(rows[0].keys())[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert rows[0]["地方公共団体名"] == "静岡県焼津市"


def test_every_package_is_readable():
    for name in ["ichikawa-aed", "takamatsu-evacuation-space", "yaizu-public-facility", "yaizu-public-toilet"]:
        package = Package(f"{BASE}/dataset/{name}", control=CkanControl())
        # CSV, GeoJSON, Excel (.xlsx), the validation report and the OGC API collection.
        assert len(package.resources) == 5
