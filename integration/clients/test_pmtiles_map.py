"""`civic tiles`' PMTiles archive hosted statically and drawn by MapLibre GL JS through the pmtiles protocol, in a real
browser (Playwright, headless Chromium with SwiftShader's software WebGL).

MapLibre and the pmtiles protocol come from the PyPI package `maplibre` (py-maplibregl): its `srcjs/pywidget.js` bundles
MapLibre GL JS 5 with the protomaps `pmtiles` library's `Protocol` registered as `pmtiles://`. The archive is served
by a plain static file server that answers HTTP range requests (as object storage and any static host do): the page
reads the header, the directories and the tiles it needs with ranges, never the whole file.

Run by integration/clients/run.sh.
"""

import http.server
import importlib.util
import os
import re
import shutil
import subprocess
import threading

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOGS = os.environ.get("CIVIC_CLIENT_LOGS", ".build/clients")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><link rel="stylesheet" href="/pywidget.css"></head>
<body style="margin:0"><div id="pymaplibregl" style="width:800px;height:600px"></div>
<script src="/pywidget.js"></script>
<script>
window.pymaplibregl({
  mapOptions: {
    center: [138.26, 34.87], zoom: 10, attributionControl: false,
    canvasContextAttributes: {preserveDrawingBuffer: true},
    style: {
      version: 8,
      sources: {aed: {type: "vector", url: "pmtiles://" + location.origin + "/aed.pmtiles"}},
      layers: [
        {id: "background", type: "background", paint: {"background-color": "#ffffff"}},
        {id: "points", type: "circle", source: "aed", "source-layer": "data",
         paint: {"circle-radius": 4, "circle-color": "#ff0000"}}
      ]
    }
  },
  calls: []
});
</script></body></html>
"""


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with single byte ranges (RFC 9110 §14), as a static host answers them."""

    ranges = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = self.translate_path(self.path)
        if not match or not os.path.isfile(path):
            return super().do_GET()
        size = os.path.getsize(path)
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
        if start >= size:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return
        RangeHandler.ranges.append((self.path, start, end))
        with open(path, "rb") as handle:
            handle.seek(start)
            body = handle.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_maplibre_draws_a_civic_tiles_archive_through_the_pmtiles_protocol(webgl, tmp_path):
    spec = importlib.util.find_spec("maplibre")
    assert spec and spec.submodule_search_locations, "the PyPI package maplibre is not installed"
    srcjs = os.path.join(spec.submodule_search_locations[0], "srcjs")
    for name in ("pywidget.js", "pywidget.css"):
        shutil.copy(os.path.join(srcjs, name), tmp_path / name)
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    result = subprocess.run(
        [os.environ["CIVIC_BIN"], "tiles", "datasets/yaizu-aed/data.csv", "-o", str(tmp_path / "aed.pmtiles"), "--max-zoom", "14"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr

    RangeHandler.ranges = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: RangeHandler(*a, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        page = webgl.new_page(viewport={"width": 800, "height": 600})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        # The drawn map's red pixels (the archive's points), counted in the page from the WebGL canvas.
        count_red = """() => {
            const source = document.querySelector('#pymaplibregl canvas');
            if (!source) return 0;
            const copy = document.createElement('canvas');
            copy.width = source.width; copy.height = source.height;
            const context = copy.getContext('2d');
            context.drawImage(source, 0, 0);
            const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
            let red = 0;
            for (let i = 0; i < pixels.length; i += 4) {
                if (pixels[i] > 200 && pixels[i + 1] < 80 && pixels[i + 2] < 80) red++;
            }
            return red;
        }"""
        try:
            page.wait_for_function(f"({count_red})() > 200", timeout=30000, polling=250)
        except Exception:
            raise AssertionError(f"MapLibre drew no point of the archive: {errors[:5]}, ranges {RangeHandler.ranges[:5]}")
        page.screenshot(path=os.path.join(LOGS, "maplibre-pmtiles.png"))
        assert not errors, errors
        # Read by ranges: the header and root directory first, then tiles; never the whole archive in one answer.
        size = os.path.getsize(tmp_path / "aed.pmtiles")
        archive = [(start, end) for path, start, end in RangeHandler.ranges if path.endswith("/aed.pmtiles")]
        assert archive and archive[0][0] == 0, RangeHandler.ranges
        assert len(archive) >= 2 and all(end - start + 1 < size for start, end in archive[1:]), archive
    finally:
        server.shutdown()
        server.server_close()
