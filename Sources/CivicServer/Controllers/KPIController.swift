import CivicData
import CivicExcel
import CivicStore
import Foundation
import Hummingbird

/// The portal's KPI (docs/kpi.md): `/kpi` (every municipality: coverage of the national standard datasets,
/// conformance, metadata quality, freshness), `/kpi/{団体コード}` (one municipality and its datasets), as JSON, as
/// HTML pages with charts drawn on the server as SVG (a table behind every chart), and the coverage matrix as
/// `/kpi.csv` and `/kpi.xlsx` for the 報告 cities file.
struct KPIController: Sendable {
    let catalogue: Catalogue
    let configuration: ServerConfiguration
    let delivery: Delivery
    let store: any UsageStore
    let usage: UsageCounter

    func addRoutes(to router: Router<CivicRequestContext>) {
        // Not cached: the usage counts change between two refreshes of the catalogue (the pages take milliseconds).
        router.get("/kpi") { request, _ in
            try self.delivery.respond(request, cacheable: false) {
                let kpi = self.kpi()
                if HTMLPages.wanted(request) {
                    return HTMLPages.payload(HTMLPages(configuration: self.configuration, request: request).portalKPI(kpi))
                }
                return Payload(bytes: try documentJSON(kpi), contentType: "application/json")
            }
        }
        router.get("/kpi.csv") { request, _ in try self.delivery.respond(request) { try self.matrixCSV() } }
        router.get("/kpi.xlsx") { request, _ in try self.delivery.respond(request) { try self.matrixWorkbook() } }
        router.get("/kpi/datasets.csv") { request, _ in try self.delivery.respond(request, cacheable: false) { try self.datasetsCSV() } }
        router.get("/kpi/datasets.xlsx") { request, _ in try self.delivery.respond(request, cacheable: false) { try self.datasetsWorkbook() } }
        router.get("/kpi/:code") { request, context in
            let code = try context.parameters.require("code")
            return try self.delivery.respond(request, cacheable: false) {
                // The municipality's datasets alone: its figures do not depend on the others'.
                let own = PortalKPI(
                    datasets: self.counted.filter { $0.municipalityCode == code },
                    entries: self.catalogue.entries,
                    activity: self.catalogue.activity,
                    usage: self.usage.recent(PortalKPI.usageDays, from: self.store),
                    downloadable: self.downloadable
                )
                guard let municipality = own.municipalities.first(where: { $0.code == code }) else {
                    throw APIError.notFound("no municipality '\(code)' publishes here (a 全国地方公共団体コード of 6 digits)")
                }
                if HTMLPages.wanted(request) {
                    return HTMLPages.payload(
                        HTMLPages(configuration: self.configuration, request: request).municipalityKPI(municipality)
                    )
                }
                return Payload(bytes: try documentJSON(municipality), contentType: "application/json")
            }
        }
    }

    /// The datasets the KPI counts: status tables are Civic's own (live status), not published datasets.
    var counted: [StoredDataset] { catalogue.datasets.filter { $0.standard != ShelterStatus.schemaID } }

    func kpi() -> PortalKPI {
        PortalKPI(
            datasets: counted,
            entries: catalogue.entries,
            activity: catalogue.activity,
            usage: usage.recent(PortalKPI.usageDays, from: store),
            downloadable: downloadable
        )
    }

    /// Whether each dataset's download answered, by id (those checked).
    var downloadable: [String: Bool] {
        Dictionary(
            counted.compactMap { dataset in catalogue.downloadable(dataset).map { (dataset.id, $0) } },
            uniquingKeysWith: { first, _ in first }
        )
    }

