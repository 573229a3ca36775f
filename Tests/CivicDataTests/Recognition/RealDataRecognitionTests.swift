import Testing

@testable import CivicData

/// Every real file in Fixtures/realdata: the dataset and layout it must be recognised as, and facts re-derived
/// from its bytes (data records, encoding).
@Suite struct RealDataRecognitionTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var file: String
        var dataset: String
        var layout: Layout
        var records: Int
        var encoding: String
        var bom: Bool
        var testDescription: String { file }
    }

    static let expectations: [Expectation] = [
        .init(file: "yaizu-222127__222127_aed.csv", dataset: "aed", layout: .legacy, records: 82, encoding: "UTF-8", bom: false),
        .init(
            file: "yaizu-222127__222127_evacuation_space.csv",
            dataset: "evacuation_space",
            layout: .legacy,
            records: 31,
            encoding: "UTF-8",
            bom: false
        ),
        // 避難所一覧 (指定避難所): its own dataset since the `shelter` schema; the header fits it and 指定緊急避難場所一覧
        // about equally, and the file name (hinannjo) decides.
        .init(
            file: "yaizu-222127__222127_hinannjo.csv",
            dataset: "shelter",
            layout: .nonStandard,
            records: 56,
            encoding: "UTF-8",
            bom: false
        ),
        .init(file: "yaizu-222127__222127_fire_hydrant.csv", dataset: "fire_hydrant", layout: .current, records: 193, encoding: "UTF-8", bom: false),
        .init(
            file: "yaizu-222127__222127_public_toilet.csv",
            dataset: "public_toilet",
            layout: .current,
            records: 112,
            encoding: "UTF-8",
            bom: false
        ),
        .init(
            file: "yaizu-222127__222127_public_wireless_lan.csv",
            dataset: "public_wireless_lan",
            layout: .legacy,
            records: 17,
            encoding: "UTF-8",
            bom: false
        ),
        .init(file: "yaizu-222127__222127_preschool.csv", dataset: "preschool", layout: .legacy, records: 60, encoding: "UTF-8", bom: false),
        .init(
            file: "yaizu-222127__222127_public_facility-59773.csv",
            dataset: "public_facility",
            layout: .legacy,
            records: 230,
            encoding: "UTF-8",
            bom: false
        ),
        .init(file: "takamatsu-372013__0002_aed_location.csv", dataset: "aed", layout: .nonStandard, records: 514, encoding: "UTF-8", bom: true),
        .init(
            file: "takamatsu-372013__0060_evacuation_space.csv",
            dataset: "evacuation_space",
            layout: .nonStandard,
            records: 193,
            encoding: "UTF-8",
            bom: true
        ),
        .init(
            file: "takamatsu-372013__public_toilet_data.csv",
            dataset: "public_toilet",
            layout: .nonStandard,
            records: 169,
            encoding: "UTF-8",
            bom: false
        ),
        .init(file: "ichikawa-122033__122033_108_aed.csv", dataset: "aed", layout: .current, records: 191, encoding: "CP932", bom: false),
        .init(
            file: "ichikawa-122033__122033_101_public_facility.csv",
            dataset: "public_facility",
            layout: .current,
            records: 342,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_103_evacuation_space.csv",
            dataset: "evacuation_space",
            layout: .current,
            records: 121,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_104_population.csv",
            dataset: "population",
            layout: .current,
            records: 237,
            encoding: "CP932",
            bom: false
        ),
        .init(file: "ichikawa-122033__122033_105_preschool.csv", dataset: "preschool", layout: .current, records: 384, encoding: "CP932", bom: false),
        .init(
            file: "ichikawa-122033__122033_102_cultural_property.csv",
            dataset: "cultural_property",
            layout: .current,
            records: 76,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_109_care_service.csv",
            dataset: "care_service",
            layout: .current,
            records: 53,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_107_public_wireless_lan.csv",
            dataset: "public_wireless_lan",
            layout: .current,
            records: 45,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_106_open_data_list.csv",
            dataset: "open_data_list",
            layout: .current,
            records: 36,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_201_multipurpose_toilet.csv",
            dataset: "public_toilet",
            layout: .current,
            records: 49,
            encoding: "CP932",
            bom: false
        ),
        .init(file: "komae-132195__132195_aed.csv", dataset: "aed", layout: .legacy, records: 57, encoding: "UTF-8", bom: false),
        .init(file: "matsuyama-382019__382019_aed.csv", dataset: "aed", layout: .nonStandard, records: 502, encoding: "UTF-8", bom: true),
        .init(
            file: "matsuyama-382019__302019_care_service.csv",
            dataset: "care_service",
            layout: .legacy,
            records: 6771,
            encoding: "UTF-8",
            bom: true
        ),
        .init(
            file: "ichikawa-122033__122033_210_sakura_map.csv",
            dataset: "tourist_facility",
            layout: .current,
            records: 31,
            encoding: "CP932",
            bom: false
        ),
        .init(
            file: "ichikawa-122033__122033_209_100_best_landscapes.csv",
            dataset: "tourist_facility",
            layout: .current,
            records: 100,
            encoding: "CP932",
            bom: false
        ),
    ]

    @Test func everyRealFileHasAnExpectation() {
        #expect(Set(Self.expectations.map(\.file)) == Set(Fixture.realFiles))
    }

    @Test(arguments: expectations)
    func recognisesAndCounts(_ expected: Expectation) throws {
        let (records, report) = try DatasetReader.readAll(source: .file(Fixture.url("realdata/" + expected.file)))
        #expect(report.recognition.dataset == expected.dataset, "\(report.recognition.reason)")
        #expect(report.recognition.layout == expected.layout, "score \(report.recognition.score)")
        #expect(records.count == expected.records)
        #expect(report.summary.records == expected.records)
        #expect(report.source.encoding == expected.encoding)
        #expect(report.source.byteOrderMark == expected.bom)
        #expect(report.outputColumns.starts(with: SchemaCatalog.bundled[expected.dataset]!.fields.map(\.name)))
    }

    @Test func takamatsuMetadataRowsAreKept() throws {
        let (_, report) = try DatasetReader.readAll(source: .file(Fixture.url("realdata/takamatsu-372013__0002_aed_location.csv")))
        #expect(report.source.headerLine == 7)
        #expect(
            report.source.metadata.map { $0.first ?? "" } == [
                "LINK", "lang", "attribution_name", "license", "file_name", "download_from", "object_type_xsd", "property_context",
            ]
        )
        #expect(report.source.metadata[2][1] == "高松市")
        #expect(report.columns.first { $0.column == "location" }?.how == .packedCoordinates)
    }

    @Test func matsuyamaTieIsBrokenByTheFileName() throws {
        let (_, report) = try DatasetReader.readAll(source: .file(Fixture.url("realdata/matsuyama-382019__382019_aed.csv")))
        #expect(report.recognition.reason.contains("file (or sheet) name"))
    }

    @Test func declaredDatasetWins() throws {
        let (_, report) = try DatasetReader.readAll(
            source: .file(Fixture.url("realdata/yaizu-222127__222127_hinannjo.csv")),
            options: ReadOptions(dataset: "evacuation_space")
        )
        #expect(report.recognition.declared)
        #expect(report.recognition.layout == .nonStandard)
    }

    /// A header that fits no standard dataset is not refused: it is a generic dataset of its own columns.
    @Test func unrecognisedHeaderIsAGenericDataset() throws {
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array("foo,bar,baz\n1,2,3\n".utf8), name: "x.csv"))
        #expect(report.recognition.dataset == GenericSchema.id && report.outputColumns == ["foo", "bar", "baz"])
        #expect(records.map(\.values) == [["1", "2", "3"]])
    }

    @Test func headerKeyFoldsDashesSpacesAndSuffixes() {
        #expect(HeaderKey("都道府県コ―ド又は市区町村コ―ド") == HeaderKey("都道府県コード又は市区町村コード"))
        #expect(HeaderKey("名称（必須）") == HeaderKey("名称"))
        #expect(HeaderKey(" 名称_カナ　") == HeaderKey("名称_カナ"))
        #expect(HeaderKey("ＵＲＬ") == HeaderKey("URL"))
        #expect(HeaderKey("0－4歳の男性") == HeaderKey("0-4歳の男性"))
    }
}

