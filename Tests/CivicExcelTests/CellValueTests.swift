import Testing

@testable import CivicExcel

/// Cell values as text: number formats, date serials in both date systems, numbers in their shortest form.
@Suite struct CellValueTests {
    @Test func numberFormats() {
        #expect(NumberFormat.builtIn(14) == .date)
        #expect(NumberFormat.builtIn(22) == .dateTime(seconds: false))
        #expect(NumberFormat.builtIn(20) == .time(seconds: false))
        #expect(NumberFormat.builtIn(0) == .number && NumberFormat.builtIn(2) == .number && NumberFormat.builtIn(49) == .number)
        #expect(NumberFormat.builtIn(31) == .date && NumberFormat.builtIn(57) == .date)
        #expect(NumberFormat.custom("yyyy/mm/dd") == .date)
        #expect(NumberFormat.custom(#"yyyy"年"m"月"d"日""#) == .date)
        #expect(NumberFormat.custom(#"[$-411]ggge"年"m"月"d"日""#) == .date)
        #expect(NumberFormat.custom("yyyy/mm/dd hh:mm") == .dateTime(seconds: false))
        #expect(NumberFormat.custom("hh:mm") == .time(seconds: false))
        #expect(NumberFormat.custom("mm:ss") == .time(seconds: true))
        #expect(NumberFormat.custom("[h]:mm:ss") == .time(seconds: true))
        #expect(NumberFormat.custom("General") == .number)
        #expect(NumberFormat.custom("0.00E+00") == .number)
        #expect(NumberFormat.custom("#,##0\"円\"") == .number)
        #expect(NumberFormat.custom("[Red]0.00;[Blue]-0.00") == .number)
        #expect(NumberFormat.custom("@") == .number)
    }

    @Test func dateSerials1900() {
        func date(_ serial: Double, _ format: NumberFormat = .date) -> String? {
            CellValues.dateText(serial: serial, format: format, date1904: false)
        }
        #expect(date(1) == "1900-01-01")
        #expect(date(59) == "1900-02-28")
        #expect(date(60) == "1900-02-29")  // Excel's fictitious day
        #expect(date(61) == "1900-03-01")
        #expect(date(45383) == "2024-04-01")
        #expect(date(45383.5, .dateTime(seconds: false)) == "2024-04-01T12:00:00")
        #expect(date(0.375, .time(seconds: false)) == "09:00")
        #expect(date(0.7291666666666666, .time(seconds: false)) == "17:30")
        #expect(date(0.50001157407, .time(seconds: true)) == "12:00:01")
        #expect(date(-1) == nil && date(3_000_000) == nil)
    }

    @Test func dateSerials1904() {
        #expect(CellValues.dateText(serial: 0, format: .date, date1904: true) == "1904-01-01")
        #expect(CellValues.dateText(serial: 43921, format: .date, date1904: true) == "2024-04-01")
    }

    @Test func numbersInShortestForm() {
        #expect(CellValues.numberText("34.866917999999998") == "34.866918")
        #expect(CellValues.numberText("139.123456789") == "139.123456789")
        #expect(CellValues.numberText("1234567890123") == "1234567890123")
        #expect(CellValues.numberText("5.0") == "5")
        #expect(CellValues.numberText("0.1") == "0.1")
        #expect(CellValues.numberText("1E-7") == "0.0000001")
        #expect(CellValues.numberText("-2.5e-3") == "-0.0025")
        #expect(CellValues.numberText("1.5E+20") == "150000000000000000000")
    }

    @Test func cellReferences() {
        #expect(CellReference.letters(0) == "A" && CellReference.letters(25) == "Z")
        #expect(CellReference.letters(26) == "AA" && CellReference.letters(16383) == "XFD")
        func parse(_ text: String) -> (column: Int, row: Int)? {
            var text = text
            return text.withUTF8 { CellReference.parse($0) }
        }
        #expect(parse("B12")?.column == 1 && parse("B12")?.row == 12)
        #expect(parse("$AB$3")?.column == 27)
        #expect(parse("XFD1048576")?.column == 16383)
        #expect(parse("XFE1") == nil && parse("A0") == nil && parse("12") == nil && parse("A1B") == nil)
        #expect(CellReference.sheetPrefix("Sheet1") == "Sheet1!")
        #expect(CellReference.sheetPrefix("AED一覧") == "AED一覧!")
        #expect(CellReference.sheetPrefix("my sheet") == "'my sheet'!")
        #expect(CellReference.sheetPrefix("it's") == "'it''s'!")
    }

    @Test func writerValueRules() {
        #expect(XLSXWriter.isPlainNumber("34.866918") && XLSXWriter.isPlainNumber("-0.5") && XLSXWriter.isPlainNumber("0"))
        #expect(!XLSXWriter.isPlainNumber("0123") && !XLSXWriter.isPlainNumber("1e5") && !XLSXWriter.isPlainNumber("1."))
        #expect(!XLSXWriter.isPlainNumber("1234567890123456") && !XLSXWriter.isPlainNumber(""))
        #expect(XLSXWriter.dateSerial("2024-04-01") == 45383)
        #expect(XLSXWriter.dateSerial("2023-02-30") == nil && XLSXWriter.dateSerial("2024/04/01") == nil)
        #expect(XLSXWriter.timeFraction("09:00") == "0.375" && XLSXWriter.timeFraction("9:00") == nil)
        var out: [UInt8] = []
        XLSXWriter.appendEscaped("a<b&c\u{01}_x0041_", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a&lt;b&amp;c_x0001__x005F_x0041_")
        #expect(SharedStringsHandler.unescape(out.isEmpty ? [] : Array("c_x0001__x005F_x0041_".utf8)) == "c\u{01}_x0041_")
        #expect(XLSXWriter.validSheetName("AED設置箇所一覧") == "AED設置箇所一覧")
        #expect(XLSXWriter.validSheetName("a/b:c") == "a_b_c")
    }
}
