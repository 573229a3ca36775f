import Foundation
import Testing

@testable import CivicHarvest

/// The catalogue readers: CKAN package_search pages, DCAT-AP in JSON-LD (compacted, with contexts) and Turtle, URL lists.
@Suite struct CatalogueReaderTests {
    @Test func turtleCataloguesGiveDatasetsDistributionsAndPublishers() throws {
        let text = try String(contentsOf: HarvestTests.fixtures.appendingPathComponent("catalog.ttl"), encoding: .utf8)
            .replacingOccurrences(of: "{BASE}", with: "https://example.jp")
        let page = try DCATPage.read(Data(text.utf8), url: "https://example.jp/catalog.ttl", contentType: "text/turtle")
        #expect(page.datasets.map(\.name) == ["iwakuni-aed", "ube-evacuation", "ube-plan"])
        let aed = try #require(page.datasets.first)
        #expect(aed.title == "岩国市 AED設置場所一覧" && aed.publisher == "山口県岩国市" && aed.modified == "2025-01-15T09:00:00")
        #expect(aed.license == "http://creativecommons.org/licenses/by/4.0/")
        #expect(aed.updateFrequency == "http://publications.europa.eu/resource/authority/frequency/ANNUAL")
        #expect(aed.files.map(\.url) == ["https://example.jp/352080_aed.csv", "https://example.jp/352080_aed.pdf"])
        #expect(aed.files.map(\.table) == [.csv, nil])
        let ube = page.datasets[1]
        #expect(ube.publisher == "宇部市" && ube.files.first?.table == .xlsx && ube.files.first?.id == "https://example.jp/dataset/ube-evacuation/xlsx")
        #expect(page.datasets[2].publisher == "宇部市" && page.datasets[2].title == "オープンデータ推進計画")
    }