    /// One row a dataset: its municipality, scores, freshness and usage — the table behind a 報告 of quality and use.
    func datasets() -> (columns: [String], types: [XLSXWriter.ColumnType], rows: [[String]]) {
        let kpi = kpi()
        let columns = [
            "団体コード", "団体名", "データセットID", "名称", "標準データセット", "件数", "標準への適合", "メタデータ", "品質", "最終更新", "更新頻度", "更新の遅れ",
            "ダウンロード（\(PortalKPI.usageDays)日）", "API（\(PortalKPI.usageDays)日）",
        ]
        let types: [XLSXWriter.ColumnType] =
            [.text, .text, .text, .text, .text] + Array(repeating: .number, count: 4) + [.text, .text, .text, .number, .number]
        let rows = kpi.municipalities.flatMap { municipality in
            municipality.datasets.map { dataset -> [String] in
                [
                    municipality.code, municipality.name, dataset.id, dataset.title, (dataset.number.map { "\($0) " } ?? "") + dataset.standard,
                    String(dataset.records), String(dataset.conformance.points), String(dataset.metadata.points), String(PortalKPI.quality(dataset)),
                    String(dataset.modified.prefix(10)), dataset.updateFrequency.flatMap(UpdateFrequency.init(rawValue:))?.japanese ?? "",
                    dataset.overdue.map { $0 ? "遅れ" : "期限内" } ?? "", String(dataset.usage.downloads), String(dataset.usage.apiRequests),
                ]
            }
        }
        return (columns, types, rows)
    }

    func datasetsCSV() throws -> Payload {
        let (columns, _, rows) = datasets()
        return try KPIController.csv(columns, rows, name: "kpi-datasets")
    }

    func datasetsWorkbook() throws -> Payload {
        let (columns, types, rows) = datasets()
        return try KPIController.workbook(columns, types, rows, sheet: "データセット", name: "kpi-datasets")
    }

    /// A table for the 報告 as CSV: with a byte order mark, the file is opened in Excel by the staff who file it.
    static func csv(_ columns: [String], _ rows: [[String]], name: String) throws -> Payload {
        let output = ByteWriter()
        let writer = try CSVWriter(output: output, byteOrderMark: true)
        try writer.writeHeader(columns)
        for (index, row) in rows.enumerated() { try writer.writeRow(row, line: index + 2) }
        try writer.finish()
        return Payload(
            bytes: output.bytes,
            contentType: "text/csv; charset=utf-8",
            headers: [.contentDisposition: "attachment; filename=\"\(name).csv\""]
        )
    }

    /// A table for the 報告 as a workbook, its numbers typed.
    static func workbook(_ columns: [String], _ types: [XLSXWriter.ColumnType], _ rows: [[String]], sheet: String, name: String) throws -> Payload {
        let writer = try XLSXWriter(columns: columns, types: types, sheetName: sheet)
        for row in rows { try writer.writeRow(row) }
        return Payload(
            bytes: try writer.finishBytes(),
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers: [.contentDisposition: "attachment; filename=\"\(name).xlsx\""]
        )
    }

    /// One row a municipality: code, name, how many of the national list, of how many, then 1 or 0 for each.
    func matrix() -> (columns: [String], rows: [[String]]) {
        let kpi = kpi()
        let columns = ["団体コード", "団体名", "公開数", "全体", "公開率"] + kpi.standardDatasets.map { "\($0.number) \($0.title)" }
        let rows = kpi.municipalities.map { municipality -> [String] in
            let published = Set(municipality.published.map(\.id))
            return [
                municipality.code, municipality.name, String(municipality.coverage.published), String(municipality.coverage.total),
                String(format: "%.3f", municipality.coverage.ratio),
            ] + kpi.standardDatasets.map { published.contains($0.id) ? "1" : "0" }
        }
        return (columns, rows)
    }

    func matrixCSV() throws -> Payload {
        let (columns, rows) = matrix()
        return try KPIController.csv(columns, rows, name: "kpi")
    }

    func matrixWorkbook() throws -> Payload {
        let (columns, rows) = matrix()
        let types: [XLSXWriter.ColumnType] = [.text, .text, .number, .number, .number] + Array(repeating: .number, count: columns.count - 5)
        return try KPIController.workbook(columns, types, rows, sheet: "公開状況", name: "kpi")
    }
}

