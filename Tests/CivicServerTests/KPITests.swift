import CivicData
import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import CivicServer

/// The portal KPI (docs/kpi.md) on the bundled datasets: coverage of the full national list with the missing named,
/// conformance and metadata scores with their parts, the JSON, the pages (charts with their tables), CSV and XLSX.
@Suite struct KPITests {
    @Test func coverageAndScoresOfTheBundledMunicipalities() throws {
        let fixture = try ReleaseHTTPTests.Fixture()
        let datasets = try fixture.store.datasets().filter { $0.standard != ShelterStatus.schemaID }
        let kpi = PortalKPI(
            datasets: datasets,
            entries: try fixture.store.catalogEntries(),
            activity: try fixture.store.catalogActivity(excluding: ShelterStatus.schemaID),
            downloadable: Dictionary(uniqueKeysWithValues: datasets.map { ($0.id, true) })
        )
        #expect(kpi.standardDatasets.count == 27 && kpi.standardDatasets.first?.id == "public_facility")
        #expect(kpi.municipalities.map(\.code) == ["122033", "222127", "372013"])
        let yaizu = try #require(kpi.municipalities.first { $0.code == "222127" })
        #expect(yaizu.name == "静岡県焼津市" && yaizu.coverage.published == 4 && yaizu.coverage.total == 27)
        #expect(yaizu.published.map(\.id) == ["public_facility", "evacuation_space", "aed", "public_toilet"])
        #expect(yaizu.missing.count == 23 && yaizu.missing.contains { $0.number == "14" && $0.title == "消防水利施設一覧" })
        #expect(Set(yaizu.published.map(\.id)).isDisjoint(with: yaizu.missing.map(\.id)))
        let aed = try #require(yaizu.datasets.first { $0.id == "yaizu-aed" })
        // 焼津市's AED list is in the 2019 layout: 8 of the layout's 15 points; every other part full.
        #expect(aed.number == "08" && aed.records == 82 && aed.conformance.points == 93 && aed.metadata.points == aed.metadata.maximum)
        #expect(aed.conformance.parts.map(\.name) == ["requiredColumns", "cellsValid", "checkDigits", "pointsInside", "layout"])
        #expect(aed.conformance.parts.map(\.points) == [30, 30, 10, 15, 8])
        let ichikawa = try #require(kpi.municipalities.first { $0.code == "122033" }?.datasets.first { $0.id == "ichikawa-aed" })
        #expect(ichikawa.conformance.points == 100)
        // 高松市's lists are in no standard layout.
        let takamatsu = try #require(kpi.municipalities.first { $0.code == "372013" }?.datasets.first { $0.id == "takamatsu-aed" })
        #expect(takamatsu.conformance.parts.last?.points == 0)
        // Releases by month: one for each dataset the data folder loaded.
        let activity = kpi.portal.activity.map(\.releases).reduce(0, +)
        #expect(activity >= datasets.count)
        #expect(kpi.portal.quality.map(\.datasets).reduce(0, +) == datasets.count)
        #expect(kpi.portal.coverage.published == 9 && kpi.portal.coverage.total == 81 && kpi.portal.publishers["aed"] == 3)

        // A dataset without a required column, with errors in a quarter of its cells, every code's check digit wrong,
        // half its points outside the municipality, in no standard layout, scores for what it has.
        var broken = try #require(datasets.first { $0.id == "yaizu-aed" })
        broken.columns = broken.columns.filter { $0 != "名称" }
        broken.valid = false
        broken.license = nil
        var quality = try #require(broken.quality)
        #expect(quality.records == 82 && quality.errors == 0 && quality.layout == "legacy")
        let codeColumns = broken.schema.fields.filter { $0.civic?.checkDigit != nil && broken.columns.contains($0.name) }.count
        quality.errors = quality.cells / 4
        quality.checkDigitErrors = quality.records * codeColumns
        quality.pointsOutside = broken.featureCount / 2
        quality.layout = "nonStandard"
        broken.quality = quality
        let score = PortalKPI.conformance(broken)
        #expect(score.parts[0].points < 30 && score.parts.dropFirst().map(\.points) == [23, 0, 8, 0])
        #expect(PortalKPI.metadata(broken).parts.first { $0.name == "license" }?.points == 0)
        // A download not checked yet, or one that could not be written, scores no accessibility.
        #expect(PortalKPI.metadata(broken, downloadable: false).parts.last?.points == 0)
        #expect(PortalKPI.metadata(broken, downloadable: true).parts.last.map { "\($0.name) \($0.points)" } == "downloadAnswers 20")
        // A version loaded before the counts were kept scores by its validity (its layout unknown: 8).
        broken.quality = nil
        #expect(PortalKPI.conformance(broken).parts.dropFirst().map(\.points) == [0, 0, 0, 8])

        // Freshness: a declared frequency makes a dataset overdue once its period and half of it have passed.
        var monthly = try #require(datasets.first { $0.id == "yaizu-aed" })
        monthly.updateFrequency = .monthly
        let entries = try fixture.store.catalogEntries()
        let later = Date().addingTimeInterval(40 * 86_400)
        let fresh = try #require(PortalKPI(datasets: [monthly], entries: entries).municipalities.first?.datasets.first)
        #expect(fresh.updateFrequency == "monthly" && fresh.overdue == false)
        let stale = try #require(PortalKPI(datasets: [monthly], entries: entries, now: later.addingTimeInterval(10 * 86_400)).municipalities.first)
        #expect(stale.datasets.first?.overdue == true && stale.overdue == 1)
        #expect(PortalKPI(datasets: [aedDataset(datasets)], entries: entries, now: later).municipalities.first?.datasets.first?.overdue == nil)
    }

