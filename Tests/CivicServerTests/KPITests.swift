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
        let kpi = PortalKPI(datasets: datasets, entries: try fixture.store.catalogEntries())
        #expect(kpi.standardDatasets.count == 27 && kpi.standardDatasets.first?.id == "public_facility")
        #expect(kpi.municipalities.map(\.code) == ["122033", "222127", "372013"])
        let yaizu = try #require(kpi.municipalities.first { $0.code == "222127" })
        #expect(yaizu.name == "静岡県焼津市" && yaizu.coverage.published == 4 && yaizu.coverage.total == 27)
        #expect(yaizu.published.map(\.id) == ["public_facility", "evacuation_space", "aed", "public_toilet"])
        #expect(yaizu.missing.count == 23 && yaizu.missing.contains { $0.number == "14" && $0.title == "消防水利施設一覧" })
        #expect(Set(yaizu.published.map(\.id)).isDisjoint(with: yaizu.missing.map(\.id)))
        let aed = try #require(yaizu.datasets.first { $0.id == "yaizu-aed" })
        #expect(aed.number == "08" && aed.records == 82 && aed.conformance.points == 100 && aed.metadata.points == aed.metadata.maximum)
        #expect(aed.conformance.parts.map(\.name) == ["requiredColumns", "valid"])
        #expect(kpi.portal.coverage.published == 9 && kpi.portal.coverage.total == 81 && kpi.portal.publishers["aed"] == 3)

        // A dataset without its required columns and not valid scores for what it has.
        var broken = try #require(datasets.first { $0.id == "yaizu-aed" })
        broken.columns = broken.columns.filter { $0 != "名称" }
        broken.valid = false
        broken.license = nil
        let score = PortalKPI.conformance(broken)
        #expect(score.parts[0].points < 50 && score.parts[1].points == 0 && score.points == score.parts[0].points)
        #expect(PortalKPI.metadata(broken).parts.first { $0.name == "license" }?.points == 0)
    }

    @Test func jsonPagesAndDownloads() async throws {
        try await FeaturesTests.app().test(.router) { client in
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
            #expect(page.components(separatedBy: "<svg role=\"img\"").count == 3)
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
}
