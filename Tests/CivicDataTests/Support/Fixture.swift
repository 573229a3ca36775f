import Foundation

/// Test fixtures copied into the package (`Fixtures/`), never read from outside it.
enum Fixture {
    static let root: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: url(path))) }

    /// Every real municipal file in `Fixtures/realdata/`.
    static let realFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url("realdata").path)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted()
    }()
}
