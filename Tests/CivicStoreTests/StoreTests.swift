import CivicData
import CivicGeo
import Foundation
import Testing

@testable import CivicStore

/// The store on the bundled real datasets (datasets/ in the repository), loaded through the pipeline.
@Suite struct StoreTests {
    static func aed(_ store: Store) throws -> CollectionSelector {
        .merged(try store.datasets().filter { $0.standard == "aed" })
    }

    static func dataset(_ id: String, _ store: Store) throws -> CollectionSelector {
        let dataset = try store.dataset(id: id)
        return .dataset(try #require(dataset))
    }

    @Test func pagingCoversEveryFeatureOnce() throws {
        let store = try Store.inMemory()
        try Loading.load(["ichikawa-aed"], into: store)
        var seen: [String] = []
        var offset = 0
        while true {
            let page = try store.features(in: Self.dataset("ichikawa-aed", store), limit: 50, offset: offset)
            #expect(page.numberMatched == 191)
            seen += page.features.map(\.featureID)
            offset += page.features.count
            if page.features.count < 50 { break }
        }
        #expect(seen.count == 191 && Set(seen).count == 191)
    }

    @Test func bboxAndPropertyFilters() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed", "ichikawa-aed"], into: store)
        let all = try store.features(in: Self.aed(store), limit: 1000, offset: 0)
        #expect(all.numberMatched == 82 + 191)
        let box = StoredDataset.Envelope(minX: 138.30, minY: 34.85, maxX: 138.35, maxY: 34.90)
        let inside = try store.features(in: Self.aed(store), bbox: box, limit: 1000, offset: 0)
        let expected = all.features.filter { feature in
            guard let x = feature.longitude, let y = feature.latitude else { return false }
            return x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY
        }
        #expect(inside.numberMatched == expected.count && expected.count > 0)
        #expect(inside.features.map(\.featureID) == expected.map(\.featureID))
        // 市川市 only, by the merged collection's municipality filter.
        #expect(
            try store.features(
                in: .merged(try store.datasets().filter { $0.municipalityCode == "122033" && $0.standard == "aed" }),
                limit: 1,
                offset: 0
            ).numberMatched == 191
        )
        // A property filter on 名称 (column 3).
        let name = try #require(all.features.first { $0.datasetID == "yaizu-aed" }).values[3]
        let named = try store.features(in: Self.dataset("yaizu-aed", store), filters: [3: name], limit: 100, offset: 0)
        #expect(named.numberMatched >= 1 && named.features.allSatisfy { $0.values[3] == name })
        #expect(try store.feature(in: Self.dataset("yaizu-aed", store), id: "0000000001")?.line == 2)
        #expect(try store.feature(in: Self.aed(store), id: "yaizu-aed/0000000001")?.line == 2)
    }

    @Test func bboxEdgesAreExactNotFloat32() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed"], into: store)
        let feature = try #require(try store.features(in: Self.dataset("yaizu-aed", store), limit: 1, offset: 0).features.first)
        let (x, y) = (try #require(feature.longitude), try #require(feature.latitude))
        // A box starting a hair east of the point: the R*Tree's 32-bit floats would round it in; the exact check must not.
        let east = StoredDataset.Envelope(minX: x + 1e-9, minY: y - 0.01, maxX: x + 0.01, maxY: y + 0.01)
        let page = try store.features(in: Self.dataset("yaizu-aed", store), bbox: east, limit: 1000, offset: 0)
        #expect(!page.features.contains { $0.featureID == feature.featureID })
        #expect(page.features.allSatisfy { ($0.longitude ?? 0) >= east.minX })
        let around = StoredDataset.Envelope(minX: x, minY: y, maxX: x, maxY: y)
        #expect(
            try store.features(in: Self.dataset("yaizu-aed", store), bbox: around, limit: 10, offset: 0).features.contains {
                $0.featureID == feature.featureID
            }
        )
    }

    @Test func filePagesByPositionMatchTheSortedQuery() throws {
        let store = try Store.inMemory()
        try Loading.load(["yaizu-aed", "ichikawa-aed", "takamatsu-aed"], into: store)
        // Sorting by the dataset takes the general (OFFSET) path; no sort takes the by-position path: same pages.
        for selector in [try Self.aed(store), try Self.dataset("takamatsu-aed", store)] {
            for (limit, offset) in [(100, 0), (50, 80), (7, 81), (300, 250), (1000, 0), (10, 787), (10, 5000)] {
                let byPosition = try store.features(in: selector, limit: limit, offset: offset)
                let sorted = try store.features(in: selector, sortBy: [(nil, false)], limit: limit, offset: offset)
                #expect(byPosition.features == sorted.features, "\(selector) limit \(limit) offset \(offset)")
                #expect(byPosition.numberMatched == sorted.numberMatched)
            }
        }
    }

    @Test func duplicateIDsLaterInTheFileFallBackToLines() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data.csv")
        try FileManager.default.copyItem(at: Loading.folder("yaizu-aed").appendingPathComponent("data.csv"), to: data)
        // Give the last record the first record's ID: the ids are no longer unique, so every feature is its line.
        var lines = try String(contentsOf: data, encoding: .utf8).components(separatedBy: "\r\n")  // the file's CRLF
        while lines.last?.isEmpty == true { lines.removeLast() }
        let firstID = lines[1].split(separator: ",", omittingEmptySubsequences: false)[1]
        var last = lines[lines.count - 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        last[1] = String(firstID)
        lines[lines.count - 1] = last.joined(separator: ",")
        try (lines.joined(separator: "\r\n") + "\r\n").write(to: data, atomically: true, encoding: .utf8)
        let store = try Store.inMemory()
        let (version, report) = try Loading.write("yaizu-aed", file: data, into: store)
        try version.commit(report)
        let page = try store.features(in: Self.dataset("yaizu-aed", store), limit: 1000, offset: 0)
        #expect(page.features.count == 82)
        #expect(page.features.map(\.featureID) == page.features.map { String($0.line) })
    }

    @Test func storedValuesDecodeWhatJSONBytesWrote() throws {
        let samples = [
            [], [""], ["焼津市", "054-626-1111", "a\"b\\c/d"], ["tab\tnew\nline\r\u{01}\u{1F}", "😀 𠮷野家", "\u{7F}\u{2028}"],
            ["", "x", "", "q\"", "", "長い値" + String(repeating: "あ", count: 40), ""],
        ]
        for values in samples {
            var json: [UInt8] = [0x5B]
            for (index, value) in values.enumerated() {
                if index > 0 { json.append(0x2C) }
                JSONBytes.appendString(value, to: &json)
            }
            json.append(0x5D)
            let text = String(decoding: json, as: UTF8.self)
            // The store's own writer gives the same bytes.
            var stored: [UInt8] = [0x20]
            StoredValues.append(values, to: &stored)
            #expect(Array(stored.dropFirst()) == json)
            #expect(try StoredValues.decode(text) == values)
            #expect(try JSONDecoder().decode([String].self, from: Data(json)) == values)
        }
        #expect(try StoredValues.decode(#" [ "a" , "\u00e9\ud83d\ude00" ] "#) == ["a", "é😀"])
        for bad in ["", "[", "[\"a\"", "[\"a\",]", "{}", "[1]", #"["\x"]"#, #"["\u12"]"#] {
            #expect(throws: StoredValues.Malformed.self) { try StoredValues.decode(bad) }
        }
    }

    /// A workbook named by its descriptor (`"file": "data.xlsx", "sheet": "1"`) loads like a CSV; its report is a file
    /// beside the store.
    @Test func loadsAWorkbookAndKeepsItsReport() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store(path: folder.appendingPathComponent("civic.sqlite").path)
        try Loading.load(["yaizu-public-toilet"], into: store)
        let dataset = try #require(try store.dataset(id: "yaizu-public-toilet"))
        #expect(dataset.standard == "public_toilet" && dataset.recordCount == 112 && dataset.featureCount == 112)
        #expect(dataset.reportFile.hasPrefix(store.reportsDirectory.path))
        let bytes = try #require(try store.report(id: "yaizu-public-toilet"))
        let report = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let source = try #require(report["source"] as? [String: Any])
        #expect(source["format"] as? String == "xlsx" && source["sheet"] as? String != nil)
        #expect(try store.features(in: Self.dataset("yaizu-public-toilet", store), limit: 1, offset: 0).features.first?.values[0] == "222127")
        #expect(dataset.schema.id == "public_toilet")
    }
}
