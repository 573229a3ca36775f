import Testing

@testable import CivicData

/// What normalisation does to real files, checked against values read off their bytes.
@Suite struct RealDataNormalizationTests {
    struct Read {
        var records: [NormalizedRecord]
        var report: Report

        init(_ file: String, dataset: String? = nil) throws {
            (records, report) = try DatasetReader.readAll(
                source: .file(Fixture.url("realdata/" + file)),
                options: ReadOptions(dataset: dataset)
            )
        }

        func value(_ record: NormalizedRecord, _ column: String) -> String {
            record.values[report.outputColumns.firstIndex(of: column)!]
        }

        func findings(_ code: FindingCode) -> [Finding] { report.findings.filter { $0.code == code } }
    }

    @Test func yaizuLegacyAEDIsWrittenInTheCurrentLayout() throws {
        let read = try Read("yaizu-222127__222127_aed.csv")
        let first = read.records[0]
        #expect(first.line == 2)
        #expect(read.value(first, "全国地方公共団体コード") == "222127")
        #expect(read.value(first, "ID") == "0000000001")
        #expect(read.value(first, "地方公共団体名") == "静岡県焼津市")
        #expect(read.value(first, "電話番号").hasPrefix("054-"))
        #expect(read.report.columns.first { $0.column == "住所" }?.output == ["所在地_連結表記"])
        #expect(read.report.columns.first { $0.column == "都道府県名" }?.how == .joined)
        // Every phone number is written (054)626-1139 in the file: 82 fixes, before and after kept.
        let phones = read.findings(.phoneFormat)
        #expect(phones.count == 82)
        #expect(phones.allSatisfy { $0.before!.hasPrefix("(054)") && $0.after!.hasPrefix("054-") })
        #expect(read.records.allSatisfy { $0.latitude != nil && $0.longitude != nil })
    }

    @Test func komaeKanaAndTimes() throws {
        let read = try Read("komae-132195__132195_aed.csv")
        #expect(read.findings(.cellHalfWidthKana).count >= 57)
        #expect(read.records.allSatisfy { !Kana.containsHalfWidthKatakana(read.value($0, "名称_カナ")) })
        let times = read.findings(.timeFormat)
        #expect(times.contains { $0.before == "8:30" && $0.after == "08:30" })
        #expect(read.records.allSatisfy { read.value($0, "開始時間").isEmpty || TimeValue.isValid(read.value($0, "開始時間")) })
    }

    @Test func ichikawaExcelSerialDates() throws {
        let population = try Read("ichikawa-122033__122033_104_population.csv")
        #expect(population.records.allSatisfy { population.value($0, "調査年月日") == "2023-03-31" })
        #expect(population.findings(.dateExcelSerial).count == 237)
        let cultural = try Read("ichikawa-122033__122033_102_cultural_property.csv")
        #expect(cultural.findings(.dateExcelSerial).contains { $0.before == "22196" && $0.after == "1960-10-07" })
    }

    @Test func yaizuCirclesBecomeOne() throws {
        let read = try Read("yaizu-222127__222127_evacuation_space.csv")
        let flags = read.findings(.flagCircle)
        #expect(flags.count == 5 + 26 + 26 + 5)
        #expect(flags.allSatisfy { $0.before == "○" && $0.after == "1" })
        #expect(read.records.allSatisfy { ["", "1"].contains(read.value($0, "災害種別_地震")) })
    }

    @Test func matsuyamaCareServiceCodesAndBrokenLongitudes() throws {
        let read = try Read("matsuyama-382019__302019_care_service.csv")
        #expect(read.records.allSatisfy { read.value($0, "全国地方公共団体コード") == "382019" })
        #expect(read.findings(.codeCheckDigitAdded).count == 6771)
        // 8 corrupted longitudes (e.g. 8628948133) and 7 rows without coordinates are reported, never dropped.
        #expect(read.findings(.coordinateOutOfRange).count == 8)
        #expect(read.findings(.coordinatesMissing).count == 7)
        #expect(read.records.filter { $0.latitude == nil }.count == 15)
        #expect(!read.report.isValid)
    }

