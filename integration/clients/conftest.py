"""Fixtures the browser checks share (test_publishing_page.py, test_status_page.py, test_browser.py, test_vector_map.py),
and opening a MapLibre map's popup (test_vector_map.py, test_status_map.py)."""

import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture()
def browser():
    """Debian's headless Chromium, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture()
def webgl():
    """Chromium with WebGL in software (SwiftShader), as a server without a GPU has it: for the MapLibre maps."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
        )
        yield chromium
        chromium.close()


def open_popup(page, layer, feature_id=None):
    """Clicks a feature MapLibre drew in `layer` (the one whose property `id` is `feature_id`, or the first) on the
    page's map (`window.civicMap`) and returns its popup, once shown."""
    point = page.evaluate(
        """([layer, id]) => {
            const f = civicMap.queryRenderedFeatures({layers: [layer]}).find(f => id === null || f.properties.id === id);
            const p = civicMap.project(f.geometry.coordinates);
            return [p.x, p.y];
        }""",
        [layer, feature_id],
    )
    box = page.locator("#map canvas").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = page.locator(".maplibregl-popup-content")
    popup.wait_for(timeout=5000)
    return popup

