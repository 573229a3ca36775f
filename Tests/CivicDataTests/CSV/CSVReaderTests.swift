import Testing

@testable import CivicData

@Suite struct CSVReaderTests {
    /// All rows of `text`, read with a given chunk size (small sizes put every boundary inside a record).
    func rows(_ text: String, chunkSize: Int = 1 << 20, delimiter: CSVDialect.Delimiter? = nil) throws -> (rows: [CSVRow], dialect: CSVDialect) {
        let source = try UTF8ChunkReader(bytes: Array(text.utf8), displayName: "t.csv", chunkSize: chunkSize)
        let reader = try CSVReader(source: source, delimiter: delimiter)
        var rows: [CSVRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return (rows, reader.dialect)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func quotedCellsNewlinesAndEscapedQuotes(chunkSize: Int) throws {
        let text = "名称,説明,備考\r\n\"市役所\",\"1階\r\n2階\",\"\"\"本館\"\"\"\r\na,,\"x,y\"\r\n"
        let (rows, dialect) = try rows(text, chunkSize: chunkSize)
        #expect(rows.map(\.cells) == [["名称", "説明", "備考"], ["市役所", "1階\r\n2階", "\"本館\""], ["a", "", "x,y"]])
        #expect(rows.map(\.line) == [1, 2, 4])
        #expect(dialect.lineEndings.crlf == 3)
    }

    @Test(arguments: [1, 5, 1 << 20])
    func mixedLineEndingsAndMissingFinalNewline(chunkSize: Int) throws {
        let (rows, dialect) = try rows("a,b\nc,d\r\ne,f\rg,h", chunkSize: chunkSize)
        #expect(rows.map(\.cells) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(rows.map(\.line) == [1, 2, 3, 4])
        #expect(dialect.lineEndings.summary == "mixed")
    }

    @Test func detectsTabs() throws {
        let (rows, dialect) = try rows("名称\t住所\nA\t静岡県焼津市, 本町\n")
        #expect(dialect.delimiter == .tab)
        #expect(rows[1].cells == ["A", "静岡県焼津市, 本町"])
    }

    @Test func detectsCommasAfterMetadataRows() throws {
        let (_, dialect) = try rows("#LINK\t\n#lang,ja\n#property,name,address\n1,a,b\n")
        #expect(dialect.delimiter == .comma)
    }

    @Test func blankRowsAndTrailingDelimiters() throws {
        let (rows, _) = try rows("a,b\n\n1,\n,,\n")
        #expect(rows.map(\.cells) == [["a", "b"], [""], ["1", ""], ["", "", ""]])
        #expect(rows.map(\.isBlank) == [false, true, false, true])
    }

    @Test(arguments: [1, 3, 1 << 20])
    func unterminatedQuoteRunsToTheEnd(chunkSize: Int) throws {
        let (rows, _) = try rows("a,b\n1,\"open\n2,3\n", chunkSize: chunkSize)
        #expect(rows.count == 2)
        #expect(rows[1].hasUnterminatedQuote)
        #expect(rows[1].cells == ["1", "open\n2,3\n"])
    }

    @Test func textAfterAClosingQuoteIsKept() throws {
        let (rows, _) = try rows("a\n\"x\"y\n")
        #expect(rows[1].cells == ["\"x\"y"])
    }

    @Test func recordTooLargeSaysWhere() throws {
        let source = try UTF8ChunkReader(bytes: Array(("a\n\"" + String(repeating: "x", count: 5000)).utf8), displayName: "big.csv", chunkSize: 512)
        let reader = try CSVReader(source: source)
        reader.maximumRecordBytes = 1024
        _ = try reader.nextRow()
        #expect {
            _ = try reader.nextRow()
        } throws: { error in
            (error as? CSVError)?.description == "big.csv:2: recordTooLarge: a record is longer than 1024 bytes; is a quote (\") left open?"
        }
    }
}
