import Foundation
import Testing

@testable import CivicData

/// The licences table and the decoding-failure text every configuration reader shares.
@Suite struct LicencesTests {
    @Test func licencesByCKANIdAndByIRI() {
        #expect(Licences.key(ckanID: "CC-BY-4.0") == "CC-BY-4.0" && Licences.key(ckanID: "pdl-1.0") == "PDL-1.0")
        #expect(Licences.key(identifying: "http://creativecommons.org/licenses/by/4.0/deed.ja") == "CC-BY-4.0")
        #expect(Licences.key(identifying: "https://digital.go.jp/resources/open_data/public_data_license_v1.0") == "PDL-1.0")
        #expect(Licences.key(identifying: "https://creativecommons.org/licenses/by/2.1/jp/") == "CC-BY-2.1-JP")
        #expect(Licences.key(identifying: "odc-odbl") == nil && Licences.key(identifying: "") == nil)
    }

    @Test func decodingFailuresSayWhereAndWhat() {
        struct Source: Decodable { var name: String }
        struct File: Decodable { var sources: [Source] }
        func failure(_ json: String) -> String {
            let result = Result { try JSONDecoder().decode(File.self, from: Data(json.utf8)) }
            guard case .failure(let error as DecodingError) = result else { return "" }
            return DecodingFailure.describe(error)
        }
        #expect(failure(#"{"sources": [{"name": "a"}, {}]}"#) == "sources[1].name is missing")
        #expect(failure(#"{"sources": [{"name": 3}]}"#).hasPrefix("sources[0].name: "))
        #expect(failure(#"{}"#) == "sources is missing")
    }
}
