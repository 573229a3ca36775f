import CivicData
import CivicStore
import Foundation
import Hummingbird

/// The HTML pages: the catalogue (by municipality and by standard dataset), a dataset page with a table and a
/// Leaflet map, and a feature page. Japanese first (`lang=en` for English); landmarks, captions, labelled map,
/// a skip link and high-contrast colours for accessibility. No template engine: escaped strings.
struct HTMLPages: Sendable {
    let configuration: ServerConfiguration
    let language: Language

    enum Language: String, Sendable {
        case ja, en
    }

    func t(_ japanese: String, _ english: String) -> String { language == .ja ? japanese : english }

    /// `f=html`, or no `f` and a browser's Accept header.
    static func wanted(_ request: Request) -> Bool {
        if let format = request.uri.queryParameters["f"] { return format == "html" }
        return request.headers[.accept]?.contains("text/html") == true
    }

    init(configuration: ServerConfiguration, request: Request) {
        self.configuration = configuration
        language = request.uri.queryParameters["lang"] == "en" ? .en : .ja
    }

    static func payload(_ html: String) -> Payload {
        Payload(bytes: Array(html.utf8), contentType: "text/html; charset=utf-8")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A JSON string literal safe inside a <script> element.
    static func script(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast()).replacingOccurrences(of: "</", with: "<\\/")
    }

