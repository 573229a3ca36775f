import CivicData
import CivicGeo
import CivicStore
import Foundation

/// A dataset's or merged collection's map drawn by MapLibre GL JS (bundled, /static/maplibre; docs/tiles.md): the
/// collection from GeoJSON when it has at most `ServerConfiguration.mapTilesAbove` features, from its vector tiles
/// above (`map=tiles` or `map=geojson` on the page chooses); points coloured by standard dataset, clusters sized by
/// their count, lines and polygons; a popup of the record's main fields on click or Enter; keyboard panning and
/// zooming; a legend in words; the page's table of records as the list for screen readers.
extension HTMLPages {
    /// Colours by standard dataset (a 3:1 contrast with the GSI base map), and the one for the rest.
    static let standardColours: [String: String] = [
        "aed": "#c8102e", "public_facility": "#1f5fa8", "public_toilet": "#7a4a12", "evacuation_space": "#1a7f37", "shelter": "#0b6e4f",
        "child_care": "#b3409e", "fire_hydrant": "#d1410c",
    ]
    static let otherColour = "#5a2ca0"

    /// The MapLibre source of the configured background map (raster tiles, 地理院タイル by default), as script.
    var baseMapSource: String {
        "{ type: 'raster', tiles: [\(HTMLPages.script(configuration.tileURL))], tileSize: 256, maxzoom: 18, attribution: \(HTMLPages.script(configuration.tileAttribution)) }"
    }

    /// The fields a popup shows, in order, when the record has them.
    static let popupFields = ["名称", "所在地_連結表記", "住所", "設置位置", "電話番号", "利用可能曜日", "開始時間", "終了時間", "備考"]

