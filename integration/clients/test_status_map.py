"""The public shelter-status map in a real browser (Playwright, Debian's headless Chromium with SwiftShader's software
WebGL; the map is MapLibre GL JS): the municipality's page
and the merged page of every municipality colour each shelter by its status and crowding, list the shelters for
screen readers, show the time of the last update, and follow the change events — a status change made through the
API recolours the shelter as drawn (MapLibre's rendered features) on an open page within 2 s, without reloading; a shelter kept from the public
(情報公開可否 否) leaves the public map.

Run by integration/clients/run.sh (CIVIC_TOKEN_PUBLISHER is 焼津市's publisher). Shelters 12 and 13 are this test's
(the staff page's test uses others).
"""

import os
import shutil
import time

import pytest
from conftest import open_popup
from status_api import BASE, TABLE, get, patch

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOGS = os.environ.get("CIVIC_CLIENT_LOGS", ".build/clients")
GREEN, AMBER, RED, GREY = "#1a7f37", "#9a7b00", "#b00020", "#6b6b6b"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


def open_map(browser, collection):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{BASE}/collections/{collection}?f=html")
    shown = get(f"/collections/{collection}/items?limit=10000")[0]
    points = sum(1 for f in shown["features"] if f["geometry"])
    page.wait_for_function(f"document.getElementById('map').getAttribute('data-markers') === '{points}'", timeout=15000)
    # Drawn: every shelter with a place is a rendered feature (the view fits them all).
    page.wait_for_function(f"civicMap.queryRenderedFeatures({{layers: ['shelters']}}).length === {points}", timeout=15000)
    # Listening before the change is made.
    page.wait_for_selector("#last-update[data-live='true']", timeout=10000)
    return page, shown


# The colour MapLibre draws a shelter with (its rendered feature's), or null when it is not drawn.
DRAWN = """(id) => {
    const found = civicMap.queryRenderedFeatures({layers: ['shelters']}).filter(f => f.properties.id === id);
    return found.length ? found[0].properties.colour : null;
}"""


def fill(page, feature):
    return page.evaluate(DRAWN, feature)


def recoloured(page, feature, colour, change):
    """Makes `change`, then times until the shelter is drawn in `colour` (at most 2 s)."""
    start = time.monotonic()
    change()
    page.wait_for_function(f"({DRAWN})({feature!r}) === {colour!r}", timeout=2000)
    return time.monotonic() - start


def test_the_municipal_map_colours_lists_and_follows_changes(webgl):
    page, shown = open_map(webgl, TABLE)
    assert page.locator("html").get_attribute("lang") == "ja"
    # Every shelter in the list (for screen readers), with its status in words; the legend in words too.
    assert page.locator("#shelter-list li").count() == shown["numberMatched"]
    assert "未開設" in page.locator('#shelter-list li[data-id="12"]').inner_text()
    assert page.locator(".legend li").count() == 7
    assert fill(page, "12") == GREY
    # Opened with room, then crowded (evacuees ÷ capacity), then full: each recolours within 2 s.
    elapsed = [
        recoloured(page, "12", GREEN, lambda: patch("12", {"状態": "開設", "収容人数": 100, "避難者数": 10})),
        recoloured(page, "12", AMBER, lambda: patch("12", {"避難者数": 45})),
        recoloured(page, "12", RED, lambda: patch("12", {"状態": "満員"})),
    ]
    print(f"recoloured after {', '.join(f'{s * 1000:.0f} ms' for s in elapsed)}")
    item = page.locator('#shelter-list li[data-id="12"]')
    assert item.get_attribute("data-state") == "満" and "避難者数 45" in item.inner_text()
    page.screenshot(path=os.path.join(LOGS, "status-map.png"), full_page=True)
    # A click on the shelter opens its popup: its name and status in words.
    assert "満員・満" in open_popup(page, "shelters", "12").inner_text()
    # The last update's time is shown (Japan time).
    assert page.locator("#last-update-time").get_attribute("datetime")
    assert "/" in page.locator("#last-update-time").inner_text()
    page.close()


def test_the_merged_map_follows_too_and_hidden_shelters_leave_it(webgl):
    page, _ = open_map(webgl, "shelter_status")
    feature = f"{TABLE}/13"
    elapsed = recoloured(page, feature, GREEN, lambda: patch("13", {"状態": "開設", "収容人数": 50, "避難者数": 1}))
    print(f"merged page recoloured after {elapsed * 1000:.0f} ms")
    # Kept from the public: gone from the public map and list, without reloading.
    patch("13", {"情報公開可否": "否"})
    page.wait_for_function(f"({DRAWN})({feature!r}) === null", timeout=2000)
    assert page.locator(f'#shelter-list li[data-id="{feature}"]').count() == 0
    patch("13", {"情報公開可否": "可"})
    page.wait_for_function(f"({DRAWN})({feature!r}) !== null", timeout=2000)
    page.close()