    @Test func turtleSyntaxErrorsNameTheLine() {
        let bad = "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n\n<a> a dcat:Dataset ;\n  dct:title \"unclosed .\n"
        #expect {
            _ = try DCATPage.read(Data(bad.utf8), url: "bad.ttl", contentType: "text/turtle")
        } throws: { "\($0)".contains("bad.ttl: line 4") }
        let undeclared = "<a> a nope:Dataset ."
        #expect {
            _ = try DCATPage.read(Data(undeclared.utf8), url: "u.ttl", contentType: "text/turtle")
        } throws: { "\($0)".contains("'nope:' is not declared") }
    }

    @Test func turtleEscapesNumbersAndCollections() throws {
        let text = #"""
            @base <https://example.jp/> .
            @prefix dcat: <http://www.w3.org/ns/dcat#> .
            @prefix dct: <http://purl.org/dc/terms/> .
            <d1> a dcat:Dataset ; dct:title "A \"quoted\" \u5CA9国"@ja ; dct:identifier "d1" ;
              <http://example.jp/n> 12.5, -3, true ; <http://example.jp/l> ( "x" "y" ) ;
              dcat:distribution [ dcat:downloadURL <files/d1.csv> ] .
            """#
        let page = try DCATPage.read(Data(text.utf8), url: "https://example.jp/c.ttl", contentType: "text/turtle")
        let dataset = try #require(page.datasets.first)
        #expect(dataset.id == "https://example.jp/d1" && dataset.title == "A \"quoted\" 岩国")
        #expect(dataset.files.first?.url == "https://example.jp/files/d1.csv")
    }

    @Test func compactedJSONLDWithContextsAndGraphs() throws {
        let json = #"""
            {
              "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                           "title": "dct:title", "download": {"@id": "dcat:downloadURL", "@type": "@id"},
                           "Dataset": "dcat:Dataset"},
              "@graph": [
                {"@id": "https://example.jp/d/1", "@type": "Dataset", "title": [{"@value": "AED", "@language": "en"}, {"@value": "AED一覧", "@language": "ja"}],
                 "dct:identifier": "aed-1", "dcat:distribution": {"@id": "_:x"},
                 "dct:publisher": {"@type": "http://xmlns.com/foaf/0.1/Organization", "http://xmlns.com/foaf/0.1/name": "静岡県焼津市",
                                   "dct:identifier": "222127"}},
                {"@id": "_:x", "download": "files/aed.csv", "dcat:mediaType": "text/csv"},
                {"@id": "https://example.jp/catalog?page=1", "http://www.w3.org/ns/hydra/core#next": {"@id": "https://example.jp/catalog?page=2"}}
              ]
            }
            """#
        let page = try DCATPage.read(Data(json.utf8), url: "https://example.jp/catalog.jsonld", contentType: "application/ld+json")
        let dataset = try #require(page.datasets.first)
        #expect(dataset.title == "AED一覧" && dataset.name == "aed-1" && dataset.municipalityCode == "222127" && dataset.publisher == "静岡県焼津市")
        #expect(dataset.files == [RemoteFile(id: "https://example.jp/files/aed.csv", url: "https://example.jp/files/aed.csv", format: "text/csv")])
        #expect(page.next == "https://example.jp/catalog?page=2")
    }

    @Test func ckanPagesLeaveOutDeletedAndPrivatePackages() throws {
        let json = #"""
            {"success": true, "result": {"count": 3, "results": [
              {"id": "p1", "name": "aed", "title": "AED", "state": "active", "license_id": "cc-by-4.0", "metadata_modified": "2026-01-01T00:00:00",
               "organization": {"name": "yaizu", "title": "焼津市"},
               "extras": [{"key": "municipality_code", "value": "222127"}, {"key": "frequency", "value": "毎月"}],
               "resources": [{"id": "r1", "url": "https://example.jp/aed.csv", "format": "CSV"}, {"id": "r2", "url": "https://example.jp/aed.xlsx", "format": "XLSX"},
                             {"id": "r3", "url": "", "format": "CSV"}]},
              {"id": "p2", "name": "gone", "state": "deleted", "resources": []},
              {"id": "p3", "name": "hidden", "private": true, "resources": []}
            ]}}
            """#
        let page = try CKANPage.read(Data(json.utf8), url: "https://example.jp/api/3/action/package_search")
        #expect(page.count == 3 && page.datasets.map(\.id) == ["p1"])
        let dataset = try #require(page.datasets.first)
        #expect(dataset.municipalityCode == "222127" && dataset.organization == "yaizu" && dataset.publisher == "焼津市")
        #expect(dataset.updateFrequency == "毎月")
        #expect(dataset.files.map(\.table) == [.csv, .xlsx])
        #expect {
            _ = try CKANPage.read(Data(#"{"success": false, "error": {"message": "Search Query Error"}}"#.utf8), url: "u")
        } throws: { "\($0)".contains("package_search failed") }
    }

    @Test func urlListsTakeCodesAndTitlesAndRefuseWhatIsNotAURL() throws {
        let list = "# comment\nhttps://example.jp/a.csv\t222127\t焼津市 AED\n\nhttps://example.jp/files/b.xlsx, 352080\n"
        let datasets = try URLList.read(Data(list.utf8), url: "https://example.jp/list.txt")
        #expect(datasets.map(\.id) == ["https://example.jp/a.csv", "https://example.jp/files/b.xlsx"])
        #expect(datasets.map(\.title) == ["焼津市 AED", "b"] && datasets.map(\.municipalityCode) == ["222127", "352080"])
        #expect {
            _ = try URLList.read(Data("ftp://example.jp/a.csv\n".utf8), url: "l.txt")
        } throws: { "\($0)".contains("line 1") }
        #expect {
            _ = try URLList.read(Data("https://example.jp/a.csv\nfiles/b.csv\n".utf8), url: "l.txt")
        } throws: { "\($0)".contains("line 2: 'files/b.csv' is not an http(s) URL") }
    }

    @Test func filesAreTablesByFormatOrExtension() {
        #expect(RemoteFile(id: "1", url: "https://x/a", format: "application/geo+json").table == .geojson)
        #expect(RemoteFile(id: "1", url: "https://x/a", format: "http://publications.europa.eu/resource/authority/file-type/CSV").table == .csv)
        #expect(RemoteFile(id: "1", url: "https://x/a.XLS?download=1").table == .xls)
        #expect(RemoteFile(id: "1", url: "https://x/a.pdf", format: "PDF").table == nil)
        #expect(Run.ckanBase("https://x.jp/ckan/api/3/action/package_search?q=*:*") == "https://x.jp/ckan")
        #expect(Run.slug("Yaizu AED 設置箇所 (2024)") == "yaizu-aed-2024")
        #expect(Run.license("cc-by-4.0") == "CC-BY-4.0" && Run.license("https://creativecommons.org/licenses/by/4.0/") == "CC-BY-4.0")
    }

    @Test func harvestConfigurationsAreCheckedWhereTheyAreWrong() throws {
        let folder = try HarvestTests.folder("config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("harvest.json")
        for (text, message) in [
            (#"{"sources": [{"name": "A B", "type": "ckan", "url": "https://x"}]}"#, "sources[0]: \"name\""),
            (#"{"sources": [{"name": "a", "type": "ftp", "url": "https://x"}]}"#, "not a harvest configuration"),
            (#"{"sources": [{"name": "a", "type": "ckan", "url": "https://x", "municipality": "22212"}]}"#, "6-digit"),
            (#"{"sources": [{"name": "a", "type": "ckan", "url": "https://x"}, {"name": "a", "type": "dcat", "url": "https://y"}]}"#, "used twice"),
        ] {
            try Data(text.utf8).write(to: file)
            #expect {
                _ = try HarvestConfiguration.load(file)
            } throws: { "\($0)".contains(message) && "\($0)".contains("harvest.json") }
        }
    }
}
