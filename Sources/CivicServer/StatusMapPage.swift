import CivicData
import CivicStore
import Foundation

/// The public map of a status table (a municipality's, or the merged one of every municipality), drawn with MapLibre
/// GL JS (from GeoJSON: a status table is a list of shelters): each shelter a circle coloured by its status and crowding, with a legend in words; a list of the shelters for screen readers
/// (and anyone without the map); the time of the last update. It follows the change events (Server-Sent Events,
/// `EventSource`, resumed by the browser with `Last-Event-ID`) and recolours a shelter (the map's data set again, once
/// a frame at most), its list entry and the time as a change arrives, without reloading. docs/shelter-status.md.
extension HTMLPages {
    /// A marker's colour and label for a status and crowding (colours that keep a 3:1 contrast on the map's tiles).
    static let statusColours: [(key: String, colour: String, japanese: String, english: String)] = [
        ("未開設", "#6b6b6b", "未開設", "not open"),
        ("開設準備中", "#7a4fbf", "開設準備中", "preparing"),
        ("空いています", "#1a7f37", "開設・空いています", "open, room"),
        ("やや混雑", "#9a7b00", "開設・やや混雑", "open, somewhat crowded"),
        ("混雑", "#d46b08", "開設・混雑", "open, crowded"),
        ("満", "#b00020", "満員・満", "full"),
        ("閉鎖", "#222222", "閉鎖", "closed"),
    ]

    /// True for a collection of status tables only.
    static func isStatusMap(_ collection: Catalogue.Collection) -> Bool {
        !collection.datasets.isEmpty && collection.datasets.allSatisfy { $0.standard == ShelterStatus.schemaID }
    }

    /// The map section of a status table's page.
    func statusMap(collectionPath: String, title: String) -> String {
        let legend = HTMLPages.statusColours.map { entry in
            "<li><span class=\"swatch\" style=\"background:\(entry.colour)\" aria-hidden=\"true\"></span>\(t(entry.japanese, entry.english))</li>"
        }.joined()
        var body = "<h2>\(t("開設状況の地図", "Shelter status map"))</h2>\n"
        body +=
            "<p id=\"last-update\" aria-live=\"polite\">\(t("最終更新", "Last update")): <time id=\"last-update-time\">\(t("まだ更新はありません", "no update yet"))</time></p>\n"
        body +=
            "<div id=\"map\" role=\"region\" aria-label=\"\(HTMLPages.escape(t("地図", "Map") + ": " + title))\" tabindex=\"0\"></div>\n"
        body += "<p id=\"map-status\" aria-live=\"polite\"></p>\n"
        body += "<ul class=\"legend\" aria-label=\"\(t("凡例", "Legend"))\">\(legend)</ul>\n"
        body += "<h2 id=\"shelter-list-title\">\(t("避難所の一覧", "Shelters"))</h2>\n"
        body += "<ul id=\"shelter-list\" aria-labelledby=\"shelter-list-title\"></ul>\n"
        body += statusMapScript(collectionPath: collectionPath)
        return body
    }