extension HTMLPages {
    /// A horizontal bar chart drawn as SVG (no script, no library): one bar a row, its value of `maximum`, labelled;
    /// the chart is an image described by its title, and the same numbers are in the table that follows it.
    static func barChart(title: String, rows: [(label: String, value: Double, text: String)], maximum: Double, colour: String = "#004b8d") -> String {
        let height = 22 * rows.count + 10
        var svg =
            "<svg role=\"img\" aria-label=\"\(escape(title))\" width=\"640\" height=\"\(height)\" viewBox=\"0 0 640 \(height)\" class=\"chart\">"
        svg += "<title>\(escape(title))</title>"
        for (index, row) in rows.enumerated() {
            let y = 5 + index * 22
            let width = maximum > 0 ? Int((row.value / maximum * 300).rounded()) : 0
            svg += "<text x=\"0\" y=\"\(y + 15)\" font-size=\"13\">\(escape(row.label))</text>"
            svg += "<rect x=\"280\" y=\"\(y + 3)\" width=\"\(width)\" height=\"15\" fill=\"\(colour)\" data-value=\"\(row.value)\"></rect>"
            svg += "<text x=\"\(286 + width)\" y=\"\(y + 15)\" font-size=\"13\">\(escape(row.text))</text>"
        }
        return svg + "</svg>\n"
    }

    func portalKPI(_ kpi: PortalKPI) -> String {
        var body = "<h1>\(t("オープンデータ公開状況（KPI）", "Open data KPI"))</h1>\n"
        body +=
            "<p>\(t("自治体標準オープンデータセット全 \(kpi.standardDatasets.count) 種類のうち、各団体が公開しているもの。", "How many of the \(kpi.standardDatasets.count) national standard datasets each municipality publishes.")) "
        body += "<a href=\"/kpi.csv\">CSV</a>・<a href=\"/kpi.xlsx\">Excel (.xlsx)</a>・<a href=\"/kpi\">JSON</a>。"
        body +=
            "\(t("データセット別の得点と利用", "Scores and use by dataset")): <a href=\"/kpi/datasets.csv\">CSV</a>・<a href=\"/kpi/datasets.xlsx\">Excel (.xlsx)</a></p>\n"
        body += "<table><caption>\(t("ポータル全体", "The portal"))</caption><tbody>"
        body += "<tr><th scope=\"row\">\(t("団体数", "Municipalities"))</th><td>\(kpi.portal.municipalities)</td></tr>"
        body += "<tr><th scope=\"row\">\(t("データセット数", "Datasets"))</th><td>\(kpi.portal.datasets)</td></tr>"
        body +=
            "<tr><th scope=\"row\">\(t("公開率（全団体）", "Coverage (all)"))</th><td>\(kpi.portal.coverage.published) / \(kpi.portal.coverage.total)（\(HTMLPages.percent(kpi.portal.coverage.ratio))）</td></tr>"
        body += "</tbody></table>\n"
        let title = t("団体別の公開数", "Standard datasets published, by municipality")
        body += "<h2 id=\"coverage-chart\">\(title)</h2>\n"
        body += HTMLPages.barChart(
            title: title,
            rows: kpi.municipalities.map { ($0.name, Double($0.coverage.published), "\($0.coverage.published) / \($0.coverage.total)") },
            maximum: Double(kpi.standardDatasets.count)
        )
        body += "<table id=\"coverage-table\"><caption>\(title)</caption><thead><tr><th scope=\"col\">\(t("団体", "Municipality"))</th>"
        body +=
            "<th scope=\"col\">\(t("公開数", "Published"))</th><th scope=\"col\">\(t("公開率", "Coverage"))</th><th scope=\"col\">\(t("標準への適合", "Conformance"))</th><th scope=\"col\">\(t("メタデータ", "Metadata"))</th><th scope=\"col\">\(t("更新の遅れ", "Overdue"))</th></tr></thead><tbody>"
        for municipality in kpi.municipalities {
            body +=
                "<tr data-code=\"\(HTMLPages.escape(municipality.code))\"><th scope=\"row\"><a href=\"/kpi/\(HTMLPages.escape(municipality.code))?f=html\">\(HTMLPages.escape(municipality.name))</a>（\(HTMLPages.escape(municipality.code))）</th>"
            body +=
                "<td data-value=\"\(municipality.coverage.published)\">\(municipality.coverage.published) / \(municipality.coverage.total)</td><td>\(HTMLPages.percent(municipality.coverage.ratio))</td><td>\(municipality.conformance)%</td><td>\(municipality.metadata)%</td><td>\(municipality.overdue)</td></tr>"
        }
        body += "</tbody></table>\n"
        // The coverage matrix: municipality × standard dataset.
        body += "<h2>\(t("公開状況の一覧（団体 × 標準データセット）", "Coverage matrix (municipality × standard dataset)"))</h2>\n"
        body +=
            "<div class=\"scroll\"><table id=\"coverage-matrix\"><caption>\(t("○ 公開、— 未公開（番号は下の表の標準データセット）", "○ published, — not published (numbers as in the table below)"))</caption><thead><tr><th scope=\"col\">\(t("団体", "Municipality"))</th>"
        for standard in kpi.standardDatasets {
            body += "<th scope=\"col\"><abbr title=\"\(HTMLPages.escape(standard.title))\">\(standard.number)</abbr></th>"
        }
        body += "</tr></thead><tbody>"
        for municipality in kpi.municipalities {
            let published = Set(municipality.published.map(\.id))
            body += "<tr><th scope=\"row\">\(HTMLPages.escape(municipality.name))</th>"
            for standard in kpi.standardDatasets {
                body += published.contains(standard.id) ? "<td data-published=\"1\">○</td>" : "<td data-published=\"0\">—</td>"
            }
            body += "</tr>"
        }
        body += "</tbody></table></div>\n"
        let publishersTitle = t("標準データセット別の公開団体数", "Municipalities publishing each standard dataset")
        body += "<h2>\(publishersTitle)</h2>\n"
        let counts = kpi.standardDatasets.map { ($0, kpi.portal.publishers[$0.id] ?? 0) }
        body += HTMLPages.barChart(
            title: publishersTitle,
            rows: counts.map { ("\($0.0.number) \($0.0.title)", Double($0.1), "\($0.1)") },
            maximum: Double(max(1, kpi.portal.municipalities)),
            colour: "#1a7f37"
        )
        body +=
            "<table id=\"publishers-table\"><caption>\(publishersTitle)</caption><thead><tr><th scope=\"col\">\(t("標準データセット", "Standard dataset"))</th><th scope=\"col\">\(t("団体数", "Municipalities"))</th></tr></thead><tbody>"
        for (standard, count) in counts {
            body += "<tr><th scope=\"row\">\(standard.number) \(HTMLPages.escape(standard.title))</th><td>\(count)</td></tr>"
        }
        body += "</tbody></table>\n"
        body += qualitySection(kpi.portal.quality)
        body += activitySection(kpi.portal.activity, id: "activity")
        body += usageSection(kpi.portal.usage, kpi.portal.usageByDay)
        return page(title: t("オープンデータ公開状況", "Open data KPI"), path: "/kpi?f=html", body: body)
    }

