import CivicData
import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import CivicServer

/// Loading a data folder: a folder that cannot be used removes nothing, a failed reload keeps the last good version
/// (and says so on /health and the dataset page), and the server answers while it loads.
@Suite struct LoadingTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let quiet: Logger = {
        var logger = Logger(label: "civic-test")
        logger.logLevel = .critical
        return logger
    }()

    /// A temporary data folder with copies of bundled datasets; removed by the caller.
    static func dataFolder(_ ids: [String]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-loading-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for id in ids {
            try FileManager.default.copyItem(at: repository.appendingPathComponent("datasets/\(id)"), to: folder.appendingPathComponent(id))
        }
        return folder
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    @Test func aDataFolderThatCannotBeUsedRemovesNothing() throws {
        let folder = try Self.dataFolder(["yaizu-aed", "ichikawa-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        let first = loadDataFolder(folder, into: store, logger: Self.quiet)
        #expect(first.loaded.sorted() == ["ichikawa-aed", "yaizu-aed"] && first.failed.isEmpty)
        let before = try store.datasets()

        // Mistyped, unmounted (an empty mount point), or not a folder at all: an error, and the store as it was.
        let empty = folder.appendingPathComponent("empty-mount")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        for bad in [folder.appendingPathComponent("no-such-folder"), empty, folder.appendingPathComponent("yaizu-aed/data.csv")] {
            let load = loadDataFolder(bad, into: store, logger: Self.quiet)
            #expect(load.folderError != nil, "\(bad.path)")
            #expect(load.removed.isEmpty && load.loaded.isEmpty)
            #expect(try store.datasets() == before)
        }
        try FileManager.default.removeItem(at: empty)

        // Unchanged files are not read again; a dataset goes only when its own folder is gone.
        #expect(loadDataFolder(folder, into: store, logger: Self.quiet).loaded.isEmpty)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("yaizu-aed"))
        let after = loadDataFolder(folder, into: store, logger: Self.quiet)
        #expect(after.removed == ["yaizu-aed"] && after.loaded.isEmpty)
        #expect(try store.datasets().map(\.id) == ["ichikawa-aed"])
    }

    /// A standard dataset's id names its merged collection: a dataset.json that takes it fails to load with a
    /// message that says why; a store that has such a dataset already (made before the check) still serves, the
    /// dataset keeping the id and the merged collection left out (two collections never share an id).
    @Test func aDatasetMayNotTakeAStandardDatasetsID() throws {
        let folder = try Self.dataFolder(["yaizu-aed", "ichikawa-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let descriptor = folder.appendingPathComponent("ichikawa-aed/dataset.json")
        let text = try String(contentsOf: descriptor, encoding: .utf8).replacingOccurrences(of: "\"ichikawa-aed\"", with: "\"aed\"")
        try text.write(to: descriptor, atomically: true, encoding: .utf8)
        let store = try Store.inMemory()
        let load = loadDataFolder(folder, into: store, logger: Self.quiet)
        #expect(load.loaded == ["yaizu-aed"])
        let message = try #require(load.failed["aed@ichikawa-aed"])
        #expect(message.contains("standard dataset's id") && message.contains("122033-aed"), "\(message)")

        var taken = try #require(try store.dataset(id: "yaizu-aed"))
        taken.id = "aed"
        let catalogue = Catalogue(datasets: [try #require(try store.dataset(id: "yaizu-aed")), taken])
        #expect(catalogue.collections.filter { $0.id == "aed" }.count == 1)
        #expect(catalogue["aed"]?.datasets.map(\.id) == ["aed"])
    }

    @Test func aFailedReloadKeepsTheLastGoodVersionAndSaysSo() async throws {
        let folder = try Self.dataFolder(["yaizu-aed", "ichikawa-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Store.inMemory()
        _ = loadDataFolder(folder, into: store, logger: Self.quiet)
        let good = try #require(try store.dataset(id: "ichikawa-aed"))

        // 市川市's file is CP932 but the descriptor now says UTF-8; 焼津市's descriptor is no longer JSON.
        let descriptor = folder.appendingPathComponent("ichikawa-aed/dataset.json")
        let original = try Data(contentsOf: descriptor)
        var object = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        object["encoding"] = "utf-8"
        try JSONSerialization.data(withJSONObject: object).write(to: descriptor)
        try Data("{ not json".utf8).write(to: folder.appendingPathComponent("yaizu-aed/dataset.json"))

        let status = LoadStatus()
        let sync = DataFolderSync(directory: folder, store: store, catalog: .bundled, status: status, logger: Self.quiet)
        sync.run {}
        let failures = status.current.failures
        #expect(Set(failures.keys) == ["ichikawa-aed", "yaizu-aed"])
        // The library names the setting; the server phrases it as the dataset.json key.
        #expect(failures["ichikawa-aed"]?.message.contains(#"set "encoding": "cp932" in dataset.json"#) == true)
        #expect(failures["ichikawa-aed"]?.message.contains(folder.path) == false)
        #expect(try store.dataset(id: "ichikawa-aed") == good)
        #expect(try store.datasets().map(\.id) == ["ichikawa-aed", "yaizu-aed"])

        let site = try Site(configuration: ServerConfiguration(dataDirectory: folder), store: store, status: status)
        try await buildApplication(site: site, logger: Self.quiet).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                let health = try Self.json(response)
                #expect(health["status"] as? String == "degraded")
                let listed = try #require(health["failures"] as? [[String: Any]])
                #expect(listed.compactMap { $0["dataset"] as? String } == ["ichikawa-aed", "yaizu-aed"])
            }
            try await client.execute(uri: "/collections/ichikawa-aed/items?limit=1", method: .get) { response in
                let matched = try Self.json(response)["numberMatched"] as? Int
                #expect(matched == good.recordCount)
            }
            try await client.execute(uri: "/collections/ichikawa-aed?f=html", method: .get) { response in
                let page = String(decoding: response.body.readableBytesView, as: UTF8.self)
                #expect(page.contains("読込エラー") && page.contains("cp932"))
            }
        }

        // Mended: the next pass loads it and the failure goes.
        try original.write(to: descriptor)
        sync.run {}
        #expect(status.current.failures.keys.sorted() == ["yaizu-aed"])
    }

    /// The server answers at once while a large dataset loads in the background, and switches when it commits.
    @Test func theServerAnswersWhileItLoads() async throws {
        let folder = try Self.dataFolder(["yaizu-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        // 焼津市's 82 AED records, 400 times over, as another dataset (distinct IDs).
        let lines = try String(contentsOf: folder.appendingPathComponent("yaizu-aed/data.csv"), encoding: .utf8).components(separatedBy: "\r\n")
            .filter { !$0.isEmpty }
        var big = lines[0] + "\r\n"
        for copy in 0..<400 {
            for line in lines.dropFirst() {
                var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                cells[1] = String(format: "%04d%@", copy, cells[1])
                big += cells.joined(separator: ",") + "\r\n"
            }
        }
        let bigFolder = folder.appendingPathComponent("big-aed")
        try FileManager.default.createDirectory(at: bigFolder, withIntermediateDirectories: true)
        try Data(big.utf8).write(to: bigFolder.appendingPathComponent("data.csv"))
        try Data(#"{"id": "big-aed", "title": "大きなAED", "municipalityCode": "222127", "dataset": "aed", "file": "data.csv"}"#.utf8)
            .write(to: bigFolder.appendingPathComponent("dataset.json"))

        let store = try Store.inMemory()
        let status = LoadStatus()
        status.update { $0.syncing = true }
        let site = try Site(configuration: ServerConfiguration(dataDirectory: folder), store: store, status: status)
        let sync = DataFolderSync(directory: folder, store: store, catalog: .bundled, status: status, logger: Self.quiet)
        let done = Mutex(false)
        // The load starts once the server has answered (so a fast machine cannot finish it first).
        let go = DispatchSemaphore(value: 0)
        let thread = Thread {
            go.wait()
            sync.run { try? site.refresh() }
            done.withLock { $0 = true }
        }
        thread.start()
        try await buildApplication(site: site, logger: Self.quiet).test(.router) { client in
            var answeredWhileLoading = 0
            var started = false
            while !done.withLock({ $0 }) {
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    if try Self.json(response)["loading"] as? Bool == true { answeredWhileLoading += 1 }
                }
                if !started {
                    go.signal()
                    started = true
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(answeredWhileLoading > 0)
            try await client.execute(uri: "/collections/big-aed/items?limit=1", method: .get) { response in
                let matched = try Self.json(response)["numberMatched"] as? Int
                #expect(matched == 82 * 400)
            }
            try await client.execute(uri: "/collections/aed/items?limit=1", method: .get) { response in
                let matched = try Self.json(response)["numberMatched"] as? Int
                #expect(matched == 82 * 401)
            }
        }
    }

    /// A schema folder merged over the bundled schemas (as `civic serve --schemas DIR` does): the dataset is read with
    /// the user's AED schema, stored with it, and served as it: title, queryables.
    @Test func aUserSchemaIsServedAsItWasLoaded() async throws {
        let folder = try Self.dataFolder(["yaizu-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let schemas = folder.appendingPathComponent(".schemas")
        try FileManager.default.createDirectory(at: schemas, withIntermediateDirectories: true)
        let bundled = try Data(contentsOf: Self.repository.appendingPathComponent("schemas/aed.schema.json"))
        var schema = try #require(try JSONSerialization.jsonObject(with: bundled) as? [String: Any])
        schema["title"] = "AED設置箇所一覧（静岡県版）"
        var fields = try #require(schema["fields"] as? [[String: Any]])
        let index = try #require(fields.firstIndex { $0["name"] as? String == "地方公共団体名" })
        fields[index]["constraints"] = ["required": false, "enum": ["静岡県焼津市", "静岡県藤枝市"]]
        schema["fields"] = fields
        try JSONSerialization.data(withJSONObject: schema).write(to: schemas.appendingPathComponent("aed.schema.json"))

        let store = try Store.inMemory()
        let load = loadDataFolder(folder, into: store, catalog: try SchemaCatalog.bundled.merging(directory: schemas), logger: Self.quiet)
        #expect(load.loaded == ["yaizu-aed"] && load.failed.isEmpty)
        let app = try buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store, logger: Self.quiet)
        try await app.test(.router) { client in
            try await client.execute(uri: "/collections/yaizu-aed/queryables", method: .get) { response in
                let properties = try #require(try Self.json(response)["properties"] as? [String: Any])
                let name = try #require(properties["地方公共団体名"] as? [String: Any])
                #expect(name["enum"] as? [String] == ["静岡県焼津市", "静岡県藤枝市"])
            }
            try await client.execute(uri: "/collections/aed", method: .get) { response in
                let title = try Self.json(response)["title"] as? String
                #expect(title?.hasPrefix("AED設置箇所一覧（静岡県版）") == true)
            }
        }
    }

    /// A table of no standard is loaded and served as a dataset of its own columns, in no merged collection.
    @Test func aTableOfNoStandardIsServed() async throws {
        let folder = try Self.dataFolder(["yaizu-aed"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let parks = folder.appendingPathComponent("yaizu-parks")
        try FileManager.default.createDirectory(at: parks, withIntermediateDirectories: true)
        try Data("公園名,面積,開園年,緯度,経度\r\n中央公園,1200,1985,34.866918,138.323171\r\n北公園,800,1990,34.87,138.32\r\n".utf8)
            .write(to: parks.appendingPathComponent("data.csv"))
        try Data(#"{"id": "yaizu-parks", "title": "焼津市 公園", "municipalityCode": "222127", "file": "data.csv"}"#.utf8)
            .write(to: parks.appendingPathComponent("dataset.json"))
        let store = try Store.inMemory()
        let load = loadDataFolder(folder, into: store, logger: Self.quiet)
        #expect(load.loaded.sorted() == ["yaizu-aed", "yaizu-parks"] && load.failed.isEmpty)
        let app = try buildApplication(configuration: ServerConfiguration(dataDirectory: folder), store: store, logger: Self.quiet)
        try await app.test(.router) { client in
            try await client.execute(uri: "/collections", method: .get) { response in
                let collections = try #require(try Self.json(response)["collections"] as? [[String: Any]])
                #expect(collections.compactMap { $0["id"] as? String } == ["yaizu-aed", "yaizu-parks", "aed"])
            }
            try await client.execute(uri: "/collections/yaizu-parks/items", method: .get) { response in
                let features = try #require(try Self.json(response)["features"] as? [[String: Any]])
                #expect(features.count == 2)
                let properties = try #require(features.first?["properties"] as? [String: Any])
                // Columns of whole numbers are typed by their values (a generic dataset's inferred types).
                #expect(properties["公園名"] as? String == "中央公園" && properties["開園年"] as? Int == 1985 && properties["面積"] as? Int == 1200)
            }
        }
    }
}