/// The file name decides when the columns alone fit nothing well.
@Suite struct FileNameRecognitionTests {
    static let kobeHeader = "交付番号,管轄,管轄入り交付番号,施設名称,郵便番号,設置場所住所,大カテゴリ,小カテゴリ,緯度,経度,２４H使用可能\n"

    @Test func aFileNamedForOneDatasetIsThatDataset() throws {
        // 神戸市's AED list (2014): its own column names, but the file is named aed_kobe.
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(Self.kobeHeader.utf8), name: "aed_kobe_20141128-sjis.csv"))
        #expect(report.recognition.dataset == "aed" && report.recognition.layout == .nonStandard)
        #expect(report.recognition.reason.contains("the file (or sheet) name points to AED設置箇所一覧"))
    }

    /// 越前市's files: vocabulary-URI headers that fit no dataset well, named freespot and hoikuen.
    @Test(arguments: [("freespot.csv", "public_wireless_lan"), ("hoikuen.csv", "preschool"), ("hachijo_sightseeing.csv", "tourist_facility")])
    func wordsOfTheFileName(name: String, dataset: String) throws {
        let header =
            "https://schema.org/name,https://schema.org/address,http://www.w3.org/2003/01/geo/wgs84_pos#lat,http://www.w3.org/2003/01/geo/wgs84_pos#long\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(header.utf8), name: name))
        #expect(report.recognition.dataset == dataset)
    }

    @Test func withoutTheNameItIsGeneric() throws {
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(Self.kobeHeader.utf8), name: "list.csv"))
        #expect(report.recognition.dataset == GenericSchema.id)
    }
}

/// Headers with two names in a cell, or vocabulary terms, are read by the part a dataset knows.
@Suite struct HeaderReadingsTests {
    @Test func readingsOfACell() {
        #expect(HeaderKey.variants(of: "名称/name") == [HeaderKey("名称"), HeaderKey("name")])
        #expect(HeaderKey.variants(of: "http://www.w3.org/2003/01/geo/wgs84_pos#lat") == [HeaderKey("lat")])
        #expect(HeaderKey.variants(of: "http://schema.org/name") == [HeaderKey("name")])
        #expect(HeaderKey.variants(of: "schema:telephone") == [HeaderKey("telephone")])
        #expect(HeaderKey.variants(of: "名称\nめいしょう") == [HeaderKey("名称"), HeaderKey("めいしょう")])
        #expect(HeaderKey.variants(of: "名称").isEmpty && HeaderKey.variants(of: "開始時間").isEmpty)
    }

    @Test func aBilingualHeaderIsRecognisedAndMapped() throws {
        let text =
            "全国地方公共団体コード/localGovernmentCode,ID/identifier,名称/name,緯度/latitude,経度/longitude,設置位置/installationPosition\r\n"
            + "222127,1,市役所,34.866918,138.323171,1階\r\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(report.recognition.dataset == "aed")
        let name = try #require(report.outputColumns.firstIndex(of: "名称"))
        #expect(records[0].values[name] == "市役所" && records[0].latitude == 34.866918)
        #expect(report.columns.first { $0.column == "名称/name" }?.output == ["名称"])
    }
}
