#!/usr/bin/env python3
"""The MapLibre map pages in headless Chromium (Playwright; SwiftShader's software WebGL, as a machine without a GPU
has it), run by bench/tiles/run.py against its `civic serve`: for each collection page asked, with tiles, the time
from the page's start to its first tile's arrival (target < 1 s on loopback), MapLibre's own first tile and the
first frame with features, and the screenshot checked for drawn features — pixels of the dataset's colour, counted.

Usage: browser.py PORT OUTPUT_DIR COLLECTION:COLOUR...
"""
import os
import shutil
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

# The dataset's colour on the map's canvas (preserved after drawing: MapLibre is asked for it through the page).
COUNT = """(rgb) => {
    const source = document.querySelector('#map canvas');
    const copy = document.createElement('canvas');
    copy.width = source.width; copy.height = source.height;
    const context = copy.getContext('2d');
    context.drawImage(source, 0, 0);
    const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
    let found = 0;
    for (let i = 0; i < pixels.length; i += 4) {
        if (Math.abs(pixels[i] - rgb[0]) < 40 && Math.abs(pixels[i + 1] - rgb[1]) < 40 && Math.abs(pixels[i + 2] - rgb[2]) < 40) found++;
    }
    return found;
}"""


def check(browser, port, collection, colour, output):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    started = time.monotonic()
    asked, arrived = [], []
    page.on("request", lambda r: asked.append((time.monotonic() - started, r.url)))
    caches = {}
    page.on("response", lambda r: (arrived.append((time.monotonic() - started, r.url)), caches.setdefault(r.url, r.headers.get("x-cache"))))
    # The background map's tiles are outside (offline here): refused at once.
    page.route("https://**", lambda route: route.abort())
    # The canvas kept after each frame, so that its pixels can be read.
    page.add_init_script("""(() => {
        const get = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, attributes) {
            if (type === 'webgl2' || type === 'webgl') attributes = Object.assign({}, attributes, {preserveDrawingBuffer: true});
            return get.call(this, type, attributes);
        };
    })()""")
    # As `localhost`: the host is part of the server's cache key, so no tile the benchmark asked as 127.0.0.1 is
    # served from the cache here.
    page.goto(f"http://localhost:{port}/collections/{collection}?f=html&map=tiles")
    page.wait_for_function("Number(document.getElementById('map').getAttribute('data-features') || 0) > 0", timeout=60000)
    drawn_at = time.monotonic() - started
    tiles = [(t, url) for t, url in arrived if "/tiles/WebMercatorQuad/" in url]
    script = min(t for t, url in arrived if "maplibre-gl.js" in url)
    maplibre = [t for t, url in asked if "/tiles/WebMercatorQuad/" in url and t >= script]
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    pixels = page.evaluate(COUNT, rgb)
    features = int(page.locator("#map").get_attribute("data-features"))
    path = os.path.join(output, f"maplibre-{collection}.png")
    page.screenshot(path=path)
    first, first_url = min(tiles)
    made = caches.get(first_url) == "MISS"
    print(f"  {collection}: first tile arrived {first * 1000:.0f} ms after the page's start ({'made on request' if made else 'from the cache'}) "
          f"(target < 1 s: {'met' if first < 1 else 'MISSED'}); maplibre-gl.js at {script * 1000:.0f} ms, MapLibre's own "
          f"first tile asked at {min(maplibre) * 1000:.0f} ms; {features:,} features drawn by {drawn_at * 1000:.0f} ms; "
          f"{pixels:,} pixels of the dataset's colour {colour} in the screenshot ({path})")
    page.close()
    return first < 1 and made and pixels > 100 and features > 0


def main():
    port, output = sys.argv[1], sys.argv[2]
    os.makedirs(output, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--ignore-gpu-blocklist"],
        )
        # A first page, not measured: the browser's own start (its processes, SwiftShader) is not the page's.
        warm = browser.new_page()
        warm.goto(f"http://localhost:{port}/")
        warm.close()
        results = [check(browser, port, *argument.split(":", 1), output) for argument in sys.argv[3:]]
        browser.close()
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