    func municipalityKPI(_ municipality: PortalKPI.Municipality) -> String {
        var body = "<h1>\(HTMLPages.escape(municipality.name))（\(HTMLPages.escape(municipality.code))）\(t("の公開状況", ": open data"))</h1>\n"
        body +=
            "<p>\(t("自治体標準オープンデータセット", "National standard datasets")): <strong id=\"coverage\">\(municipality.coverage.published) / \(municipality.coverage.total)</strong>（\(HTMLPages.percent(municipality.coverage.ratio))）。<a href=\"/kpi?f=html\">\(t("全団体", "All municipalities"))</a>・<a href=\"/kpi/\(HTMLPages.escape(municipality.code))\">JSON</a></p>\n"
        body += "<h2>\(t("公開している標準データセット", "Published"))</h2>\n<ul id=\"published\">"
        for standard in municipality.published {
            body += "<li>\(standard.number) \(HTMLPages.escape(standard.title)) — "
            body += standard.datasets.map { "<a href=\"/collections/\(FeaturesController.escape($0))?f=html\">\(HTMLPages.escape($0))</a>" }.joined(
                separator: "、"
            )
            body += "</li>"
        }
        body += "</ul>\n<h2>\(t("未公開の標準データセット", "Not yet published"))</h2>\n<ul id=\"missing\">"
        for standard in municipality.missing { body += "<li>\(standard.number) \(HTMLPages.escape(standard.title))</li>" }
        body += "</ul>\n"
        let title = t("データセット別の品質（点）", "Quality by dataset (points)")
        body += "<h2>\(title)</h2>\n"
        body += HTMLPages.barChart(
            title: title,
            rows: municipality.datasets.map {
                ($0.title, Double($0.conformance.points + $0.metadata.points), "\($0.conformance.points + $0.metadata.points) / 200")
            },
            maximum: 200
        )
        body += "<table id=\"quality-table\"><caption>\(title)</caption><thead><tr><th scope=\"col\">\(t("データセット", "Dataset"))</th>"
        body +=
            "<th scope=\"col\">\(t("件数", "Records"))</th><th scope=\"col\">\(t("標準への適合", "Conformance"))</th><th scope=\"col\">\(t("メタデータ", "Metadata"))</th><th scope=\"col\">\(t("最終更新", "Last change"))</th><th scope=\"col\">\(t("更新頻度", "Update frequency"))</th></tr></thead><tbody>"
        for dataset in municipality.datasets {
            let parts = { (score: PortalKPI.Score) in score.parts.map { "\($0.name) \($0.points)/\($0.maximum)" }.joined(separator: ", ") }
            body +=
                "<tr data-id=\"\(HTMLPages.escape(dataset.id))\"><th scope=\"row\"><a href=\"/collections/\(FeaturesController.escape(dataset.id))?f=html\">\(HTMLPages.escape(dataset.title))</a></th><td>\(dataset.records)</td>"
            body +=
                "<td title=\"\(HTMLPages.escape(parts(dataset.conformance)))\">\(dataset.conformance.points) / \(dataset.conformance.maximum)</td>"
            body += "<td title=\"\(HTMLPages.escape(parts(dataset.metadata)))\">\(dataset.metadata.points) / \(dataset.metadata.maximum)</td>"
            body += "<td>\(HTMLPages.escape(String(dataset.modified.prefix(10))))（\(dataset.ageDays) \(t("日前", "days ago"))）</td>"
            let frequency = dataset.updateFrequency.flatMap(UpdateFrequency.init(rawValue:))
            let state =
                switch dataset.overdue {
                case true?: "<strong class=\"overdue\">\(t("遅れ", "overdue"))</strong>"
                case false?: t("期限内", "on time")
                case nil: "—"
                }
            body +=
                "<td data-overdue=\"\(dataset.overdue.map { $0 ? "1" : "0" } ?? "")\">\(frequency.map { t($0.japanese, $0.rawValue) } ?? t("未設定", "not declared"))・\(state)</td></tr>"
        }
        body += "</tbody></table>\n"
        body += activitySection(municipality.activity, id: "activity")
        body += usageSection(municipality.usage, municipality.usageByDay)
        body +=
            "<table id=\"dataset-usage\"><caption>\(t("データセット別の利用（\(PortalKPI.usageDays)日間）", "Use by dataset (\(PortalKPI.usageDays) days)"))</caption><thead><tr><th scope=\"col\">\(t("データセット", "Dataset"))</th><th scope=\"col\">\(t("ダウンロード", "Downloads"))</th><th scope=\"col\">API</th></tr></thead><tbody>"
        for dataset in municipality.datasets {
            body +=
                "<tr data-id=\"\(HTMLPages.escape(dataset.id))\"><th scope=\"row\">\(HTMLPages.escape(dataset.title))</th><td>\(dataset.usage.downloads)</td><td>\(dataset.usage.apiRequests)</td></tr>"
        }
        body += "</tbody></table>\n"
        return page(title: municipality.name + " — " + t("公開状況", "open data"), path: "/kpi/\(municipality.code)?f=html", body: body)
    }

