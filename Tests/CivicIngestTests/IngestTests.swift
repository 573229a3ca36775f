import CivicData
import Foundation
import Testing

@testable import CivicIngest

@Suite struct IngestTests {
    static let fixtures: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")
}
