import CivicGeo
import Testing

/// Municipality codes from the names catalogues write (a CKAN organisation's title, a DCAT publisher's name).
@Suite struct MunicipalityNamesTests {
    @Test func namesGiveCodesWithTheirCheckDigits() {
        #expect(MunicipalityNames.code(named: "焼津市") == "222127")
        #expect(MunicipalityNames.code(named: "静岡県焼津市") == "222127")
        #expect(MunicipalityNames.code(named: "山口県 岩国市") == "352080")
        #expect(MunicipalityNames.name(of: "352080") == "岩国市")
    }

    @Test func namesOfSeveralMunicipalitiesNeedTheirPrefecture() {
        // 伊達市 is in 北海道 (01233) and in 福島県 (07213); 府中市 in 東京都 and 広島県.
        #expect(MunicipalityNames.code(named: "伊達市") == nil)
        #expect(MunicipalityNames.code(named: "北海道伊達市") == "012335")
        #expect(MunicipalityNames.code(named: "福島県伊達市") == "072133")
        #expect(MunicipalityNames.code(named: "静岡県") == nil)
        #expect(MunicipalityNames.code(named: "焼津") == nil)
    }
}
