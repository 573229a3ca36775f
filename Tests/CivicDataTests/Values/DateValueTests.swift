import CivicData
import Testing

@Suite struct DateValueTests {
    @Test(arguments: [
        "2022-06-01", "2022-03-31", "2022-09-01",  // 市川市 open_data_list
        "2024-02-29", "2000-02-29", "1600-02-29", "0001-01-01", "9999-12-31", "2023-12-31", "2023-04-30",
    ])
    func isoDates(_ input: String) {
        #expect(DateValue.isISODate(input))
    }

    @Test(arguments: [
        "2019-02-29", "1900-02-29", "2100-02-29", "2023-02-30", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00",
        "2023-01-32", "0000-01-01", "2023-1-01", "2023-01-1", "2023/01/01", "20230101", "２０２３-01-01", "2023-01-01 ",
        " 2023-01-01", "2023-01-01T00:00", "45016", "", "abcd-ef-gh",
    ])
    func notISODates(_ input: String) {
        #expect(!DateValue.isISODate(input))
    }

    @Test(arguments: [
        ("2022-06-01", "2022-06-01", DateNormalization.Source.iso),
        // Excel serials: 市川市 調査年月日 and 文化財指定日.
        ("45016", "2023-03-31", .excelSerial),
        ("22196", "1960-10-07", .excelSerial),
        ("22313", "1961-02-01", .excelSerial),
        ("44995", "2023-03-10", .excelSerial),
        ("5989", "1916-05-24", .excelSerial),
        ("1510", "1904-02-18", .excelSerial),
        ("61", "1900-03-01", .excelSerial),
        ("25569", "1970-01-01", .excelSerial),
        ("2958465", "9999-12-31", .excelSerial),
        ("１２３４５", "1933-10-18", .excelSerial),
        // Year first.
        ("2023/3/31", "2023-03-31", .slashed),
        ("2023/03/31", "2023-03-31", .slashed),
        ("２０２３／３／３１", "2023-03-31", .slashed),
        ("2023.3.31", "2023-03-31", .dotted),
        ("2023-3-31", "2023-03-31", .slashed),
        ("2023－3－1", "2023-03-01", .slashed),
        ("２０２３-０３-３１", "2023-03-31", .slashed),
        ("2024/2/29", "2024-02-29", .slashed),
        ("2023年3月31日", "2023-03-31", .kanji),
        ("2023年03月01日", "2023-03-01", .kanji),
        ("２０２３年３月３１日", "2023-03-31", .kanji),
        // 和暦.
        ("令和5年3月31日", "2023-03-31", .wareki),
        ("令和５年３月３１日", "2023-03-31", .wareki),
        ("令和元年5月1日", "2019-05-01", .wareki),
        ("令和1年5月1日", "2019-05-01", .wareki),
        ("平成31年4月30日", "2019-04-30", .wareki),
        ("平成元年1月8日", "1989-01-08", .wareki),
        ("平成4年2月29日", "1992-02-29", .wareki),
        ("昭和35年10月7日", "1960-10-07", .wareki),
        ("昭和元年12月25日", "1926-12-25", .wareki),
        ("昭和64年1月7日", "1989-01-07", .wareki),
        ("大正元年7月30日", "1912-07-30", .wareki),
        ("大正15年12月24日", "1926-12-24", .wareki),
        ("明治45年7月29日", "1912-07-29", .wareki),
        ("明治6年1月1日", "1873-01-01", .wareki),
        ("R5.3.31", "2023-03-31", .wareki),
        ("R05.03.31", "2023-03-31", .wareki),
        ("H31.4.30", "2019-04-30", .wareki),
        ("S35.10.7", "1960-10-07", .wareki),
        ("T15.12.24", "1926-12-24", .wareki),
        ("M45.7.29", "1912-07-29", .wareki),
        ("R5/3/31", "2023-03-31", .wareki),
        ("R5-3-31", "2023-03-31", .wareki),
        ("r1.5.1", "2019-05-01", .wareki),
        ("R元.5.1", "2019-05-01", .wareki),
        ("Ｒ５．３．３１", "2023-03-31", .wareki),
        ("H4年2月29日", "1992-02-29", .wareki),
        ("令和5.3.31", "2023-03-31", .wareki),
        ("㋿5年3月31日", "2023-03-31", .wareki),
        ("㍻31年4月30日", "2019-04-30", .wareki),
    ])
    func normalized(_ input: String, _ value: String, _ source: DateNormalization.Source) {
        #expect(DateValue.normalized(input) == DateNormalization(value: value, source: source))
    }

    @Test(arguments: [
        // Ambiguous orders.
        "3/31/2023", "31/3/2023", "23/3/31", "23.3.31", "3月31日",
        // Impossible dates.
        "2019-02-29", "2023/02/30", "2023/4/31", "2023/13/1", "2023/0/1", "2023/1/0", "令和5年2月29日", "R5.2.29", "平成2年2月29日",
        // Outside the era.
        "令和元年4月30日", "R1.4.30", "平成31年5月1日", "H32.1.1", "昭和64年1月8日", "平成元年1月7日", "大正15年12月25日",
        "昭和元年12月24日", "大正元年7月29日", "明治45年7月30日", "明治5年12月31日", "令和0年5月1日",
        // Excel serials outside 61…2958465, with leading zeros, signs, fractions, or reading as a year.
        "60", "1", "0", "2958466", "045016", "-45016", "+45016", "45016.5", "45,016", "2023", "1868", "2100",
        // Other shapes.
        "20230331", "2023/3/31/", "2023/3-31", "2023.3/31", "2023年3月", "2023年3月31", "2023年3月31日(金)", "2023 / 3 / 31",
        " 2023/3/31", "2023/3/31 ", "2023/003/31", "02023/3/31", "2023-03-31T00:00", "R", "令和", "令和年3月31日",
        "R123.1.1", "Mon", "abc", "", "平成三十一年四月三十日", "X5.3.31",
    ])
    func notNormalizable(_ input: String) {
        #expect(DateValue.normalized(input) == nil)
    }

    @Test(arguments: ["2022-06-01", "2023-3-31", "２０２３-０３-３１", "2023/03/31", "45016", "令和5年3月31日"])
    func isoSourceMeansTheInputIsKept(_ input: String) {
        let result = DateValue.normalized(input)
        #expect((result?.source == .iso) == (result?.value == input))
    }

    @Test func everySerialRoundTripsThroughTheCalendar() {
        // Consecutive serials give consecutive, valid ISO dates across leap years and century boundaries.
        var previous = DateValue.normalized("2101")!.value
        #expect(previous == "1905-10-01")
        for serial in stride(from: 36_500, through: 37_300, by: 1) {  // 1999-12-06 … 2002-02-13
            let value = DateValue.normalized(String(serial))!.value
            #expect(DateValue.isISODate(value))
            #expect(value > previous)
            previous = value
        }
        #expect(DateValue.normalized("36585")?.value == "2000-02-29")
        #expect(DateValue.normalized("36586")?.value == "2000-03-01")
    }
}
