import Testing

@testable import CivicData

/// 更新頻度 as catalogues write it: names, Japanese words, the EU vocabulary's IRIs and codes, ISO 8601 durations.
@Suite struct UpdateFrequencyTests {
    @Test func frequenciesFromWhatCataloguesWrite() {
        #expect(UpdateFrequency(parsing: "monthly") == .monthly && UpdateFrequency(parsing: "Monthly") == .monthly)
        #expect(UpdateFrequency(parsing: "毎月") == .monthly && UpdateFrequency(parsing: "月次") == .monthly)
        #expect(UpdateFrequency(parsing: "随時") == .continuous && UpdateFrequency(parsing: "不定期") == .irregular)
        #expect(UpdateFrequency(parsing: "http://publications.europa.eu/resource/authority/frequency/ANNUAL") == .annual)
        #expect(UpdateFrequency(parsing: "QUARTERLY") == .quarterly && UpdateFrequency(parsing: "R/P1W") == .weekly)
        #expect(UpdateFrequency(parsing: "P1Y") == .annual && UpdateFrequency(parsing: "sometimes") == nil)
        #expect(UpdateFrequency.monthly.iri == "http://publications.europa.eu/resource/authority/frequency/MONTHLY")
        #expect(UpdateFrequency.irregular.days == nil && UpdateFrequency.annual.days == 366)
        // Each frequency reads back from its own name, word and IRI.
        for frequency in UpdateFrequency.allCases {
            #expect(UpdateFrequency(parsing: frequency.rawValue) == frequency)
            #expect(UpdateFrequency(parsing: frequency.japanese) == frequency)
            #expect(UpdateFrequency(parsing: frequency.iri) == frequency)
        }
    }
}