    private func statusMapScript(collectionPath: String) -> String {
        let colours = Dictionary(uniqueKeysWithValues: HTMLPages.statusColours.map { ($0.key, $0.colour) })
        let labels = Dictionary(uniqueKeysWithValues: HTMLPages.statusColours.map { ($0.key, t($0.japanese, $0.english)) })
        let messages: [String: String] = [
            "shown": t(" か所の避難所を表示しています。", " shelters shown."),
            "live": t("更新を自動で反映しています。", "Updates appear as they happen."),
            "offline": t("更新の受信が途切れました。再接続しています…", "Updates interrupted; reconnecting…"),
            "noLibrary": t("地図ライブラリを読み込めませんでした。一覧をご覧ください。", "The map library could not be loaded; see the list."),
            "noData": t("データを読み込めませんでした。", "The data could not be loaded."),
            "evacuees": t("避難者数", "evacuees"),
            "capacity": t("収容人数", "capacity"),
            "changed": t("が更新されました: ", " was updated: "),
            "closedNow": t("が一覧から外れました。", " left the list."),
        ]
        return """
            <script src="/static/maplibre/maplibre-gl.js"></script>
            <script>
            (function () {
              'use strict';
              var COLOURS = \(HTMLPages.scriptJSON(colours));
              var LABELS = \(HTMLPages.scriptJSON(labels));
              var M = \(HTMLPages.scriptJSON(messages));
              var base = \(HTMLPages.script(collectionPath));
              var status = document.getElementById('map-status');
              var list = document.getElementById('shelter-list');
              var map = null, shelters = {}, entries = {}, latest = 0, drawing = false;
              if (window.maplibregl) {
                try {
                  map = new maplibregl.Map({
                    container: 'map',
                    style: {
                      version: 8,
                      sources: {
                        base: \(baseMapSource),
                        shelters: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } }
                      },
                      // The shelters' layer in the style itself (a base map that cannot be reached holds 'load' back).
                      layers: [
                        { id: 'base', type: 'raster', source: 'base' },
                        { id: 'shelters', type: 'circle', source: 'shelters',
                          paint: { 'circle-color': ['get', 'colour'], 'circle-radius': 8, 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 2, 'circle-opacity': 0.9 } }
                      ]
                    },
                    center: [139.76, 35.68], zoom: 4, keyboard: true, attributionControl: { compact: false }
                  });
                  map.addControl(new maplibregl.NavigationControl({ showCompass: false }));
                  window.civicMap = map;
                  map.on('click', 'shelters', function (event) { popupAt(event.features[0], event.lngLat); });
                  map.on('mouseenter', 'shelters', function () { map.getCanvas().style.cursor = 'pointer'; });
                  map.on('mouseleave', 'shelters', function () { map.getCanvas().style.cursor = ''; });
                  // Enter on the map opens the popup of the shelter nearest its centre.
                  document.getElementById('map').addEventListener('keydown', function (event) {
                    if (event.key !== 'Enter') return;
                    var c = map.project(map.getCenter());
                    var found = map.queryRenderedFeatures([[c.x - 20, c.y - 20], [c.x + 20, c.y + 20]], { layers: ['shelters'] });
                    if (found.length) popupAt(found[0], map.getCenter());
                  });
                } catch (error) {
                  map = null;
                  status.textContent = M.noLibrary;
                }
              } else {
                status.textContent = M.noLibrary;
              }
              function popupAt(drawn, at) {
                var f = shelters[String(drawn.properties.id)];
                if (f) new maplibregl.Popup({ maxWidth: '320px' }).setLngLat(at).setDOMContent(popup(f)).addTo(map);
              }
              // The map's data again, once a frame at most however many changes come.
              function draw() {
                if (!map || drawing) return;
                drawing = true;
                requestAnimationFrame(function () {
                  drawing = false;
                  var features = [];
                  Object.keys(shelters).forEach(function (id) {
                    var f = shelters[id];
                    if (!f.geometry || f.geometry.type !== 'Point') return;
                    features.push({ type: 'Feature', geometry: f.geometry, properties: { id: id, colour: COLOURS[key(f.properties || {})], state: key(f.properties || {}) } });
                  });
                  map.getSource('shelters').setData({ type: 'FeatureCollection', features: features });
                });
              }
              // The colour key of a shelter: its status, or (open) its crowding.
              function key(p) {
                var s = p['状態'] || '未開設';
                if (s === '開設') return p['混雑度'] || '空いています';
                if (s === '満員') return '満';
                return COLOURS[s] ? s : '未開設';
              }
              function text(p) {
                var parts = [LABELS[key(p)] || p['状態']];
                if (p['避難者数'] !== undefined && p['避難者数'] !== null && p['避難者数'] !== '') {
                  parts.push(M.evacuees + ' ' + p['避難者数'] + (p['収容人数'] ? ' / ' + M.capacity + ' ' + p['収容人数'] : ''));
                }
                return parts.join('、');
              }
              function when(value) {
                var time = Date.parse(value);
                if (isNaN(time)) return;
                if (time > latest) {
                  latest = time;
                  var node = document.getElementById('last-update-time');
                  node.dateTime = new Date(time).toISOString();
                  node.textContent = new Date(time).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', hour12: false });
                }
              }
              function popup(f) {
                var p = f.properties || {};
                var div = document.createElement('div');
                var strong = document.createElement('strong'); strong.textContent = p['名称'] || f.id; div.appendChild(strong);
                div.appendChild(document.createElement('br')); div.appendChild(document.createTextNode(text(p)));
                if (p['備考']) { div.appendChild(document.createElement('br')); div.appendChild(document.createTextNode(p['備考'])); }
                return div;
              }
              // One shelter shown (or shown again): its marker's colour, its list entry, the last update's time.
              function show(f) {
                var p = f.properties || {}, id = String(f.id);
                var li = entries[id];
                if (!li) { li = entries[id] = document.createElement('li'); list.appendChild(li); }
                li.setAttribute('data-id', id);
                li.setAttribute('data-state', key(p));
                li.textContent = (p['名称'] || id) + ' — ' + text(p) + (p['臨時'] === '1' ? '（臨時）' : '');
                shelters[id] = f;
                draw();
                when(p['更新日時']);
              }
              function remove(id) {
                delete shelters[id];
                draw();
                if (entries[id]) { entries[id].remove(); delete entries[id]; }
              }
              function counted() {
                var count = Object.keys(entries).length;
                var points = Object.keys(shelters).filter(function (id) { var g = shelters[id].geometry; return g && g.type === 'Point'; }).length;
                document.getElementById('map').setAttribute('data-markers', String(map ? points : 0));
                return count;
              }
              // The events first, then the list: a change in between is in the list, or comes as an event, or both.
              var events = new EventSource(base + '/changes');
              var fresh = {};
              events.onmessage = function (message) {
                var event = JSON.parse(message.data);
                if (!event.subject) return;
                fresh[event.subject] = true;
                if (event.data) { show(event.data); } else { remove(String(event.subject)); }
                when(event.time);
                counted();
                var name = event.data && event.data.properties ? (event.data.properties['名称'] || event.subject) : event.subject;
                status.textContent = name + (event.data ? M.changed + text(event.data.properties || {}) : M.closedNow);
              };
              events.onerror = function () { status.textContent = M.offline; };
              events.onopen = function () { document.getElementById('last-update').setAttribute('data-live', 'true'); };
              fetch(base + '/items?limit=\(configuration.maximumLimit)&f=json', { headers: { Accept: 'application/geo+json' }, cache: 'no-cache' })
                .then(function (r) { return r.json(); })
                .then(function (data) {
                  (data.features || []).forEach(function (f) { if (!fresh[f.id]) show(f); });
                  var count = counted();
                  status.textContent = count + M.shown + ' ' + M.live;
                  var points = Object.keys(shelters).map(function (id) { var g = shelters[id].geometry; return g && g.type === 'Point' ? g.coordinates : null; })
                    .filter(function (point) { return point; });
                  if (map && points.length) {
                    var west = Math.min.apply(null, points.map(function (p) { return p[0]; })), east = Math.max.apply(null, points.map(function (p) { return p[0]; }));
                    var south = Math.min.apply(null, points.map(function (p) { return p[1]; })), north = Math.max.apply(null, points.map(function (p) { return p[1]; }));
                    map.fitBounds([[west, south], [east, north]], { maxZoom: 15, padding: 20, animate: false });
                  }
                })
                .catch(function () { status.textContent = M.noData; });
            })();
            </script>
            """
    }
}
