import Foundation
import Testing

/// Runs the built `civic` binary as a user would and checks the whole output and the exit status.
@Suite struct CommandTests {
    static let fixtures = Bundle.module.resourceURL!.appendingPathComponent("Fixtures")

    static var binary: URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("civic"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("civic"),
            Bundle.main.executableURL!.deletingLastPathComponent().appendingPathComponent("civic"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: Data
    }

    func civic(_ arguments: [String], stdin: Data? = nil, in directory: URL = fixtures) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self),
            stdoutBytes: outData
        )
    }

    /// A new folder under the temporary directory; the test that asks for one removes it (`defer`).
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("civic-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func validateTextReport() throws {
        let run = try civic(["validate", "small_aed.csv"])
        #expect(run.status == 1)
        #expect(run.stdout == Self.expectedSmallReport)
        #expect(run.stderr == "")
    }

    @Test func validateShowsValuesOnlyWhenAsked() throws {
        let hidden = try civic(["validate", "small_aed.csv"])
        #expect(!hidden.stdout.contains("(054)626-1111"))
        let shown = try civic(["validate", "--show-values", "small_aed.csv"])
        #expect(shown.stdout.contains("[(054)626-1111 → 054-626-1111]"))
    }

    @Test func validateJSONParses() throws {
        let run = try civic(["validate", "--format", "json", "small_aed.csv", "yaizu_aed.csv"])
        let reports = try #require(try JSONSerialization.jsonObject(with: run.stdoutBytes) as? [[String: Any]])
        #expect(reports.count == 2)
        #expect(reports[0]["valid"] as? Bool == false)
        #expect((reports[1]["recognition"] as? [String: Any])?["layout"] as? String == "legacy")
    }

    @Test func undecodableBytesSayWhere() throws {
        let run = try civic(["validate", "broken_cp932.csv"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("error: broken_cp932.csv:3: byte 37: "))
    }

    @Test func normalizeWritesTheCurrentLayout() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("aed.csv")
        let run = try civic(["normalize", "--quiet", "yaizu_aed.csv", "-o", out.path, "--report", directory.appendingPathComponent("r.json").path])
        #expect(run.status == 0 || run.status == 1)
        let text = try String(contentsOf: out, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0].hasPrefix("全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,名称_英字,所在地_全国地方公共団体コード"))
        #expect(lines.count == 82 + 2)
        #expect(lines[1].hasPrefix("222127,0000000001,静岡県焼津市,"))
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("r.json"))) as? [String: Any]
        )
        #expect((report["summary"] as? [String: Any])?["records"] as? Int == 82)
    }

    @Test func normalizeForExcelInCP932() throws {
        let run = try civic(["normalize", "--quiet", "--output-encoding", "cp932", "small_aed.csv"])
        #expect(run.status == 1)
        let decoded = String(data: run.stdoutBytes, encoding: .shiftJIS)
        #expect(decoded?.contains("ヤイヅシヤクショ") == true)
    }

    @Test func validateAWorkbookNamesCells() throws {
        let run = try civic(["validate", "yaizu_aed.xlsx"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  Sheet1!L2, 電話番号: fixed phone.format: phone number written as 000-000-0000\n"))
        #expect(run.stdout.contains("  Sheet1!J5, 経度: warning workbook.numberAsText: "))
        #expect(run.stdout.contains("  read:     workbook sheet Sheet1, header in row 1\n"))
        let json = try civic(["validate", "--format", "json", "--sheet", "1", "yaizu_aed.xlsx"])
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any])
        #expect((report["source"] as? [String: Any])?["format"] as? String == "xlsx")
        #expect(try #require(report["findings"] as? [[String: Any]]).contains { $0["cell"] as? String == "Sheet1!L2" })
    }

    /// A legacy .xls (焼津市 AED saved by LibreOffice; CivicExcelTests' fixture) through FreeXL, and a damaged one.
    @Test func validateALegacyWorkbook() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CivicExcelTests/Fixtures/xls")
        let file = folder.appendingPathComponent("libreoffice/yaizu-222127__222127_aed.xls").path
        let run = try civic(["validate", file])
        #expect(run.status == 0)
        #expect(run.stdout.contains("  'yaizu-222127__222127_aed'!L2, 電話番号: fixed phone.format: phone number written as 000-000-0000\n"))
        #expect(run.stdout.contains("  read:     .xls workbook sheet yaizu-222127__222127_aed, header in row 1\n"))
        #expect(run.stdout.contains("  records:  82, 0 with errors"))
        let json = try civic(["validate", "--format", "json", file])
        let report = try #require(try JSONSerialization.jsonObject(with: json.stdoutBytes) as? [String: Any])
        #expect((report["source"] as? [String: Any])?["format"] as? String == "xls")
        let truncated = try civic(["validate", folder.appendingPathComponent("hostile/truncated.xls").path])
        #expect(truncated.status == 2)
        #expect(truncated.stderr.contains("truncated.xls: not a readable .xls workbook: the file is truncated or damaged (read error)"))
    }

    @Test func normalizeToAWorkbookAndBack() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("aed.xlsx")
        #expect(try civic(["normalize", "--quiet", "yaizu_aed.csv", "-o", out.path]).status == 0)
        // The written workbook has nothing left to fix, and reads as the same 82 records.
        let again = try civic(["validate", "--format", "json", out.path])
        #expect(again.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: again.stdoutBytes) as? [String: Any])
        #expect((report["summary"] as? [String: Any])?["records"] as? Int == 82)
        #expect(try #require(report["findings"] as? [[String: Any]]).allSatisfy { $0["severity"] as? String == "info" })
        let piped = try civic(["normalize", "--quiet", "--to", "xlsx", "yaizu_aed.xlsx"])
        #expect(piped.stdoutBytes.prefix(2) == Data([0x50, 0x4B]))
        #expect(try civic(["normalize", "--to", "ods", "yaizu_aed.csv"]).status != 0)
    }

    @Test func hostileWorkbookIsAClearError() throws {
        let bomb = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CivicExcelTests/Fixtures/hostile/zip_bomb_ratio.xlsx")
        let run = try civic(["validate", bomb.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("[xl/worksheets/sheet1.xml]: row 1048577 is beyond Excel's last row"))
        let notZip = try civic(["validate", "--sheet", "2", bomb.path.replacingOccurrences(of: "zip_bomb_ratio", with: "not_a_zip")])
        #expect(notZip.status == 2 && notZip.stderr.contains("not an .xlsx workbook"))
    }

    @Test func convertFromStandardInput() throws {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent("yaizu_aed.csv"))
        let run = try civic(["convert", "--quiet", "-"], stdin: data)
        let object = try #require(try JSONSerialization.jsonObject(with: run.stdoutBytes) as? [String: Any])
        #expect((object["features"] as? [Any])?.count == 82)
    }

    @Test func convertSummaryOnStandardError() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try civic(["convert", "small_aed.csv", "-o", directory.appendingPathComponent("a.geojson").path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("2 GeoJSON features"))
    }

    @Test func helpUsesTheStandardsTerms() throws {
        let run = try civic(["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("自治体標準オープンデータセット"))
        #expect(run.stdout.contains("validate"))
        let validate = try civic(["validate", "--help"])
        #expect(validate.stdout.contains("全国地方公共団体コード"))
    }

    @Test func unknownDatasetIsAnError() throws {
        let run = try civic(["validate", "--dataset", "nope", "small_aed.csv"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknownDataset: no standard dataset 'nope'"))
    }

    @Test func convertPlaneCoordinatesWithFromCRS() throws {
        let detected = try civic(["convert", "--quiet", "yaizu_aed_plane.csv"])
        let declared = try civic(["convert", "--quiet", "--from-crs", "EPSG:6676", "yaizu_aed_plane.csv"])
        #expect(detected.status == 0 && declared.status == 0)
        let reference = try civic(["convert", "--quiet", "yaizu_aed.csv"])
        let coordinates = { (run: Run) throws -> [[Double]] in
            let object = try #require(try JSONSerialization.jsonObject(with: run.stdoutBytes) as? [String: Any])
            let features = try #require(object["features"] as? [[String: Any]])
            return try features.map { try #require(($0["geometry"] as? [String: Any])?["coordinates"] as? [Double]) }
        }
        #expect(try coordinates(detected).count == 82)
        for (a, b) in zip(try coordinates(declared), try coordinates(reference)) {
            #expect(abs(a[0] - b[0]) < 1e-6 && abs(a[1] - b[1]) < 1e-6)
        }
        let wrong = try civic(["validate", "--from-crs", "EPSG:6677", "yaizu_aed_plane.csv"])
        // IX系 puts 焼津市's points in the sea off 相模湾: not in Japan, not placed.
        #expect(wrong.stdout.contains("82 outside Japan"))
    }

    @Test func normalizeToPlaneRectangular() throws {
        // cs2cs EPSG:6668 → EPSG:6676 gives X −125686.9670, Y −16166.8798 for 焼津市役所本館 (tools/make_geo_fixtures.py).
        let run = try civic(["normalize", "--quiet", "--to-crs", "EPSG:6676", "yaizu_aed.csv"])
        let lines = run.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasSuffix(",X座標(EPSG:6676),Y座標(EPSG:6676)"))
        #expect(lines[1].hasSuffix(",-125686.9670,-16166.8798"))
        let back = try civic(["normalize", "--quiet", "yaizu_aed_plane.csv"])
        #expect(back.stdout.components(separatedBy: "\r\n")[1].contains(",34.86691800,138.32317100,"))
    }

    /// `civic tiles`: a file through the pipeline to a PMTiles archive, every zoom asked written; a bad zoom range and
    /// a missing file are refused without writing.
    @Test func tilesWritesAPMTilesArchive() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-tiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let archive = folder.appendingPathComponent("aed.pmtiles")
        let run = try civic(["tiles", "yaizu_aed.csv", "-o", archive.path, "--max-zoom", "12"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("wrote \(archive.path): ") && run.stdout.contains("(zoom 0–12)"))
        #expect(run.stderr.contains("zoom 12: "))
        let bytes = [UInt8](try Data(contentsOf: archive))
        #expect(Array(bytes.prefix(8)) == Array("PMTiles".utf8) + [3] && bytes[100] == 0 && bytes[101] == 12)
        #expect(try civic(["tiles", "yaizu_aed.csv", "-o", archive.path, "--min-zoom", "9", "--max-zoom", "3"]).status == 64)
        let missing = try civic(["tiles", "nope.csv", "-o", folder.appendingPathComponent("x.pmtiles").path])
        #expect(missing.status == 2 && missing.stderr.contains("nope.csv"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.pmtiles").path))
    }

    @Test func joinAddsTheDistrict() throws {
        let run = try civic(["join", "--quiet", "yaizu_aed.csv", "yaizu_districts.geojson", "--as", "学区", "--name-property", "学区名", "--make-valid"])
        #expect(run.status == 0)
        let lines = run.stdout.components(separatedBy: "\r\n")
        #expect(lines[0].hasSuffix(",学区"))
        #expect(lines[1].hasSuffix(",北東学区") || lines[1].hasSuffix(",北西学区") || lines[1].hasSuffix(",南東学区") || lines[1].hasSuffix(",南西学区"))
    }

    @Test func geometryReportsWhereAndRepairs() throws {
        let check = try civic(["geometry", "yaizu_districts.geojson"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("feature 5 (蝶): Self-intersection at 139.0"))
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let repaired = try civic(["geometry", "--make-valid", "yaizu_districts.geojson", "-o", directory.appendingPathComponent("d.geojson").path])
        #expect(repaired.status == 0)
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("d.geojson").path))
    }

    static let expectedSmallReport = """
        small_aed.csv
          dataset:  aed AED設置箇所一覧 — legacy 2019 layout (推奨データセット), score 1.0
          why:      22 of the file's 22 columns are in the legacy 2019 (推奨データセット) layout of AED設置箇所一覧
          line 2, 都道府県コード又は市区町村コード → 全国地方公共団体コード: fixed code.checkDigitAdded: 5-digit code completed with its check digit
          line 2, 名称_カナ: fixed cell.halfWidthKana: half-width katakana written full-width
          line 2, 電話番号: fixed phone.format: phone number written as 000-000-0000
          line 2, 開始時間: fixed time.format: time written as hh:mm
          line 3, 小児対応設備の有無: fixed yesNo.synonym: written as 有
          line 3, 緯度: warning coordinates.missing: no coordinates; the record is left out of GeoJSON
          line 4, 都道府県コード又は市区町村コード → 全国地方公共団体コード: error code.checkDigit: the check digit (6th digit) does not match the first five
          line 4, 利用可能曜日: warning weekdays.invalid: 曜日 notation (e.g. 月火水木金): a character that is not a day (月火水木金土日祝)
          line 4, 終了時間: error time.invalid: not a time (hh:mm)
          line 4, NO → ID: error id.duplicate: the same ID as the record on line 3
          read:     UTF-8 (validUTF8), comma-separated, CRLF line endings, header on line 1
          records:  3, 1 with errors
          coordinates: JGD2011 (EPSG:6668) → WGS 84 (CRS84, lon/lat) for 2 records (defaulted: 緯度/経度 read as JGD2011, the standard's 世界測地系)
                       via none: JGD2011 and WGS 84 coincide (EPSG:6668 → 4326 is the null transformation "JGD2011 to WGS 84 (1)", stated accuracy 1 m)
          by column:
            都道府県コード又は市区町村コード: 1 errors, 0 warnings, 1 fixed
            NO: 1 errors, 0 warnings, 0 fixed
            名称_カナ: 0 errors, 0 warnings, 1 fixed
            緯度: 0 errors, 1 warnings, 0 fixed
            電話番号: 0 errors, 0 warnings, 1 fixed
            利用可能曜日: 0 errors, 1 warnings, 0 fixed
            開始時間: 0 errors, 0 warnings, 1 fixed
            終了時間: 1 errors, 0 warnings, 0 fixed
            小児対応設備の有無: 0 errors, 0 warnings, 1 fixed
          total:    3 errors, 2 warnings, 5 fixed — INVALID 不適合

        """
        + "\n"
}
