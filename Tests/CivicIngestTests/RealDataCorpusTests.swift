import CivicData
import CivicExcel
import Foundation
import Testing

@testable import CivicIngest

/// Every real municipal file the tests hold — the second set here (`Fixtures/realdata`, CSV and .xlsx, see its
/// SOURCES.md) and the first set in CivicDataTests' fixtures — through the whole pipeline: none refused, at least
/// 95 % recognised as the dataset their provenance judges them to be, no cell lost, every placed point in Japan.
@Suite struct RealDataCorpusTests {
    struct RealFile: Sendable, CustomTestStringConvertible {
        var url: URL
        /// The dataset the provenance notes judge the file to be (`tourism` is `tourist_facility`).
        var dataset: String
        var testDescription: String { url.lastPathComponent }
    }

    static let secondSet: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/realdata")
    /// The first set, kept in CivicDataTests' fixtures (inside this repository).
    static let firstSet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("CivicDataTests/Fixtures/realdata")

    /// The provenance's judgement for every file (PROVENANCE.md and PROVENANCE-2.md).
    static let judged: [String: String] = [
        // Second set.
        "echizen-182087__freespot.csv": "public_wireless_lan",
        "echizen-182087__01shisetsu.csv": "public_facility",
        "echizen-182087__hoikuen.csv": "preschool",
        "echizen-182087__opendata_echizen_city.csv": "open_data_list",
        "echizen-182087__0214machibetsujumin.csv": "population",
        "okinawa-pref-470007__470007_hospital.csv": "medical_institution",
        "shibuya-131130__131130_public_toilet.csv": "public_toilet",
        "katsushika-131229__katsushika_tourism.csv": "tourist_facility",
        "hachijo-134015__hachijo_sightseeing.csv": "tourist_facility",
        "bunkyo-131059__bunkyoku_metadata.xlsx": "open_data_list",
        "kawaguchi-112038__112038_preschool.csv": "preschool",
        "inzai-122319__122319_care_service.csv": "care_service",
        "inzai-122319__122319_event.csv": "event",
        "inzai-122319__122319_open_data_list.csv": "open_data_list",
        "inzai-122319__opendata_1425.csv": "public_wireless_lan",
        "inzai-122319__opendata_24.csv": "evacuation_space",
        "inzai-122319__opendata_25.csv": "shelter",
        "inzai-122319__culturalproperties.csv": "cultural_property",
        "nasushiobara-092134__AED.csv": "aed",
        "kobe-281000__aed_kobe_20141128-sjis.csv": "aed",
        "yanai-352128__yanai_tourism.csv": "tourist_facility",
        "yanai-352128__yanai_tourism_sjis.csv": "tourist_facility",
        "kudamatsu-352071__【下松市】消防水利施設一覧.csv": "fire_hydrant",
        "kudamatsu-352071__【下松市】子育て施設一覧.csv": "preschool",
        "kudamatsu-352071__352071_population.csv": "population",
        "iwakuni-352080__352080_aed.csv": "aed",
        "kaminoseki-353418__04_文化財一覧_353418_cultural_property.csv": "cultural_property",
        "kaminoseki-353418__10_指定緊急避難場所一覧_353418_evacuation_space_2022.6.csv": "evacuation_space",
        "tabuse-353434__353434_hospital.csv": "medical_institution",
        "shimonoseki-352012__【下関市】文化財一覧.csv": "cultural_property",
        "yamaguchi-352039__医療機関一覧(令和6年4月1日時点) .csv": "medical_institution",
        "yamaguchi-pref-350001__AED設置場所一覧（csv） （令和3年5月24日現在）.csv": "aed",
        "yamaguchi-pref-350001__【山口県】子育て施設一覧（csv）.csv": "preschool",
        "sanyoonoda-352161__352161_population_20250430.csv": "population",
        "mine-352136__【美祢市】公共施設一覧（令和3年10月1日時点）.csv": "public_facility",
        "mine-352136__【美祢市】高齢者福祉施設一覧（令和3年10月1日時点）.csv": "public_facility",
        "nagato-352110__【長門市】公衆無線LANアクセスポイント一覧（公共施設分）.csv": "public_wireless_lan",
        "ube-352021__緊急避難場所及び避難所（Excel）.xlsx": "evacuation_space",
        // First set.
        "yaizu-222127__222127_aed.csv": "aed",
        "yaizu-222127__222127_evacuation_space.csv": "evacuation_space",
        "yaizu-222127__222127_hinannjo.csv": "shelter",
        "yaizu-222127__222127_fire_hydrant.csv": "fire_hydrant",
        "yaizu-222127__222127_public_toilet.csv": "public_toilet",
        "yaizu-222127__222127_public_wireless_lan.csv": "public_wireless_lan",
        "yaizu-222127__222127_preschool.csv": "preschool",
        "yaizu-222127__222127_public_facility-59773.csv": "public_facility",
        "takamatsu-372013__0002_aed_location.csv": "aed",
        "takamatsu-372013__0060_evacuation_space.csv": "evacuation_space",
        "takamatsu-372013__public_toilet_data.csv": "public_toilet",
        "ichikawa-122033__122033_108_aed.csv": "aed",
        "ichikawa-122033__122033_101_public_facility.csv": "public_facility",
        "ichikawa-122033__122033_103_evacuation_space.csv": "evacuation_space",
        "ichikawa-122033__122033_104_population.csv": "population",
        "ichikawa-122033__122033_105_preschool.csv": "preschool",
        "ichikawa-122033__122033_102_cultural_property.csv": "cultural_property",
        "ichikawa-122033__122033_109_care_service.csv": "care_service",
        "ichikawa-122033__122033_107_public_wireless_lan.csv": "public_wireless_lan",
        "ichikawa-122033__122033_106_open_data_list.csv": "open_data_list",
        "ichikawa-122033__122033_201_multipurpose_toilet.csv": "public_toilet",
        "komae-132195__132195_aed.csv": "aed",
        "matsuyama-382019__382019_aed.csv": "aed",
        "matsuyama-382019__302019_care_service.csv": "care_service",
        "ichikawa-122033__122033_210_sakura_map.csv": "tourist_facility",
        "ichikawa-122033__122033_209_100_best_landscapes.csv": "tourist_facility",
    ]