    static func percent(_ ratio: Double) -> String { String(format: "%.1f%%", ratio * 100) }

    /// The datasets by band of quality: a chart and its table.
    func qualitySection(_ bands: [PortalKPI.Band]) -> String {
        let title = t("品質の分布（データセット数）", "Quality distribution (datasets)")
        var body = "<h2 id=\"quality\">\(title)</h2>\n"
        body +=
            "<p>\(t("品質＝標準への適合とメタデータの得点率の平均。", "Quality: the mean of the conformance and metadata percentages."))</p>\n"
        let label = { (band: PortalKPI.Band) in "\(band.name)（\(band.from)%\(t("以上", "+"))）" }
        body += HTMLPages.barChart(
            title: title,
            rows: bands.map { (label($0), Double($0.datasets), "\($0.datasets)") },
            maximum: Double(max(1, bands.map(\.datasets).max() ?? 1)),
            colour: "#8250df"
        )
        body +=
            "<table id=\"quality-bands\"><caption>\(title)</caption><thead><tr><th scope=\"col\">\(t("区分", "Band"))</th><th scope=\"col\">\(t("データセット数", "Datasets"))</th></tr></thead><tbody>"
        for band in bands { body += "<tr><th scope=\"row\">\(HTMLPages.escape(label(band)))</th><td>\(band.datasets)</td></tr>" }
        return body + "</tbody></table>\n"
    }