    @Test func matsuyamaAEDHiraganaAndColumnOrder() throws {
        let read = try Read("matsuyama-382019__382019_aed.csv")
        let first = read.records[0]
        #expect(read.value(first, "名称_カナ") == "アイジマシュウカイショ")
        #expect(first.longitude == 132.7071662)
        #expect(first.latitude == 34.07027739)
        #expect(read.findings(.kanaHiragana).count == 502)
    }

    @Test func takamatsuPackedCoordinatesAreSplit() throws {
        let read = try Read("takamatsu-372013__0002_aed_location.csv")
        let first = read.records[0]
        #expect(first.line == 10)
        #expect(read.value(first, "緯度") == "34.34092056")
        #expect(read.value(first, "経度") == "134.04522972")
        #expect(read.value(first, "名称") == "健康増進施設サラマンダー")
        #expect(read.value(first, "#property") == "1")
    }

    @Test func takamatsuToiletFiveDigitCodes() throws {
        let read = try Read("takamatsu-372013__public_toilet_data.csv")
        #expect(read.records.allSatisfy { read.value($0, "全国地方公共団体コード") == "372013" })
    }

    @Test func ichikawaHalfWidthKanaAndCP932Tilde() throws {
        let read = try Read("ichikawa-122033__122033_101_public_facility.csv")
        #expect(read.report.source.encoding == "CP932")
        #expect(read.records.contains { read.value($0, "利用可能時間特記事項").contains("\u{FF5E}") })
    }

    @Test func idsMustBeUnique() throws {
        let text = "全国地方公共団体コード,ID,地方公共団体名,名称,緯度,経度\n222127,A1,焼津市,甲,34.86,138.32\n222127,A1,焼津市,乙,34.87,138.33\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "ids.csv"), options: ReadOptions(dataset: "aed"))
        let duplicates = report.findings.filter { $0.code == .idDuplicate }
        #expect(duplicates.count == 1)
        #expect(duplicates[0].line == 3)
        #expect(duplicates[0].message == "the same ID as the record on line 2")
    }

    @Test func swappedCoordinatesAreExchanged() throws {
        let text = "名称,緯度,経度\n焼津市役所,138.3232,34.8669\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "s.csv"), options: ReadOptions(dataset: "aed"))
        #expect(records[0].latitude == 34.8669)
        #expect(records[0].longitude == 138.3232)
        #expect(report.findings.filter { $0.code == .coordinatesSwapped }.count == 2)
    }

    @Test func checkDigitErrorsAndTooManyCells() throws {
        let text = "全国地方公共団体コード,名称,緯度,経度\n222128,a,34.8,138.3\n222127,b,34.8,138.3,extra\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "c.csv"), options: ReadOptions(dataset: "aed"))
        let check = report.findings.first { $0.code == .codeCheckDigit }
        #expect(check?.line == 2)
        #expect(check?.column == "全国地方公共団体コード")
        #expect(check?.severity == .error)
        let extra = report.findings.first { $0.code == .rowTooManyCells }
        #expect(extra?.line == 3)
        #expect(extra?.before == "extra")
        #expect(report.summary.recordsWithErrors == 2)
    }
}

@Suite struct KanaColumnTests {
    @Test func dashAfterKatakanaIsTheProlongedSoundMark() throws {
        let read = try RealDataNormalizationTests.Read("ichikawa-122033__122033_108_aed.csv")
        let fixes = read.findings(.kanaProlongedSoundMark)
        #expect(fixes.contains { $0.after == "イキイキセンターシオハマ" })
        #expect(read.findings(.kanaNotKatakana).count < 29)
        #expect(CellNormalizer.prolongedSoundMarks(in: "0-4サイ") == nil)
        #expect(CellNormalizer.prolongedSoundMarks(in: "センタ－") == "センター")
    }
}