    static let tableExtensions: Set<String> = ["csv", "tsv", "txt", "xlsx"]

    static let files: [RealFile] = [secondSet, firstSet].flatMap { folder in
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { tableExtensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map {
            RealFile(url: folder.appendingPathComponent($0), dataset: judged[$0] ?? "?")
        }
    }

    @Test func everyFileIsJudgedAndBothSetsArePresent() {
        #expect(Self.files.count == Self.judged.count)
        #expect(Set(Self.files.map(\.testDescription)) == Set(Self.judged.keys))
    }

    /// None refused; at least 95 % recognised as the judged dataset (the misses are printed).
    @Test func recognisedAsJudged() throws {
        var misses: [String] = []
        for file in Self.files {
            let reader = try Ingest.open(.file(file.url))
            let recognition = reader.recognition
            if recognition.dataset != file.dataset {
                misses.append(
                    "\(file.testDescription): \(recognition.dataset) (judged \(file.dataset)), score \(recognition.score): \(recognition.reason)"
                )
            }
        }
        let share = Double(Self.files.count - misses.count) / Double(Self.files.count)
        print("recognised \(Self.files.count - misses.count) of \(Self.files.count) real files as judged (\(Int((share * 100).rounded(.down))) %)")
        for miss in misses { print("  miss: \(miss)") }
        #expect(share >= 0.95, "misses:\n\(misses.joined(separator: "\n"))")
    }

    /// Every non-empty cell is in the output record or in a finding (with its value), and every point placed on the
    /// map lies inside Japan.
    @Test(arguments: files)
    func noCellLostAndEveryPointInJapan(_ file: RealFile) throws {
        let (records, report) = try Ingest.readAll(.file(file.url))
        #expect(!records.isEmpty)
        for record in records {
            guard let longitude = record.longitude, let latitude = record.latitude else { continue }
            #expect((122.0...154.0).contains(longitude) && (20.0...46.0).contains(latitude), "line \(record.line): \(longitude), \(latitude)")
        }

        // The raw rows, read without the dataset pipeline.
        let raw = try Self.rawRows(file.url)
        let headerIndex = try #require(raw.firstIndex { $0.line == report.source.headerLine })
        let header = raw[headerIndex].cells
        let recordsByLine = Dictionary(uniqueKeysWithValues: records.map { ($0.line, $0) })
        var findingsByPlace: [String: [Finding]] = [:]
        for finding in report.findings {
            findingsByPlace["\(finding.line ?? 0)|\(finding.column ?? "")", default: []].append(finding)
        }
        let outputIndex = Dictionary(report.outputColumns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var checked = 0
        // Rows above the header (# rows, titles) are the report's metadata.
        for row in raw[..<headerIndex] {
            for value in row.cells where !value.isEmpty {
                checked += 1
                #expect(Self.isMetadata(value, report), "\(file.testDescription):\(row.line): a cell above the header is not in source.metadata")
            }
        }
        for row in raw[(headerIndex + 1)...] where !row.isBlank {
            for (position, value) in row.cells.enumerated() where !value.isEmpty {
                checked += 1
                let column = position < header.count ? header[position] : "列\(position + 1)"
                if findingsByPlace["\(row.line)|\(column)"]?.contains(where: { $0.before == value }) == true { continue }
                // A whole row kept in the report: # metadata, a total row, a note.
                if findingsByPlace["\(row.line)|"]?.contains(where: { $0.before?.contains(value) == true }) == true { continue }
                if row.cells.first?.hasPrefix("#") == true, Self.isMetadata(value, report) { continue }
                guard let record = recordsByLine[row.line], position < header.count, position < report.columns.count else {
                    Issue.record("\(file.testDescription):\(row.line) cell \(position + 1) is neither in a record nor in the report")
                    continue
                }
                let mapping = report.columns[position]
                let outputs = mapping.output.compactMap { outputIndex[$0].map { record.values[$0] } }
                let kept: Bool
                switch mapping.how {
                case .same, .legacyName, .alias, .extra:
                    kept = outputs.first == value
                case .joined:
                    kept = outputs.first?.contains(value) ?? false
                case .packedCoordinates:
                    kept = !outputs.isEmpty && outputs.allSatisfy { !$0.isEmpty && value.contains($0) }
                }
                #expect(kept, "\(file.testDescription):\(row.line) column \(column): the value is neither in the output nor in the report")
            }
        }
        #expect(checked > 0)
    }

    /// A cell of a row kept as metadata (a `#` row's first cell without its `#`).
    static func isMetadata(_ value: String, _ report: Report) -> Bool {
        report.source.metadata.contains { $0.contains(value) || (value.hasPrefix("#") && $0.contains(String(value.dropFirst()))) }
    }

    /// A file's rows as the CSV reader or the worksheet gives them, before any dataset logic.
    static func rawRows(_ url: URL) throws -> [CSVRow] {
        let source: any RowSource
        if Workbook.isWorkbook(url) {
            source = try WorksheetRows(workbook: try Workbook(url: url))
        } else {
            source = try CSVReader(source: try InputSource.file(url).makeChunkReader(encoding: nil))
        }
        var rows: [CSVRow] = []
        while let row = try source.nextRow() { rows.append(row) }
        return rows
    }
}
