import Foundation

/// A folder of files for one test, removed afterwards.
enum TemporaryFolder {
    /// Writes `files` (name → text) to a new temporary folder, runs `body` with it, and removes the folder.
    static func with(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        try body(folder)
    }
}