    @Test func jsonPagesAndDownloads() async throws {
        // Every download checked first (the KPI's accessibility): the JSON and the pages then agree.
        let site = try await ResourceMetadataTests.measured(
            try Site(
                configuration: ServerConfiguration(dataDirectory: FeaturesTests.repository.appendingPathComponent("datasets")),
                store: try FeaturesTests.store
            )
        )
        try await buildApplication(site: site).test(.router) { client in
            let json = try await client.execute(uri: "/kpi", method: .get) { $0 }
            let kpi = try JSONDecoder().decode(PortalKPI.self, from: Data(json.body.readableBytesView))
            #expect(kpi.portal.municipalities == 3)
            let one = try await client.execute(uri: "/kpi/372013", method: .get) { $0 }
            let takamatsu = try JSONDecoder().decode(PortalKPI.Municipality.self, from: Data(one.body.readableBytesView))
            #expect(takamatsu.name == "香川県高松市" && takamatsu.coverage.published == 2)
            #expect(try await client.execute(uri: "/kpi/999999", method: .get) { $0.status } == .notFound)

            // The dashboard: a chart per measure, and the same numbers in the table behind it.
            let page = String(buffer: try await client.execute(uri: "/kpi?f=html", method: .get) { $0 }.body)
            #expect(page.contains("<html lang=\"ja\"") && page.contains("オープンデータ公開状況"))
            // Coverage, publishers, quality distribution, activity.
            #expect(page.components(separatedBy: "<svg role=\"img\"").count == 5)
            for band in kpi.portal.quality { #expect(page.contains("）</th><td>\(band.datasets)</td></tr>") || band.datasets == 0) }
            for month in kpi.portal.activity {
                #expect(page.contains("<tr><th scope=\"row\">\(month.month)</th><td>\(month.releases)</td><td>\(month.edits)</td></tr>"))
            }
            for municipality in kpi.municipalities {
                #expect(page.contains("data-value=\"\(Double(municipality.coverage.published))\""))
                #expect(page.contains("<td data-value=\"\(municipality.coverage.published)\">\(municipality.coverage.published) / 27</td>"))
            }
            #expect(page.components(separatedBy: "data-published=\"1\"").count - 1 == kpi.portal.coverage.published)
            let municipal = String(buffer: try await client.execute(uri: "/kpi/222127?f=html&lang=en", method: .get) { $0 }.body)
            #expect(municipal.contains("消防水利施設一覧") && municipal.contains("id=\"missing\"") && municipal.contains("Not yet published"))

            // The matrix for the 報告: CSV (with a BOM, for Excel) and a workbook.
            let csv = String(buffer: try await client.execute(uri: "/kpi.csv", method: .get) { $0 }.body)
            let lines = csv.split(whereSeparator: \.isNewline)
            #expect(lines.count == 4 && lines[0].hasPrefix("\u{FEFF}団体コード,団体名,公開数,全体,公開率,01 公共施設一覧"))
            #expect(lines[2].hasPrefix("222127,静岡県焼津市,4,27,0.148,1,0,1,0"))
            let workbook = try await client.execute(uri: "/kpi.xlsx", method: .get) { $0 }
            #expect(workbook.status == .ok && Array(workbook.body.readableBytesView.prefix(2)) == [0x50, 0x4B])
        }
    }

    /// 焼津市's AED list as stored (no frequency declared).
    func aedDataset(_ datasets: [StoredDataset]) -> StoredDataset {
        datasets.first { $0.id == "yaizu-aed" } ?? datasets[0]
    }

    @Test func aDeclaredUpdateFrequencyIsKeptPublishedAndScored() async throws {
        let folder = try LoadingTests.dataFolder(["yaizu-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let descriptor = folder.appendingPathComponent("yaizu-aed/dataset.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: descriptor)) as? [String: Any])
        object["updateFrequency"] = "毎月"
        try JSONSerialization.data(withJSONObject: object).write(to: descriptor)
        let store = try Store.inMemory()
        #expect(loadDataFolder(folder, into: store, logger: LoadingTests.quiet).loaded == ["yaizu-aed"])
        #expect(try store.dataset(id: "yaizu-aed")?.updateFrequency == .monthly)
        try await buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store).test(.router) { client in
            let dcat = try await client.execute(uri: "/datasets/yaizu-aed.jsonld", method: .get) { $0 }
            let dataset = try FeaturesTests.object(dcat)
            #expect(
                (dataset["dct:accrualPeriodicity"] as? [String: Any])?["@id"] as? String
                    == "http://publications.europa.eu/resource/authority/frequency/MONTHLY"
            )
            let show = try await client.execute(uri: "/api/3/action/package_show?id=yaizu-aed", method: .get) { $0 }
            let package = try #require(try FeaturesTests.object(show)["result"] as? [String: Any])
            let extras = try #require(package["extras"] as? [[String: Any]])
            #expect(extras.contains { $0["key"] as? String == "frequency" && ($0["value"] as? String)?.hasSuffix("/MONTHLY") == true })
            let municipality = try await client.execute(uri: "/kpi/222127", method: .get) { $0 }
            let kpi = try JSONDecoder().decode(PortalKPI.Municipality.self, from: Data(municipality.body.readableBytesView))
            #expect(kpi.datasets.first?.updateFrequency == "monthly" && kpi.datasets.first?.overdue == false && kpi.overdue == 0)
            let page = String(buffer: try await client.execute(uri: "/kpi/222127?f=html", method: .get) { $0 }.body)
            #expect(page.contains("毎月・期限内") && page.contains("id=\"activity-table\""))
        }
    }
}
