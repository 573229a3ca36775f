"""The dataset pages in a real browser: Playwright drives Debian's headless Chromium (SwiftShader's software WebGL)
through each collection page's MapLibre map (served by `civic serve` at /static/maplibre) and counts MapLibre's
rendered features: one per feature with coordinates. Background tiles are not needed (and not reachable offline).
The single record's page (its Leaflet map, from Debian's libjs-leaflet) and the pages' language and accessibility
are read from the DOM Chromium dumps.

Run by integration/clients/run.sh, which starts the server and sets CIVIC_URL.
"""

import json
import os
import re
import shutil
import subprocess
import urllib.parse
import urllib.request

import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOGS = os.environ.get("CIVIC_CLIENT_LOGS", ".build/clients")


def features_with_coordinates(collection):
    url = f"{BASE}/collections/{urllib.parse.quote(collection, safe='')}/items?limit=10000&f=json"
    with urllib.request.urlopen(url, timeout=30) as response:
        data = json.load(response)
    return sum(1 for feature in data["features"] if feature["geometry"] is not None)


def render(path, screenshot=None):
    """The DOM after the page's scripts ran (virtual time lets fetch and the map finish)."""
    arguments = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1200,900",
                 "--virtual-time-budget=15000"]
    if screenshot:
        subprocess.run(arguments + [f"--screenshot={screenshot}", BASE + path], capture_output=True, timeout=120)
    result = subprocess.run(arguments + ["--dump-dom", BASE + path], capture_output=True, text=True, timeout=120)
    return result.stdout


pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


@pytest.mark.parametrize("collection", ["yaizu-aed", "ichikawa-evacuation-space", "takamatsu-aed", "aed"])
def test_markers_render(collection, webgl):
    """The MapLibre map draws every point of the collection (each feature numbered by the GeoJSON source)."""
    expected = features_with_coordinates(collection)
    os.makedirs(LOGS, exist_ok=True)
    page = webgl.new_page(viewport={"width": 1200, "height": 900})
    page.route("https://**", lambda route: route.abort())  # the background map (offline here)
    page.goto(f"{BASE}/collections/{collection}?f=html")
    page.wait_for_function("Number(document.getElementById('map').getAttribute('data-features') || 0) > 0", timeout=20000)
    page.wait_for_timeout(500)
    drawn = page.evaluate("new Set(civicMap.queryRenderedFeatures({layers: ['points']}).map(f => f.id)).size")
    page.screenshot(path=os.path.join(LOGS, f"page-{collection}.png"))
    assert drawn == expected
    assert "件を表示しています" in page.locator("#map-status").inner_text()
    page.close()


def test_pages_are_japanese_first_and_accessible():
    dom = render("/?f=html")
    assert '<html lang="ja">' in dom
    assert 'href="#main"' in dom and '<main id="main">' in dom
    english = render("/collections/yaizu-aed/items/0000000001?f=html&lang=en")
    assert '<html lang="en">' in english
    assert 'role="region"' in english and 'aria-label="Map:' in english
    assert "1 points shown." in english
