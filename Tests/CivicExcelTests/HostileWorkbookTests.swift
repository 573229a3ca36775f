import CivicData
import Foundation
import Testing

@testable import CivicExcel

/// Hostile or broken workbooks (Fixtures/hostile, see its README): each ends in a `WorkbookError` that names the
/// part and says what is wrong, quickly and in little memory; none crashes or hangs.
@Suite struct HostileWorkbookTests {
    static let folder = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/hostile")

    /// Opens the workbook and reads every row of its first sheet.
    static func readAll(_ name: String, limits: WorkbookLimits = WorkbookLimits()) throws -> Int {
        let workbook = try Workbook(url: folder.appendingPathComponent(name), name: name, limits: limits)
        let rows = try WorksheetRows(workbook: workbook)
        var count = 0
        while try rows.nextRow() != nil { count += 1 }
        return count
    }

    static func failure(_ name: String, limits: WorkbookLimits = WorkbookLimits()) -> WorkbookError? {
        do {
            _ = try readAll(name, limits: limits)
            return nil
        } catch let error as WorkbookError {
            return error
        } catch {
            Issue.record("\(name): not a WorkbookError: \(error)")
            return nil
        }
    }

    @Test func notAZipOrCutShort() {
        #expect(Self.failure("not_a_zip.xlsx")?.code == .notAZip)
        let truncated = Self.failure("truncated.xlsx")
        #expect(truncated?.code == .notAZip)
        #expect(truncated?.message.contains("damaged or cut short") == true)
    }

    @Test func missingParts() {
        let workbook = Self.failure("missing_workbook.xlsx")
        #expect(workbook?.code == .missingPart && workbook?.part == "xl/workbook.xml")
        let sheet = Self.failure("missing_sheet.xlsx")
        #expect(sheet?.code == .missingPart && sheet?.part == "xl/worksheets/sheet1.xml")
    }

    @Test func malformedXMLSaysWhere() throws {
        let error = try #require(Self.failure("malformed_xml.xlsx"))
        #expect(error.code == .malformedXML && error.part == "xl/worksheets/sheet1.xml")
        #expect(error.line == 2 && error.column != nil)
        #expect(error.description.contains("malformed_xml.xlsx [xl/worksheets/sheet1.xml line 2"))
    }

    /// A DOCTYPE is refused before any entity is declared: no file is read (XXE), nothing expands (billion laughs).
    @Test func documentTypeDeclarationsAreRefused() throws {
        for name in ["xxe_external.xlsx", "billion_laughs.xlsx"] {
            let error = try #require(Self.failure(name))
            #expect(error.code == .malformedXML)
            #expect(error.message.contains("DOCTYPE"))
            #expect(!error.description.contains("root:"))
        }
    }

    /// The bombs are rows without end: stopped by the part's declared size when the header lies, by Excel's last
    /// row, and by the ratio and size limits (counted as the part inflates). Smaller limits than the defaults keep
    /// the test quick; the checks are the same.
    @Test func zipBombsStop() throws {
        let lying = try #require(Self.failure("zip_bomb_lying_header.xlsx"))
        #expect(lying.code == .tooLarge && lying.message.contains("beyond the 4096 bytes its header declares"))

        let name = "zip_bomb_ratio.xlsx"
        var limits = WorkbookLimits()
        limits.maximumRow = 10_000
        let rows = try #require(Self.failure(name, limits: limits))
        #expect(rows.code == .invalidContent && rows.message.contains("row 10001 is beyond"))
        limits.maximumRow = .max
        limits.ratioThresholdBytes = 1 << 20
        limits.maximumRatio = 10
        let ratio = try #require(Self.failure(name, limits: limits))
        #expect(ratio.code == .tooLarge && ratio.message.contains("more than 10 times its compressed size") && ratio.message.contains("zip bomb"))
        limits.maximumRatio = .max
        limits.maximumSheetBytes = 2 << 20
        let size = try #require(Self.failure(name, limits: limits))
        #expect(size.code == .tooLarge && size.message.contains("more than \(2 << 20) bytes"))
        // With the defaults it stops at Excel's last row, well before the 200 MiB (civicTests runs that).
    }

    /// A deflate stream that never ends (a stored block running past the end of the file): inflated within the
    /// entry's own bytes, it is an error when they run out, not an endless loop at the end of the file.
    @Test func endlessDeflateStreamEnds() throws {
        let error = try #require(Self.failure("endless_deflate.xlsx"))
        #expect(error.code == .unreadable && error.part == "xl/worksheets/sheet1.xml")
        #expect(error.message.contains("compressed data ends before its deflate stream does"))
    }

    /// A part whose bytes do not match the CRC-32 its entry records is damaged: an error at the end of the part.
    @Test func crcMismatchIsDamage() throws {
        let good = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/realdata/openpyxl/yaizu-222127__222127_aed.xlsx")
        var bytes = Array(try Data(contentsOf: good))
        let name = Array("xl/worksheets/sheet1.xml".utf8)
        var patched = 0
        // The CRC in the central directory record (offset 16) and the local header (offset 14) of sheet1.xml.
        for (signature, crcAt, nameLengthAt, nameAt) in [([0x50, 0x4B, 0x01, 0x02], 16, 28, 46), ([0x50, 0x4B, 0x03, 0x04], 14, 26, 30)]
            as [([UInt8], Int, Int, Int)]
        {
            for at in 0..<(bytes.count - nameAt) where Array(bytes[at..<at + 4]) == signature {
                let length = Int(bytes[at + nameLengthAt]) | Int(bytes[at + nameLengthAt + 1]) << 8
                guard Array(bytes[(at + nameAt)..<(at + nameAt + length)]) == name else { continue }
                bytes[at + crcAt] ^= 0xFF
                patched += 1
            }
        }
        #expect(patched == 2)
        let rows = try WorksheetRows(workbook: try Workbook(bytes: bytes, name: "damaged.xlsx"))
        #expect {
            while try rows.nextRow() != nil {}
        } throws: { error in
            (error as? WorkbookError)?.code == .unreadable && (error as? WorkbookError)?.message.contains("CRC-32") == true
        }
    }

    @Test func hugeSharedStringTables() throws {
        // A million strings load (the claimed count of two billion is not believed), then a cell names one past them.
        let error = try #require(Self.failure("huge_shared_strings.xlsx"))
        #expect(error.code == .invalidContent && error.message.contains("does not exist"))
        var limits = WorkbookLimits()
        limits.maximumSharedStrings = 1000
        let limited = try #require(Self.failure("huge_shared_strings.xlsx", limits: limits))
        #expect(limited.part == "xl/sharedStrings.xml" && limited.message.contains("more than 1000 shared strings"))
    }

    /// Through the command-line path too: `DatasetReader.open` picks the workbook reader by the ZIP signature.
    @Test func openRefusesWithTheSameError() {
        #expect(throws: WorkbookError.self) { try DatasetReader.open(.file(Self.folder.appendingPathComponent("billion_laughs.xlsx"))) }
    }
}
