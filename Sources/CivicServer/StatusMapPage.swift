import CivicData
import CivicStore
import Foundation

/// The public map of a status table (a municipality's, or the merged one of every municipality): each shelter a
/// marker coloured by its status and crowding, with a legend in words; a list of the shelters for screen readers
/// (and anyone without the map); the time of the last update. It follows the change events (Server-Sent Events,
/// `EventSource`, resumed by the browser with `Last-Event-ID`) and recolours a marker, its list entry and the time as
/// a change arrives, without reloading. docs/shelter-status.md.
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
            <script src="\(HTMLPages.escape(configuration.mapLibraryURL))/leaflet.js"></script>
            <script>
            (function () {
              'use strict';
              var COLOURS = \(HTMLPages.scriptJSON(colours));
              var LABELS = \(HTMLPages.scriptJSON(labels));
              var M = \(HTMLPages.scriptJSON(messages));
              var base = \(HTMLPages.script(collectionPath));
              var status = document.getElementById('map-status');
              var list = document.getElementById('shelter-list');
              var map = null, markers = {}, entries = {}, latest = 0;
              if (window.L) {
                // A view at once: Leaflet adds markers to a map only once it has one.
                map = L.map('map', { keyboard: true }).setView([35.68, 139.76], 5);
                L.tileLayer(\(HTMLPages.script(configuration.tileURL)), { attribution: \(HTMLPages.script(configuration.tileAttribution)), maxZoom: 18 }).addTo(map);
              } else {
                status.textContent = M.noLibrary;
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
                var p = f.properties || {}, id = String(f.id), colour = COLOURS[key(p)];
                var li = entries[id];
                if (!li) { li = entries[id] = document.createElement('li'); list.appendChild(li); }
                li.setAttribute('data-id', id);
                li.setAttribute('data-state', key(p));
                li.textContent = (p['名称'] || id) + ' — ' + text(p) + (p['臨時'] === '1' ? '（臨時）' : '');
                var point = f.geometry && f.geometry.type === 'Point' ? f.geometry.coordinates : null;
                if (map && point) {
                  var marker = markers[id];
                  if (!marker) {
                    marker = markers[id] = L.circleMarker([point[1], point[0]], { radius: 8, weight: 2, color: '#ffffff', fillOpacity: 0.9 }).addTo(map);
                  } else {
                    marker.setLatLng([point[1], point[0]]);
                  }
                  marker.setStyle({ fillColor: colour });
                  marker.bindPopup(popup(f));
                  var element = marker.getElement();
                  if (element) { element.setAttribute('data-id', id); element.setAttribute('data-state', key(p)); }
                }
                when(p['更新日時']);
              }
              function remove(id) {
                if (markers[id]) { map.removeLayer(markers[id]); delete markers[id]; }
                if (entries[id]) { entries[id].remove(); delete entries[id]; }
              }
              function counted() {
                var count = Object.keys(entries).length;
                document.getElementById('map').setAttribute('data-markers', String(Object.keys(markers).length));
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
                  var points = Object.keys(markers).map(function (id) { return markers[id].getLatLng(); });
                  if (map) {
                    if (points.length) map.fitBounds(L.latLngBounds(points), { maxZoom: 15, padding: [20, 20] });
                  }
                })
                .catch(function () { status.textContent = M.noData; });
            })();
            </script>
            """
    }
}
