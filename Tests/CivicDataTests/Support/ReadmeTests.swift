import Foundation
import Testing

/// The README's library example is the compiled example, word for word (both in the repository).
@Suite struct ReadmeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test func readmeExampleIsTheCompiledExample() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent("examples/QuickStart/main.swift"), encoding: .utf8)
        #expect(readme.contains("```swift\n" + example + "```\n"))
    }

    @Test func readmeStartsWithTheTwoCommands() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("make run"))
        #expect(readme.contains("make test"))
        let japanese = try String(contentsOf: Self.root.appendingPathComponent("README.ja.md"), encoding: .utf8)
        #expect(japanese.contains("make run") && japanese.contains("make test"))
    }
}