    func vectorMap(_ collection: Catalogue.Collection, path: String, tiles: Bool) -> String {
        let colour = collection.datasets.first.flatMap { HTMLPages.standardColours[$0.standard] } ?? HTMLPages.otherColour
        let label = t("地図", "Map") + ": " + collection.title
        let bounds = collection.extent.map { [$0.minX, $0.minY, $0.maxX, $0.maxY] } ?? [122.9, 24.0, 153.9, 45.6]
        let standard = collection.datasets.first?.standardTitle ?? collection.title
        var body = "<h2>\(t("地図", "Map"))</h2>\n"
        body +=
            "<div id=\"map\" role=\"region\" aria-label=\"\(HTMLPages.escape(label))\" aria-describedby=\"map-help\" data-source=\"\(tiles ? "tiles" : "geojson")\"></div>\n"
        body +=
            "<p id=\"map-help\">\(t("地図を選んで矢印キーで移動、＋／−キーで拡大・縮小できます。地点の一覧は下の表にあります。", "Select the map, then use the arrow keys to move and + / − to zoom. The records are listed in the table below."))</p>\n"
        body += "<p id=\"map-status\" aria-live=\"polite\"></p>\n"
        body += "<ul class=\"legend\" aria-label=\"\(t("凡例", "Legend"))\">"
        body += "<li><span class=\"swatch\" style=\"background:\(colour)\" aria-hidden=\"true\"></span>\(HTMLPages.escape(standard))</li>"
        if tiles {
            body +=
                "<li><span class=\"swatch\" style=\"background:\(colour);width:1.4em;height:1.4em;opacity:.6\" aria-hidden=\"true\"></span>\(t("まとめて表示（数は地点数）", "Grouped (the number of points)"))</li>"
        }
        body += "</ul>\n"
        // The tile template in the style itself (pinned to the collection's version): no TileJSON round trip first.
        let source: [String: Any] =
            tiles
            ? [
                "type": "vector", "tiles": [path + "/tiles/WebMercatorQuad/{z}/{y}/{x}?v=" + TilesController.version(collection)],
                "minzoom": 0, "maxzoom": TileMaker.maximumZoom, "bounds": bounds,
            ]
            // Numbered features (`generateId`): each drawn feature can be told apart (tests count them).
            : ["type": "geojson", "data": path + "/items?limit=\(configuration.maximumLimit)&f=json", "generateId": true]
        let messages: [String: String] = [
            "noLibrary": t("地図ライブラリを読み込めませんでした。下の表をご覧ください。", "The map library could not be loaded; see the table below."),
            "noWebGL": t("この環境では地図を表示できません（WebGL）。下の表をご覧ください。", "This browser cannot draw the map (WebGL); see the table below."),
            "shown": t(" 件を表示しています。", " shown."),
            "grouped": t("（まとめて表示を含む）", " (some grouped)"),
            "details": t("詳細", "Details"),
        ]
        if tiles {
            // The first view's tiles asked for at once, while MapLibre loads and starts WebGL: MapLibre then finds
            // them in the browser's cache (the pinned tile URLs are immutable). The view is MapLibre's: the bounds
            // fitted with the padding and zoom limit below, tiles of 512 pixels, the zoom rounded down as vector sources do.
            body += """
                <script>
                (function () {
                  var element = document.getElementById('map'), b = \(HTMLPages.scriptJSON(bounds));
                  var template = \(HTMLPages.script(path + "/tiles/WebMercatorQuad/{z}/{y}/{x}?v=" + TilesController.version(collection)));
                  var w = element.clientWidth, h = element.clientHeight;
                  if (!w || !h || !window.fetch) return;
                  function mx(lon) { return (lon + 180) / 360; }
                  function my(lat) { var s = Math.sin(lat * Math.PI / 180); return 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI); }
                  var x0 = mx(b[0]), x1 = mx(b[2]), y0 = my(b[3]), y1 = my(b[1]);
                  var zoom = Math.min(16, Math.log2((w - 48) / Math.max((x1 - x0) * 512, 1e-12)), Math.log2((h - 48) / Math.max((y1 - y0) * 512, 1e-12)));
                  var z = Math.max(0, Math.min(22, Math.floor(zoom))), n = Math.pow(2, z), world = 512 * Math.pow(2, zoom);
                  var cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
                  function clamp(v) { return Math.max(0, Math.min(n - 1, Math.floor(v * n))); }
                  var left = clamp(cx - w / 2 / world), right = clamp(cx + w / 2 / world), top = clamp(cy - h / 2 / world), bottom = clamp(cy + h / 2 / world);
                  if ((right - left + 1) * (bottom - top + 1) > 32) return;
                  for (var ty = top; ty <= bottom; ty++) {
                    for (var tx = left; tx <= right; tx++) {
                      fetch(location.origin + template.replace('{z}', z).replace('{y}', ty).replace('{x}', tx), { credentials: 'same-origin' }).catch(function () {});
                    }
                  }
                })();
                </script>

                """
        }
        body += """
            <script src="/static/maplibre/maplibre-gl.js"></script>
            <script>
            (function () {
              'use strict';
              var status = document.getElementById('map-status');
              var element = document.getElementById('map');
              var M = \(HTMLPages.scriptJSON(messages));
              var FIELDS = \(HTMLPages.scriptJSON(HTMLPages.popupFields));
              var COLLECTION = \(HTMLPages.script(collection.id));
              if (!window.maplibregl) { status.textContent = M.noLibrary; return; }
              var tiles = \(tiles ? "true" : "false");
              var layer = tiles ? { 'source-layer': COLLECTION } : {};
              function merge(a, b) { var out = {}; Object.keys(a).forEach(function (k) { out[k] = a[k]; }); Object.keys(b).forEach(function (k) { out[k] = b[k]; }); return out; }
              var colour = \(HTMLPages.script(colour));
              // Tile URLs absolute: MapLibre's workers fetch them and do not resolve a path against the page.
              var source = \(HTMLPages.scriptJSON(source));
              if (source.tiles) source.tiles = source.tiles.map(function (url) { return url.charAt(0) === '/' ? location.origin + url : url; });
              // The collection's layers in the style itself (not added on 'load', which a base map that cannot be
              // reached can hold back).
              var layers = [
                { id: 'base', type: 'raster', source: 'base' },
                merge({ id: 'areas', type: 'fill', source: 'data', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'fill-color': colour, 'fill-opacity': 0.25 } }, layer),
                merge({ id: 'lines', type: 'line', source: 'data', filter: ['!=', ['geometry-type'], 'Point'], paint: { 'line-color': colour, 'line-width': 2 } }, layer),
                merge({ id: 'clusters', type: 'circle', source: 'data', filter: ['all', ['==', ['geometry-type'], 'Point'], ['has', 'point_count']],
                  paint: { 'circle-color': colour, 'circle-opacity': 0.6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1,
                           'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 9, 100, 16, 10000, 28] } }, layer),
                merge({ id: 'points', type: 'circle', source: 'data', filter: ['all', ['==', ['geometry-type'], 'Point'], ['!', ['has', 'point_count']]],
                  paint: { 'circle-color': colour, 'circle-radius': 6, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2 } }, layer)
              ];
              var map;
              try {
                map = new maplibregl.Map({
                  container: 'map',
                  style: {
                    version: 8,
                    sources: {
                      base: \(baseMapSource),
                      data: source
                    },
                    layers: layers
                  },
                  bounds: [[\(bounds[0]), \(bounds[1])], [\(bounds[2]), \(bounds[3])]],
                  fitBoundsOptions: { padding: 24, maxZoom: 16 },
                  keyboard: true,
                  attributionControl: { compact: false }
                });
              } catch (error) {
                status.textContent = M.noWebGL;
                return;
              }
              window.civicMap = map;
              map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
              ['points', 'areas', 'lines'].forEach(function (id) {
                map.on('click', id, function (event) { show(event.features[0], event.lngLat); });
                map.on('mouseenter', id, function () { map.getCanvas().style.cursor = 'pointer'; });
                map.on('mouseleave', id, function () { map.getCanvas().style.cursor = ''; });
              });
              map.on('click', 'clusters', function (event) { map.easeTo({ center: event.lngLat, zoom: map.getZoom() + 2 }); });
              // A popup of the record's main fields (text only), with a link to its page.
              function show(feature, at) {
                var p = feature.properties || {};
                var div = document.createElement('div');
                FIELDS.forEach(function (name, index) {
                  if (p[name] === undefined || p[name] === null || p[name] === '') return;
                  var line = document.createElement(index === 0 ? 'strong' : 'div');
                  line.textContent = index === 0 ? p[name] : name + ': ' + p[name];
                  div.appendChild(line);
                });
                var id = p.id !== undefined ? String(p.id) : (feature.id !== undefined ? String(feature.id) : null);
                if (id) {
                  var a = document.createElement('a');
                  a.href = '/collections/' + encodeURIComponent(COLLECTION) + '/items/' + id.split('/').map(encodeURIComponent).join('/') + '?f=html';
                  a.textContent = M.details;
                  div.appendChild(document.createElement('br'));
                  div.appendChild(a);
                }
                new maplibregl.Popup({ maxWidth: '320px' }).setLngLat(at).setDOMContent(div).addTo(map);
              }
              // Enter on the map opens the popup of the feature nearest its centre.
              element.addEventListener('keydown', function (event) {
                if (event.key !== 'Enter') return;
                var centre = map.project(map.getCenter());
                var found = map.queryRenderedFeatures([[centre.x - 20, centre.y - 20], [centre.x + 20, centre.y + 20]], { layers: ['points', 'areas', 'lines'] });
                if (found.length) show(found[0], map.getCenter());
              });
              // What is drawn, said a moment after the map draws (not only when idle: a base map that cannot be
              // reached keeps it from ever being idle).
              var counting = null;
              function count() {
                counting = null;
                if (!map.getLayer('points')) return;
                var drawn = map.queryRenderedFeatures({ layers: ['points', 'clusters', 'areas', 'lines'] });
                var grouped = drawn.filter(function (f) { return f.properties && f.properties.point_count; }).length;
                element.setAttribute('data-features', String(drawn.length));
                status.textContent = drawn.length + M.shown + (grouped ? M.grouped : '');
              }
              map.on('render', function () { if (!counting) counting = setTimeout(count, 250); });
            })();
            </script>
            """
        return body
    }
}