    /// `value` as JSON for a `<script>` (sorted keys; `</` escaped so that no text ends the script).
    static func scriptJSON(_ value: Any) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("null".utf8), as: UTF8.self)
            .replacingOccurrences(of: "</", with: "<\\/")
    }

    /// The helpers the staff pages' scripts share (inside their function): `$`, `enc`, the token kept for the browser
    /// session, `fill` (a message's `{name}` places), `say` (the page's status line), `el` (an element) and `api` (a
    /// call with the token: status, JSON and ETag; status 0 when the server could not be reached). Every call asks
    /// the server (`cache: 'no-cache'`): pages are cacheable for a minute, and a staff page acting on a minute-old
    /// copy showed a shelter's old state after the event that changed it.
    static let scriptHelpers = """
          const $ = (id) => document.getElementById(id);
          const enc = encodeURIComponent;
          let token = sessionStorage.getItem('civic-token');
          const fill = (text, values) => text.replace(/\\{(\\w+)\\}/g, (_, k) => values[k] ?? '');
          function say(text, bad) { const s = $('status'); s.textContent = text; s.className = bad ? 'ng' : 'ok'; }
          function el(tag, attributes, text) {
            const node = document.createElement(tag);
            for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, v);
            if (text !== undefined) node.textContent = text;
            return node;
          }
          async function api(method, url, body, headers) {
            try {
              const response = await fetch(url, { method, body, cache: 'no-cache', headers: Object.assign({ Authorization: 'Bearer ' + token }, headers || {}) });
              const type = response.headers.get('Content-Type') || '';
              const data = type.includes('json') ? await response.json() : null;
              return { status: response.status, data, etag: response.headers.get('ETag') };
            } catch (error) {
              return { status: 0, data: null, etag: null };
            }
          }
        """

    func page(title: String, path: String, body: String, map: Bool = false, mapLibre: Bool = false) -> String {
        let other = language == .ja ? "en" : "ja"
        let switchLabel = language == .ja ? "English" : "日本語"
        let leaflet = configuration.mapLibraryURL
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLPages.escape(title)) — Civic</title>
            \(map ? "<link rel=\"stylesheet\" href=\"\(HTMLPages.escape(leaflet))/leaflet.css\">" : "")
            \(mapLibre && configuration.mapLibreDirectory != nil ? "<link rel=\"stylesheet\" href=\"/static/maplibre/maplibre-gl.css\">" : "")
            <style>
            body { font-family: "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif; color: #1a1a1a; background: #fff; margin: 0; line-height: 1.6; }
            header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
            header { border-bottom: 3px solid #004b8d; display: flex; justify-content: space-between; align-items: center; }
            a { color: #004b8d; } a:focus, button:focus { outline: 3px solid #ffbf47; outline-offset: 2px; }
            .skip { position: absolute; left: -10000px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; }
            table { border-collapse: collapse; width: 100%; font-size: .9rem; } caption { text-align: left; font-weight: bold; padding: .5rem 0; }
            th, td { border: 1px solid #767676; padding: .25rem .5rem; text-align: left; vertical-align: top; } th { background: #e8eef5; }
            .scroll { overflow-x: auto; } #map { height: 60vh; min-height: 320px; border: 1px solid #767676; margin: 1rem 0; }
            .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
            .swatch { display: inline-block; width: 1em; height: 1em; border-radius: 50%; margin-right: .3em; vertical-align: -0.1em; border: 1px solid #fff; outline: 1px solid #767676; }
            .ok { color: #0a6b2d; } .ng { color: #b00020; }
            </style>
            </head>
            <body>
            <a class="skip" href="#main">\(t("本文へ移動", "Skip to content"))</a>
            <header><p><a href="/?f=html&amp;lang=\(language.rawValue)">Civic — \(t("自治体標準オープンデータセット", "Municipal standard open data"))</a></p>
            <p><a href="\(HTMLPages.escape(path))\(path.contains("?") ? "&amp;" : "?")lang=\(other)" lang="\(other)">\(switchLabel)</a></p></header>
            <main id="main">
            \(body)
            </main>
            <footer><p>\(t("データの出典は各データセットに記載しています。", "Attribution is given on each dataset."))
             <a href="/api">OpenAPI</a> · <a href="/catalog.jsonld">DCAT</a> · <a href="/api/3/action/package_list">CKAN API</a>
             · <a href="/publish?lang=\(language.rawValue)">\(t("公開作業（自治体職員向け）", "Publishing (for municipal staff)"))</a></p></footer>
            </body>
            </html>
            """
    }

    // MARK: Catalogue

    func catalogue(_ catalogue: Catalogue) -> String {
        var body = "<h1>\(t("データカタログ", "Data catalogue"))</h1>\n"
        body += "<h2>\(t("団体別", "By municipality"))</h2>\n"
        let byMunicipality = Dictionary(grouping: catalogue.datasets) { $0.municipality ?? "—" }
        for name in byMunicipality.keys.sorted() {
            let datasets = byMunicipality[name]!
            body += "<h3>\(HTMLPages.escape(name))\(datasets.first?.municipalityCode.map { "（\($0)）" } ?? "")</h3>\n<ul>\n"
            for dataset in datasets {
                body +=
                    "<li><a href=\"/collections/\(FeaturesController.escape(dataset.id))?f=html&amp;lang=\(language.rawValue)\">\(HTMLPages.escape(dataset.title))</a>"
                body += " — \(HTMLPages.escape(dataset.standardTitle))、\(dataset.recordCount) \(t("件", "records"))</li>\n"
            }
            body += "</ul>\n"
        }
        body += "<h2>\(t("データセット別（全団体）", "By standard dataset (all municipalities)"))</h2>\n<ul>\n"
        for collection in catalogue.collections where collection.isMerged {
            body +=
                "<li><a href=\"/collections/\(FeaturesController.escape(collection.id))?f=html&amp;lang=\(language.rawValue)\">\(HTMLPages.escape(collection.title))</a>"
            body += " — \(collection.datasets.count) \(t("団体", "municipalities"))、\(collection.featureCount) \(t("地点", "points"))</li>\n"
        }
        body += "</ul>\n"
        return page(title: t("データカタログ", "Data catalogue"), path: "/?f=html", body: body)
    }

    // MARK: Dataset

    /// A collection's page; `tiles` chooses its map's source (nil: vector tiles above `mapTilesAbove` features).
    func collection(
        _ collection: Catalogue.Collection,
        features: [StoredFeature],
        renderer: FeatureRenderer,
        failures: [String: String] = [:],
        tiles: Bool? = nil
    ) -> String {
        let path = "/collections/" + FeaturesController.escape(collection.id)
        var body = "<h1>\(HTMLPages.escape(collection.title))</h1>\n<p>\(HTMLPages.escape(collection.description))</p>\n"
        body += "<table><caption>\(t("概要", "About"))</caption><tbody>\n"
        for dataset in collection.datasets {
            let rows: [(String, String)] = [
                (t("団体", "Municipality"), "\(dataset.municipality ?? "—")（\(dataset.municipalityCode ?? "—")）"),
                (t("標準データセット", "Standard dataset"), dataset.standardTitle),
                (t("件数", "Records"), "\(dataset.recordCount)（\(t("位置あり", "with coordinates")) \(dataset.featureCount)）"),
                (t("ライセンス", "Licence"), dataset.license ?? "—"),
                (t("出典", "Attribution"), dataset.attribution ?? "—"),
                (t("更新日", "Updated"), dataset.updated),
            ]
            if collection.isMerged { body += "<tr><th scope=\"row\" colspan=\"2\">\(HTMLPages.escape(dataset.title))</th></tr>\n" }
            for (label, value) in rows { body += "<tr><th scope=\"row\">\(label)</th><td>\(HTMLPages.escape(value))</td></tr>\n" }
            let status = dataset.valid ? "<span class=\"ok\">\(t("適合", "valid"))</span>" : "<span class=\"ng\">\(t("不適合あり", "has errors"))</span>"
            if let failure = failures[dataset.id] {
                // The newest file could not be loaded: the page says so, and that what it shows is the last good version.
                body +=
                    "<tr><th scope=\"row\">\(t("読込エラー", "Load error"))</th><td><span class=\"ng\" role=\"alert\">\(t("最新のファイルを読み込めませんでした。前回の版を公開しています。", "The newest file could not be loaded; the last good version is shown.")) \(HTMLPages.escape(failure))</span></td></tr>\n"
            }
            body +=
                "<tr><th scope=\"row\">\(t("検証", "Validation"))</th><td>\(status) — <a href=\"/datasets/\(FeaturesController.escape(dataset.id))/report.json\">\(t("検証レポート", "validation report")) (JSON)</a></td></tr>\n"
            body += "<tr><th scope=\"row\">\(t("ダウンロード", "Downloads"))</th><td>"
            let id = FeaturesController.escape(dataset.id)
            body += "<a href=\"/datasets/\(id).csv\">CSV (UTF-8)</a> · <a href=\"/datasets/\(id).csv?bom=true\">CSV (Excel, BOM)</a> · "
            body += "<a href=\"/datasets/\(id).csv?encoding=cp932\">CSV (Shift_JIS)</a> · <a href=\"/datasets/\(id).geojson\">GeoJSON</a> · "
            body += "<a href=\"/datasets/\(id).xlsx\">Excel (.xlsx)</a></td></tr>\n"
            if ShelterStatus.shelterSchemas.contains(dataset.standard) {
                // A shelter list's live status (its status table's page).
                let status = FeaturesController.escape(StatusTables.id(of: dataset.id))
                body +=
                    "<tr><th scope=\"row\">\(t("開設状況", "Opening status"))</th><td><a href=\"/collections/\(status)?f=html&amp;lang=\(language.rawValue)\">\(t("開設状況・混雑状況の地図", "Map of opening status and crowding"))</a></td></tr>\n"
            }
            if dataset.standard == ShelterStatus.schemaID {
                body +=
                    "<tr><th scope=\"row\">\(t("履歴", "History"))</th><td><a href=\"/datasets/\(id)/history.csv\">\(t("変更履歴", "Every change")) (CSV)</a> · <a href=\"/datasets/\(id)/history.xlsx\">\(t("変更履歴", "Every change")) (Excel)</a></td></tr>\n"
            }
        }
        body += "</tbody></table>\n"
        if HTMLPages.isStatusMap(collection) {
            // Shelters coloured by status and crowding, kept up to date from the change events.
            body += statusMap(collectionPath: path, title: collection.title)
        } else if configuration.mapLibreDirectory != nil {
            // MapLibre: GeoJSON for a small collection, vector tiles for a large one.
            body += vectorMap(collection, path: path, tiles: tiles ?? (collection.featureCount > configuration.mapTilesAbove))
        } else {
            let label = t("地図", "Map") + ": " + collection.title
            body += "<h2>\(t("地図", "Map"))</h2>\n<div id=\"map\" role=\"region\" aria-label=\"\(HTMLPages.escape(label))\" tabindex=\"0\"></div>\n"
            body += "<p id=\"map-status\" aria-live=\"polite\"></p>\n"
            body += mapScript(itemsURL: path + "/items?limit=\(configuration.maximumLimit)&f=json", single: false)
        }
        let shown = features.prefix(100)
        body += "<h2>\(t("データ", "Data"))</h2>\n<div class=\"scroll\"><table><caption>\(t("先頭", "First")) \(shown.count) \(t("件", "records"))"
        body += "（\(t("全", "of")) \(collection.featureCount)）</caption>\n<thead><tr><th scope=\"col\">ID</th>"
        let columns = Array(collection.columns.enumerated()).filter { index, _ in features.contains { !renderer.values(of: $0)[index].isEmpty } }
        for (_, name) in columns { body += "<th scope=\"col\">\(HTMLPages.escape(name))</th>" }
        body += "</tr></thead><tbody>\n"
        for feature in shown {
            let values = renderer.values(of: feature)
            let id = renderer.id(of: feature)
            body += "<tr><td><a href=\"\(path)/items/\(HTMLPages.escape(id))?f=html&amp;lang=\(language.rawValue)\">\(HTMLPages.escape(id))</a></td>"
            for (index, _) in columns { body += "<td>\(HTMLPages.escape(values[index]))</td>" }
            body += "</tr>\n"
        }
        body += "</tbody></table></div>\n"
        return page(title: collection.title, path: path + "?f=html", body: body, mapLibre: true)
    }

    // MARK: Feature

    func feature(_ feature: StoredFeature, collection: Catalogue.Collection, renderer: FeatureRenderer) -> String {
        let id = renderer.id(of: feature)
        let path = "/collections/" + FeaturesController.escape(collection.id)
        let values = renderer.values(of: feature)
        let name = collection.columns.firstIndex(of: "名称").map { values[$0] }.flatMap { $0.isEmpty ? nil : $0 } ?? id
        var body = "<h1>\(HTMLPages.escape(name))</h1>\n"
        body += "<p><a href=\"\(path)?f=html&amp;lang=\(language.rawValue)\">\(HTMLPages.escape(collection.title))</a></p>\n"
        body += "<div id=\"map\" role=\"region\" aria-label=\"\(HTMLPages.escape(t("地図", "Map") + ": " + name))\" tabindex=\"0\"></div>\n"
        body += "<p id=\"map-status\" aria-live=\"polite\"></p>\n"
        body += mapScript(itemsURL: path + "/items/" + id + "?f=json", single: true)
        body += "<table><caption>\(t("属性", "Properties"))</caption><tbody>\n"
        for (index, column) in collection.columns.enumerated() where !values[index].isEmpty {
            body += "<tr><th scope=\"row\">\(HTMLPages.escape(column))</th><td>\(HTMLPages.escape(values[index]))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        return page(title: name, path: path + "/items/" + id + "?f=html", body: body, map: true)
    }

    /// Leaflet over the configured tiles; the features are fetched as GeoJSON and drawn as circle markers (lines and
    /// polygons as outlined shapes) whose
    /// popups are built as text (never HTML from the data).
    func mapScript(itemsURL: String, single: Bool) -> String {
        """
        <script src="\(HTMLPages.escape(configuration.mapLibraryURL))/leaflet.js"></script>
        <script>
        (function () {
          var status = document.getElementById('map-status');
          if (!window.L) { status.textContent = \(HTMLPages.script(t("地図ライブラリを読み込めませんでした。", "The map library could not be loaded."))); return; }
          var map = L.map('map', { keyboard: true });
          L.tileLayer(\(HTMLPages.script(configuration.tileURL)), { attribution: \(HTMLPages.script(configuration.tileAttribution)), maxZoom: 18 }).addTo(map);
          fetch(\(HTMLPages.script(itemsURL)), { headers: { Accept: 'application/geo+json' } })
            .then(function (r) { return r.json(); })
            .then(function (data) {
              var layer = L.geoJSON(data, {
                style: function () { return { color: '#b00020', weight: 2, fillColor: '#ff5c5c', fillOpacity: 0.25 }; },
                pointToLayer: function (f, latlng) { return L.circleMarker(latlng, { radius: 7, color: '#b00020', weight: 2, fillColor: '#ff5c5c', fillOpacity: 0.8 }); },
                onEachFeature: function (f, l) {
                  var p = f.properties || {}; var div = document.createElement('div');
                  var strong = document.createElement('strong'); strong.textContent = p['名称'] || f.id; div.appendChild(strong);
                  if (p['所在地_連結表記']) { div.appendChild(document.createElement('br')); div.appendChild(document.createTextNode(p['所在地_連結表記'])); }
                  l.bindPopup(div);
                }
              }).addTo(map);
              var count = layer.getLayers().length;
              document.getElementById('map').setAttribute('data-markers', String(count));
              status.textContent = count + \(HTMLPages.script(t(" 地点を表示しています。", " points shown.")));
              if (count > 0) { map.fitBounds(layer.getBounds(), { maxZoom: \(single ? 16 : 15), padding: [20, 20] }); } else { map.setView([35.68, 139.76], 5); }
            })
            .catch(function () { status.textContent = \(HTMLPages.script(t("データを読み込めませんでした。", "The data could not be loaded."))); });
        })();
        </script>
        """
    }
}
