import CivicData
import Foundation
import Testing

@testable import CivicIngest

/// The held-out set (`Fixtures/heldout`, HELDOUT.md): real files from publishers that no other test and no rule was
/// written from, each judged (dataset or `none`) before Civic was run on it. It measures what a checker with files
/// we do not have would see. The share recognised is a floor that only moves up; the misses are printed.
@Suite struct HeldOutTests {
    static let folder: URL = Bundle.module.resourceURL!.appendingPathComponent("Fixtures/heldout")

    /// HELDOUT.md's judgement: a dataset id, `none` (not a standard dataset: read as generic), or `not a table`.
    static let judged: [String: String] = [
        "chiba-rodokyoku__rousai_hospital.csv": "medical_institution",
        "funabashi-122041__hinanbasyo.csv": "evacuation_space",
        "funabashi-122041__hinanjyo.csv": "shelter",
        "funabashi-122041__kitakukonnansya.csv": "none",
        "hamada-322024__hamada.csv": "evacuation_space",
        "hamamatsu-221309__221309_hamamatsu_tsunami_hinan.csv": "evacuation_space",
        "hamamatsu-221309__避難所.csv": "shelter",
        "hino-132128__data.geojson": "cultural_property",
        "hokkaido-pref-010006__hospital_list.csv": "medical_institution",
        "imabari-382027__hinanjo_data.csv": "shelter",
        "imabari-382027__hinanjo_info.csv": "none",
        "imabari-382027__hoikuen.csv": "preschool",
        "imabari-382027__meqqe_aed.csv": "aed",
        "machida-132098__251017hoiku.csv": "not a table",
        "nanao-172022__reference_data.csv": "evacuation_space",
        "oita-442011__sinryousyo.csv": "medical_institution",
        "oita-pref-440001__aed.csv": "aed",
        "osaka-271004__271004_public_toilet_202010.csv": "public_toilet",
        "osaka-pref-270008__271004_preschool_202011.csv": "preschool",
        "oyama-092088__public_toilet.csv": "public_toilet",
        "saijo-382060__population.csv": "none",
        "seoul-korea__AED.csv": "none",
        "shinjuku-131041__nurseryFacilities.csv": "preschool",
        "shizuoka-221007__gogo_aed.csv": "aed",
        "shizuoka-221007__gogo_toire.csv": "public_toilet",
        "tokyo-pref-130001__designation_historic_site_output.csv": "cultural_property",
        "tokyo-pref-130001__public_facilities_output.csv": "public_facility",
        "vietnam-history__event.csv": "none",
        "koriyama-072036__nurseryData.csv": "preschool",
        "matsue-322016__5374_target.csv": "none",
        "muroran-012050__nurseryFacilities.csv": "preschool",
        "towada-022063__022063_public_wireless_lan.json": "public_wireless_lan",
    ]

    /// The share of the files judged a standard dataset that Civic recognises as it: raised as Civic improves.
    static let floor = 0.92

    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasSuffix(".md") }.sorted()
    }

    @Test func everyFileIsJudged() {
        #expect(Set(Self.files) == Set(Self.judged.keys))
    }

    /// What Civic makes of a file: the dataset id, `generic`, or `not a table` (exit 2).
    static func outcome(_ name: String) -> String {
        do {
            return try Ingest.open(.file(folder.appendingPathComponent(name))).recognition.dataset
        } catch {
            return "not a table"
        }
    }

    @Test func standardFilesAreRecognisedAsJudged() {
        let standard = Self.judged.filter { !["none", "not a table"].contains($0.value) }
        var misses: [String] = []
        for (name, dataset) in standard.sorted(by: { $0.key < $1.key }) {
            let got = Self.outcome(name)
            if got != dataset { misses.append("\(name): \(got) (judged \(dataset))") }
        }
        let share = Double(standard.count - misses.count) / Double(standard.count)
        print(
            "held-out: \(standard.count - misses.count) of \(standard.count) standard files recognised as judged (\(Int((share * 100).rounded())) %)"
        )
        for miss in misses { print("  miss: \(miss)") }
        #expect(share >= Self.floor, "misses:\n\(misses.joined(separator: "\n"))")
    }

    /// Tables of no standard are read (generic), never refused.
    @Test func tablesOfNoStandardAreReadAsGeneric() {
        let none = Self.judged.filter { $0.value == "none" }.keys.sorted()
        let refused = none.filter { Self.outcome($0) == "not a table" }
        #expect(refused.isEmpty, "refused: \(refused)")
        let generic = none.filter { Self.outcome($0) == GenericSchema.id }
        print("held-out: \(generic.count) of \(none.count) tables of no standard read as generic")
        #expect(generic.count >= none.count - 1)
    }

    /// JavaScript saved as .csv is refused as not a table.
    @Test func notATableIsRefused() {
        for (name, judgement) in Self.judged where judgement == "not a table" {
            #expect(Self.outcome(name) == "not a table", "\(name)")
        }
    }

    /// A file without a header row (千葉労働局's 労災指定医療機関 list): its first row is a record, not lost to a header.
    @Test func aFileWithoutAHeaderKeepsItsFirstRecord() throws {
        let (records, report) = try Ingest.readAll(.file(Self.folder.appendingPathComponent("chiba-rodokyoku__rousai_hospital.csv")))
        #expect(records.count == 10)
        #expect(records.first?.values.contains("260-0856") == true)
        #expect(report.findings.contains { $0.code == .headerNone && $0.line == 1 })
        #expect(report.columns.map(\.column).prefix(3) == ["列1", "列2", "列3"])
    }

    /// Files with a header never lose it to the rule (a header cell is never a postal code or a phone number).
    @Test func filesWithAHeaderKeepIt() throws {
        for name in Self.files where name.hasSuffix(".csv") && name != "chiba-rodokyoku__rousai_hospital.csv" && Self.outcome(name) != "not a table" {
            let (_, report) = try Ingest.readAll(.file(Self.folder.appendingPathComponent(name)))
            #expect(!report.findings.contains { $0.code == .headerNone }, "\(name)")
        }
    }
}