    /// Downloads and API requests by day (the last `usageDays`): a chart of their sum and the table of each.
    func usageSection(_ total: UsageCount, _ days: [PortalKPI.UsageDay]) -> String {
        let title = t("日別の利用（ダウンロード＋API、\(PortalKPI.usageDays)日間）", "Use by day (downloads + API requests, \(PortalKPI.usageDays) days)")
        var body = "<h2 id=\"usage\">\(title)</h2>\n"
        body +=
            "<p id=\"usage-total\">\(t("ダウンロード", "Downloads")) \(total.downloads)・API \(total.apiRequests)（\(t("うち 304 Not Modified", "of which 304 Not Modified")) \(total.notModified)）。\(t("利用者の情報は記録していません。", "Nothing of the users is kept."))</p>\n"
        guard !days.isEmpty else { return body }
        body += HTMLPages.barChart(
            title: title,
            rows: days.map { ($0.day, Double($0.downloads + $0.apiRequests), "\($0.downloads + $0.apiRequests)") },
            maximum: Double(max(1, days.map { $0.downloads + $0.apiRequests }.max() ?? 1)),
            colour: "#0a7d8c"
        )
        body +=
            "<table id=\"usage-table\"><caption>\(title)</caption><thead><tr><th scope=\"col\">\(t("日", "Day"))</th><th scope=\"col\">\(t("ダウンロード", "Downloads"))</th><th scope=\"col\">API</th><th scope=\"col\">304</th></tr></thead><tbody>"
        for day in days {
            body += "<tr><th scope=\"row\">\(day.day)</th><td>\(day.downloads)</td><td>\(day.apiRequests)</td><td>\(day.notModified)</td></tr>"
        }
        return body + "</tbody></table>\n"
    }

    /// Releases and edits by month (the last 24): a chart of releases and the table of both.
    func activitySection(_ activity: [PortalKPI.Activity], id: String) -> String {
        let months = Array(activity.suffix(24))
        let title = t("月別の更新（公開されたリリース数）", "Releases published by month")
        var body = "<h2 id=\"\(id)\">\(title)</h2>\n"
        guard !months.isEmpty else { return body + "<p>\(t("まだ更新はありません。", "No releases yet."))</p>\n" }
        body += HTMLPages.barChart(
            title: title,
            rows: months.map { ($0.month, Double($0.releases), "\($0.releases)") },
            maximum: Double(max(1, months.map(\.releases).max() ?? 1)),
            colour: "#bc4c00"
        )
        body +=
            "<table id=\"\(id)-table\"><caption>\(title)</caption><thead><tr><th scope=\"col\">\(t("月", "Month"))</th><th scope=\"col\">\(t("リリース", "Releases"))</th><th scope=\"col\">\(t("レコードの編集", "Record edits"))</th></tr></thead><tbody>"
        for month in months {
            body += "<tr><th scope=\"row\">\(month.month)</th><td>\(month.releases)</td><td>\(month.edits)</td></tr>"
        }
        return body + "</tbody></table>\n"
    }
}
