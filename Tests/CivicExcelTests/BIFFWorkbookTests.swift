import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// Civic's own BIFF8 reader (`CompoundFile`, `BIFFWorkbook`), the fallback for the .xls files FreeXL 1.0.6 gives no
/// workbook for: every cell of every .xls fixture as xlrd reads it (`*.xlrd.json`, made by
/// tools/make_xls_oracle.py), the genuine 宇部市 file through `XLSWorkbook` and `DatasetReader`, and damaged or
/// hostile compound files and BIFF streams ending in a `WorkbookError`.
@Suite struct BIFFWorkbookTests {
    static let folder = XLSWorkbookTests.folder
    static let genuine = folder.appendingPathComponent("real/ube-352021__ube_cultural_property.xls")

    static let oracleFiles: [String] = ["real", "libreoffice", "features", "biff"].flatMap { sub in
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(sub).path)) ?? [])
            .filter { $0.hasSuffix(".xlrd.json") }.map { sub + "/" + $0 }
    }.sorted()

    struct Oracle: Decodable {
        struct Sheet: Decodable {
            var name: String
            var hidden: Bool
            var hiddenRows: [Int]
            var hiddenColumns: [Int]
            var merges: [[Int]]
            var cells: [[Value]]
        }
        enum Value: Decodable {
            case int(Int)
            case double(Double)
            case text(String)
            case list([Int])
            case null

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if container.decodeNil() {
                    self = .null
                } else if let value = try? container.decode(Int.self) {
                    self = .int(value)
                } else if let value = try? container.decode(Double.self) {
                    self = .double(value)
                } else if let value = try? container.decode(String.self) {
                    self = .text(value)
                } else {
                    self = .list(try container.decode([Int].self))
                }
            }
            var int: Int? {
                if case .int(let value) = self { return value }
                return nil
            }
            var double: Double? {
                switch self {
                case .int(let value): Double(value)
                case .double(let value): value
                default: nil
                }
            }
            var text: String? {
                if case .text(let value) = self { return value }
                return nil
            }
        }
        var datemode: Int
        var sheets: [Sheet]
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// Every sheet (name, visibility), every non-empty cell (its text and kind), hidden rows and columns and merged
    /// ranges: as xlrd 2.0 reads them.
    @Test(arguments: oracleFiles)
    func everyCellAsXlrdReadsIt(oracleFile: String) throws {
        let oracle = try JSONDecoder().decode(Oracle.self, from: Data(contentsOf: Self.folder.appendingPathComponent(oracleFile)))
        let xls = Self.folder.appendingPathComponent(String(oracleFile.dropLast(".xlrd.json".count)) + ".xls")
        let workbook = try BIFFWorkbook(bytes: [UInt8](Data(contentsOf: xls)), file: xls.lastPathComponent, limits: WorkbookLimits())
        #expect(workbook.date1904 == (oracle.datemode == 1))
        #expect(workbook.sheets.map(\.name) == oracle.sheets.map(\.name))
        #expect(workbook.sheets.map(\.hidden) == oracle.sheets.map(\.hidden))
        for (sheet, expected) in zip(workbook.sheets, oracle.sheets) {
            let (rows, layout) = try workbook.cells(of: sheet, limits: WorkbookLimits())
            var cells: [String: SheetCell] = [:]
            for row in rows {
                for cell in row.cells { cells["\(row.number - 1),\(cell.column)"] = cell }
            }
            #expect(cells.count == expected.cells.count, "\(sheet.name): \(cells.count) cells, xlrd \(expected.cells.count)")
            for entry in expected.cells {
                let (row, column) = (try #require(entry[0].int), try #require(entry[1].int))
                let kind = try #require(entry[2].text)
                guard let cell = cells["\(row),\(column)"] else {
                    Issue.record("\(sheet.name) \(CellReference.letters(column))\(row + 1): missing, xlrd has \(entry)")
                    continue
                }
                let place = "\(sheet.name) \(CellReference.letters(column))\(row + 1)"
                switch kind {
                case "text":
                    #expect(cell.kind == .text && cell.text == entry[3].text, "\(place): \(cell)")
                case "boolean":
                    #expect(cell.kind == .boolean && cell.text == entry[3].text, "\(place): \(cell)")
                case "error":
                    #expect(cell.kind == .error && cell.text == entry[3].text, "\(place): \(cell)")
                case "number":
                    #expect(cell.kind == .number && Double(cell.text) == entry[3].double, "\(place): \(cell) ≠ \(entry[3])")
                case "date":
                    #expect(cell.kind == .date, "\(place): \(cell)")
                    let serial = try #require(entry[3].double)
                    // xlrd's (year, month, day, hour, minute, second); it refuses 1900-system serials before 61
                    // (ambiguous: Excel counts a 29 February 1900) and gives serials below 1 as a time of day even in
                    // a date format. Those are checked against Excel's own convention: serial n is 1900-01-00 + n
                    // days, 60 is 1900-02-29, and 0 is 1904-01-01 in the 1904 system.
                    let day = Int(serial)
                    let excel =
                        oracle.datemode == 1
                        ? "1904-01-01" : day == 60 ? "1900-02-29" : day <= 31 ? "1900-01-\(Self.two(day))" : "1900-02-\(Self.two(day - 31))"
                    guard case .list(let parts) = entry[4], parts.count == 6 else {
                        #expect(day < 61 && cell.text.hasPrefix(excel), "\(place): \(cell.text) ≠ \(excel) (serial \(serial))")
                        continue
                    }
                    let date = "\(parts[0])-\(Self.two(parts[1]))-\(Self.two(parts[2]))"
                    let time = "\(Self.two(parts[3])):\(Self.two(parts[4]))"
                    if parts[0] == 0 && cell.text.contains("-") {
                        #expect(day == 0 && cell.text.hasPrefix(excel), "\(place): \(cell.text) ≠ \(excel) (serial \(serial))")
                    } else {
                        #expect(parts[0] == 0 ? cell.text.hasPrefix(time) : cell.text.hasPrefix(date), "\(place): \(cell.text) ≠ \(parts)")
                    }
                    if parts[0] != 0 && (parts[3] != 0 || parts[4] != 0) { #expect(cell.text.contains("T" + time), "\(place): \(cell.text)") }
                default:
                    Issue.record("\(place): unknown kind \(kind)")
                }
            }
            #expect(Set(rows.filter(\.hidden).map { $0.number - 1 }) == Set(expected.hiddenRows))
            #expect(layout.hiddenColumns == Set(expected.hiddenColumns))
            let merges = layout.merges.map { [$0.first.row - 1, $0.last.row - 1, $0.first.column, $0.last.column] }.sorted {
                $0.lexicographicallyPrecedes($1)
            }
            #expect(merges == expected.merges)
        }
    }

    /// The genuine 宇部市 file (Excel, LinkData template), which FreeXL 1.0.6 gives no workbook for, is read by Civic's
    /// reader: the same rows as its LibreOffice re-save read through FreeXL, and recognised the same way.
    @Test func genuineFileFreeXLRefusesIsReadByCivic() throws {
        let workbook = try XLSWorkbook(url: Self.genuine, name: "ube.xls")
        #expect(workbook.readByCivic)
        #expect(workbook.sheets.map(\.name) == ["Sheet0"])
        let genuine = try XLSWorkbookTests.read(try WorksheetRows(workbook: workbook))
        let resavedBook = try XLSWorkbook(
            url: Self.folder.appendingPathComponent("real/ube-352021__ube_cultural_property.resaved.xls"),
            name: "ube.xls"
        )
        #expect(!resavedBook.readByCivic)
        let resaved = try XLSWorkbookTests.read(try WorksheetRows(workbook: resavedBook))
        #expect(genuine.rows.count == 87)
        #expect(genuine.rows.map(\.line) == resaved.rows.map(\.line))
        #expect(genuine.rows.map(\.cells) == resaved.rows.map(\.cells))
        #expect(genuine.findings == resaved.findings)
        let reader = try DatasetReader.open(.file(Self.genuine))
        #expect(reader.sourceDescription.format == "xls")
        #expect(reader.recognition.dataset == "cultural_property" && reader.recognition.layout == .nonStandard)
        #expect(reader.sourceDescription.headerLine == 8)
        // The W3C geo columns (wgs84_pos#lat / #long) are 緯度 and 経度: all 77 records are placed in 宇部市.
        let read = try RealWorkbookTests.read(Self.genuine)
        #expect(read.records.count == 77)
        #expect(read.records.allSatisfy { ($0.latitude ?? 0) > 33.9 && ($0.latitude ?? 0) < 34.2 })
        #expect(read.records.allSatisfy { ($0.longitude ?? 0) > 131.1 && ($0.longitude ?? 0) < 131.4 })
        #expect(read.findings.allSatisfy { $0.severity != .error })
        let bytes = try [UInt8](Data(contentsOf: Self.genuine))
        let fromBytes = try DatasetReader.open(.bytes(bytes, name: "ube_cultural_property.xls"))
        #expect(fromBytes.recognition.dataset == "cultural_property")
    }

    /// The SST's string forms ([MS-XLS] 2.5.293): an empty string (the one FreeXL 1.0.6 stops at), 8-bit and UTF-16
    /// characters, a string whose characters run on into a CONTINUE record that switches from 8-bit to UTF-16,
    /// rich-text runs and a phonetic block (skipped) that itself runs on into the next record.
    @Test func sharedStringForms() throws {
        let record = BIFFRecord(type: 0x00FC, data: [], offset: 0, file: "t.xls")
        let utf16 = { (text: String) in Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        var first: [UInt8] = [5, 0, 0, 0, 5, 0, 0, 0]  // total, unique
        first += [0, 0, 0]  // "" (cch 0, 8-bit)
        first += [2, 0, 0] + Array("ab".utf8)
        first += [2, 0, 1] + utf16("宇部")
        first += [4, 0, 0] + Array("cd".utf8)  // runs on: "ef" in UTF-16 in the next record
        let second: [UInt8] = [1] + utf16("e市")
        var third: [UInt8] = [3, 0, 0x0D, 1, 0, 6, 0, 0, 0] + utf16("文化財") + [0, 0, 0, 0]  // rich (1 run) + phonetic (6 bytes)
        third += [1, 2, 3]  // the phonetic block's first 3 bytes…
        let fourth: [UInt8] = [4, 5, 6] + [1, 0, 0] + Array("z".utf8)  // …its last 3, then "z"
        let strings = try BIFFWorkbook.sharedStrings([first, second, third, fourth], record: record, limits: WorkbookLimits())
        #expect(strings == ["", "ab", "宇部", "cde市", "文化財"])
        let body = Array(first.dropFirst(8))
        let six = try BIFFWorkbook.sharedStrings([[6, 0, 0, 0, 6, 0, 0, 0] + body, second, third, fourth], record: record, limits: WorkbookLimits())
        #expect(six == ["", "ab", "宇部", "cde市", "文化財", "z"])
        let error = try #require(throws: WorkbookError.self) {
            _ = try BIFFWorkbook.sharedStrings([[7, 0, 0, 0, 7, 0, 0, 0] + body, second, third, fourth], record: record, limits: WorkbookLimits())
        }
        #expect(error.message.contains("end too soon"))
    }

    /// RK numbers ([MS-XLS] 2.5.217): 30-bit integers and the high 30 bits of a double, each perhaps divided by 100.
    @Test func rkNumbers() {
        #expect(BIFFWorkbook.rk(0x3FF0_0000) == 1.0)
        #expect(BIFFWorkbook.rk(0x3FF0_0001) == 0.01)
        #expect(BIFFWorkbook.rk(UInt32(100 << 2) | 0x02) == 100)
        #expect(BIFFWorkbook.rk(UInt32(12_345 << 2) | 0x03) == 123.45)
        #expect(BIFFWorkbook.rk(UInt32(bitPattern: -7 << 2) | 0x02) == -7)
    }

    // MARK: hostile input

    static func bytes() throws -> [UInt8] { try [UInt8](Data(contentsOf: genuine)) }

    /// Writes a little-endian UInt32 at `offset`.
    static func put32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }

    /// The genuine file's layout ([MS-CFB]): 512-byte sectors; FAT in sectors 190 and 191; directory in sector 192
    /// (entry 1 is the Workbook stream); the Workbook stream in sectors 0…173, so stream offset p is file offset
    /// 512 + p.
    static let fat = 512 + 190 * 512
    static let directory = 512 + 192 * 512
    static func streamOffset(_ p: Int) -> Int { 512 + p }

    static let hostile: [(String, WorkbookError.Code, String, @Sendable (inout [UInt8]) -> Void)] = [
        ("truncated in the header", .notAnXLS, "too short for the 512-byte header", { $0 = Array($0.prefix(300)) }),
        ("truncated before the FAT", .notAnXLS, "FAT sector 190 is past the end", { $0 = Array($0.prefix(4096)) }),
        ("truncated in the stream", .notAnXLS, "FAT sector 190 is past the end", { $0 = Array($0.prefix(50_000)) }),
        ("truncated in the directory", .notAnXLS, "no Workbook stream", { $0 = Array($0.prefix(98_900)) }),
        ("a FAT loop", .notAnXLS, "the Workbook stream chain loops at sector 5", { put32(5, at: fat + 4 * 5, in: &$0) }),
        ("a directory loop", .notAnXLS, "the directory chain loops at sector 192", { put32(192, at: fat + 4 * 192, in: &$0) }),
        ("a sector out of range", .notAnXLS, "the Workbook stream chain reaches sector FFFFFF", { put32(0xFF_FFFF, at: fat + 4 * 3, in: &$0) }),
        ("a huge declared stream", .tooLarge, "declares 4294967280 bytes", { put32(0xFFFF_FFF0, at: directory + 128 + 120, in: &$0) }),
        (
            "a stream longer than its chain", .notAnXLS, "declares 200000 bytes but its chain holds 89088",
            { put32(200_000, at: directory + 128 + 120, in: &$0) }
        ),
        ("a huge DIFAT count", .notAnXLS, "DIFAT sectors in a file of 193", { put32(0xFFFF_FFFF, at: 72, in: &$0) }),
        ("a huge FAT count", .notAnXLS, "FAT and 0 DIFAT sectors in a file of 193", { put32(0x7FFF_FFFF, at: 44, in: &$0) }),
        ("a bad sector size", .notAnXLS, "sector shift 15", { $0[30] = 15 }),
        (
            "a huge shared-string count", .tooLarge, "the SST declares 2147483647 strings",
            { put32(0x7FFF_FFFF, at: streamOffset(12146 + 8), in: &$0) }
        ),
        ("more shared strings than bytes", .invalidContent, "end too soon", { put32(1_000_000, at: streamOffset(12146 + 8), in: &$0) }),
        (
            "a record past the stream's end", .notAnXLS, "claims 65535 bytes",
            {
                $0[streamOffset(88792 + 2)] = 0xFF; $0[streamOffset(88792 + 3)] = 0xFF
            }
        ),
        (
            "a sheet offset past the end", .invalidContent, "substream offset 16777215 is past the end",
            { put32(0xFF_FFFF, at: streamOffset(12040 + 4), in: &$0) }
        ),
        ("no Workbook stream", .notAnXLS, "no Workbook stream", { $0[directory + 128] = UInt8(ascii: "X") }),
        ("BIFF5", .unsupported, "BIFF version 500", { $0[streamOffset(5)] = 0x05 }),
    ]

    /// Truncations, loops, sectors out of range, huge declared sizes and counts: a `WorkbookError` saying what and
    /// where, never a crash or a hang.
    @Test(arguments: hostile.indices)
    func hostileInputFailsClearly(index: Int) throws {
        let (name, code, message, damage) = Self.hostile[index]
        var bytes = try Self.bytes()
        damage(&bytes)
        let error = try #require(throws: WorkbookError.self, "\(name)") {
            let workbook = try BIFFWorkbook(bytes: bytes, file: "ube.xls", limits: WorkbookLimits())
            for sheet in workbook.sheets { _ = try workbook.cells(of: sheet, limits: WorkbookLimits()) }
        }
        #expect(error.code == code, "\(name): \(error)")
        #expect(error.description.hasPrefix("ube.xls"), "\(name): \(error)")
        #expect(error.description.contains(message), "\(name): \(error)")
    }

    /// A damaged file FreeXL gives no workbook for reaches Civic's reader through `DatasetReader`, whose error names
    /// the file.
    @Test func damagedGenuineFileThroughTheReader() throws {
        var bytes = try Self.bytes()
        Self.put32(1_000_000, at: Self.streamOffset(12146 + 8), in: &bytes)
        let error = try #require(throws: WorkbookError.self) { _ = try DatasetReader.open(.bytes(bytes, name: "ube.xls")) }
        #expect(error.description.hasPrefix("ube.xls [Workbook stream]: record FC at offset 12146:"))
    }

    /// 400 copies of the genuine file with bytes overwritten at pseudo-random places (a fixed seed): each is read or
    /// refused with a `WorkbookError`; none crashes.
    @Test func corruptedCopiesNeverCrash() throws {
        let original = try Self.bytes()
        var state: UInt64 = 352_021
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var read = 0
        var refused = 0
        for _ in 0..<400 {
            var bytes = original
            for _ in 0..<(1 + random(8)) {
                // Mostly the header, FAT, directory and the workbook globals (where damage matters most).
                let at =
                    random(4) == 0
                    ? random(bytes.count)
                    : [random(512), Self.fat + random(1024), Self.directory + random(512), Self.streamOffset(random(20_000))][random(4)]
                bytes[at] = UInt8(random(256))
            }
            do {
                let workbook = try BIFFWorkbook(bytes: bytes, file: "x.xls", limits: WorkbookLimits())
                for sheet in workbook.sheets { _ = try workbook.cells(of: sheet, limits: WorkbookLimits()) }
                read += 1
            } catch is WorkbookError {
                refused += 1
            }
        }
        #expect(read + refused == 400)
        #expect(refused > 0 && read > 0)
    }
}
