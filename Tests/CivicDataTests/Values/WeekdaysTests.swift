import CivicData
import Testing

@Suite struct WeekdaysTests {
    @Test(arguments: [
        // Values seen in 狛江市, 市川市, 焼津市 and 高松市 files.
        "月火水木金", "月火水木金土日", "火水木金土日", "月水木金土日", "月火水木金土", "月火水木金日", "金土日", "土日", "水木金土日",
        "水土日", "月火木金", "日", "火水木金土",
        // With holidays.
        "月火水木金土日祝", "土日祝", "月祝", "日祝",
    ])
    func valid(_ input: String) {
        #expect(Weekdays.problem(in: input) == nil)
    }

    @Test(arguments: [
        ("全日・全時間帯使用可", "unknown character '全'"),  // 市川市
        ("月～金", "unknown character '～'"),
        ("月・火", "unknown character '・'"),
        ("月火水木金 ", "unknown character ' '"),
        ("平日", "unknown character '平'"),
        ("月、水", "unknown character '、'"),
        ("日月火水木金土", "days out of order"),
        ("金月", "days out of order"),
        ("月祝火", "days out of order"),
        ("月月", "repeated day"),
        ("月火火", "repeated day"),
        ("月祝祝", "repeated day"),
        ("祝", "祝 without a day"),
        ("祝月", "祝 without a day"),
        ("", "empty"),
    ])
    func problem(_ input: String, _ expected: String) {
        #expect(Weekdays.problem(in: input) == expected)
    }
}
