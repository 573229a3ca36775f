import Testing

@testable import CivicData

/// What the values of the first rows say: each column's kind, and the dataset the values name.
@Suite struct ValueSampleTests {
    @Test func kindsOfColumns() {
        let rows = [
            [
                "222127", "1000020222127", "34.866918", "138.323171", "054-626-1111", "425-8502", "https://example.jp/a", "2023/3/31", "○", "12",
                "007",
            ],
            ["222135", "1000020222135", "34.9", "138.4", "054-626-2222", "4258502", "http://example.jp/b", "令和5年4月1日", "", "3", "012"],
            ["", "", "34.871234", "138.315678", "(054)626-3333", "425-8503", "", "2023-04-02", "○", "0", "020"],
        ]
        let sample = ValueSample(columns: 11, rows: rows)
        #expect(
            sample.kinds == [
                .municipalityCode, .corporateNumber, .number, .number, .phone, nil, .url, .date, .flag, .integer, nil,
            ]
        )
        // 34.9 has too few decimals for a place: that column is a plain number, and so its partner is too.
    }

    @Test func answersAndTimes() {
        let sample = ValueSample(columns: 3, rows: [["有", "9:00", "○"], ["無", "17:30", "×"], ["有", "08:30", ""]])
        #expect(sample.kinds == [.yesNo, .time, .flag])
    }

    @Test func latitudeAndLongitudeComeInPairs() {
        let rows = [["35.681236", "139.767125", "35.1234"], ["35.689487", "139.691706", "35.5678"]]
        #expect(ValueSample(columns: 3, rows: rows).kinds == [.latitude, .longitude, .latitude])
        #expect(ValueSample(columns: 1, rows: rows.map { [$0[0]] }).kinds == [.number])
    }

    @Test func oneValueDecidesNothingAndMixedColumnsAreText() {
        #expect(ValueSample(columns: 1, rows: [["222127"]]).kinds == [nil])
        #expect(ValueSample(columns: 1, rows: [["222127"], ["市役所"]]).kinds == [nil])
        // An invalid check digit is not a municipality code; codes with leading zeros are not numbers.
        #expect(ValueSample(columns: 1, rows: [["222128"], ["222136"]]).kinds == [.integer])
        #expect(ValueSample(columns: 1, rows: [["0003000"], ["0003001"]]).kinds == [nil])
    }

    @Test func valuesNameADataset() {
        let sample = ValueSample(columns: 2, rows: [["指定避難場所・避難所", "指定避難所"], ["指定避難場所・避難所", "指定避難所"]])
        let mentions = sample.mentions(of: ["shelter": ["避難所"], "evacuation_space": ["避難場所"]])
        #expect(mentions == ["shelter": 4, "evacuation_space": 2])
    }
}

/// The recogniser with the values: typed columns count for the datasets that have such fields, and values that name
/// a dataset decide between datasets the columns fit about equally.
@Suite struct ValueRecognitionTests {
    static let header = ["番号", "名称", "所在地", "電話番号", "震災", "風水害", "種別", "経度", "緯度", "分類"]

    static func rows(kind: String, category: String) -> [[String]] {
        (0..<6).map { index in
            [
                "\(index + 1)", "施設\(index)", "印西市\(index)", "0476-42-000\(index)", "○", index % 2 == 0 ? "○" : "", kind, "140.11\(index)186",
                "35.82\(index)87", category,
            ]
        }
    }

    @Test func theValuesNameTheDataset() throws {
        let recognizer = Recognizer()
        let header = Self.header
        let shelter = ValueSample(columns: header.count, rows: Self.rows(kind: "指定避難場所・避難所", category: "指定避難所"))
        let space = ValueSample(columns: header.count, rows: Self.rows(kind: "広域避難場所・避難所", category: "広域避難場所"))
        let asShelter = try #require(recognizer.recognize(header: header, fileName: "opendata_25.csv", values: shelter))
        let asSpace = try #require(recognizer.recognize(header: header, fileName: "opendata_24.csv", values: space))
        #expect(asShelter.dataset == "shelter" && asSpace.dataset == "evacuation_space")
        #expect(asShelter.reason.contains("the values name 指定避難所一覧"))
        #expect(asShelter.layout == .nonStandard && asShelter.score < 0.75)
        // Without the values nothing points to either.
        #expect(recognizer.recognize(header: header, fileName: "opendata_25.csv")?.dataset != "shelter")
    }

    @Test func typedColumnsAreReported() throws {
        // 町別 figures: one name 地域・年齢別人口 knows (地域名), two vocabulary URIs no dataset knows (the real file's
        // #number_of_households and #population are aliases now), and a file name that names 住民.
        let header = ["地域名", "https://code4fukui.github.io/rdf/#offices", "https://code4fukui.github.io/rdf/#workers"]
        let values = ValueSample(columns: 3, rows: [["越前市", "31295", "80337"], ["東地区", "2204", "4811"], ["府中一丁目", "63", "128"]])
        let recognition = try #require(Recognizer().recognize(header: header, fileName: "0214machibetsujumin.csv", values: values))
        #expect(recognition.dataset == "population")
        #expect(recognition.reason.contains("#workers: integer"))
    }

    @Test func theFileNameAndTheValuesAgreeingOutweighAModerateFit() throws {
        // 船橋市's 避難所 list: 種別 and 施設名 fit 子育て施設一覧 best by name, but the file is hinanjyo and 種別 says 避難所.
        let header = ["_id", "NO", "種別", "施設名", "住所"]
        let rows = (1...6).map { ["\($0)", "\($0)", $0 % 2 == 0 ? "福祉避難所" : "宿泊可能避難所", "市民センター\($0)", "船橋市三山8-19-\($0)"] }
        let values = ValueSample(columns: 5, rows: rows)
        let recognition = try #require(Recognizer().recognize(header: header, fileName: "hinanjyo.csv", values: values))
        #expect(recognition.dataset == "shelter")
        #expect(recognition.reason.contains("the file (or sheet) name and the values name 指定避難所一覧"))
        // 種別, 施設名 (名称) and 住所 are columns any list of places has: they decide nothing, so either signal alone
        // decides, and with neither the file is generic — not 子育て施設一覧 for its 種別.
        #expect(Recognizer().recognize(header: header, fileName: "list.csv", values: values)?.dataset == "shelter")
        #expect(Recognizer().recognize(header: header, fileName: "hinanjyo.csv")?.dataset == "shelter")
        let neutral = ValueSample(columns: 5, rows: (1...6).map { ["\($0)", "\($0)", "施設", "市民センター\($0)", "船橋市三山8-19-\($0)"] })
        #expect(Recognizer().recognize(header: header, fileName: "list.csv", values: neutral) == nil)
    }

    @Test func valuesAloneNeverMakeADataset() {
        // Seoul's AED list (a negative control): no column name any dataset knows; its coordinates and numbers fit
        // every dataset, and the file name says AED. It is generic, not AED設置箇所一覧.
        let header = ["AED모델명", "우편번호(앞자리)", "관리자연락처", "설치기관명", "경도", "위도"]
        let values = ValueSample(
            columns: 6,
            rows: [
                ["i-PAD NFK200", "43", "02-2199-8686", "서빙고동주민센터", "126.9943529", "37.5202528"],
                ["CU-SP1", "44", "02-2199-8687", "용산구청", "126.9901234", "37.5321234"],
            ]
        )
        #expect(Recognizer().recognize(header: header, fileName: "AED.csv", values: values) == nil)
        // Numbers lift no dataset over the minimum either: 帰宅困難者支援施設 with two ID columns stays generic.
        let shelterless = ValueSample(
            columns: 5,
            rows: [["1", "1", "帰宅困難者支援施設", "本社ビル", "船橋市本町2-7-17"], ["2", "2", "帰宅困難者支援施設", "駅ビル", "船橋市本町7-1-1"]]
        )
        #expect(Recognizer().recognize(header: ["_id", "No.", "種別", "施設名", "住所"], fileName: "kitakukonnansya.csv", values: shelterless) == nil)
    }
}

/// How most entries' names end names a dataset (`civic.nameEndings`): the one signal a file without a header has.
@Suite struct NameEndingTests {
    @Test func endingsOfOneColumnNameADataset() throws {
        let rows = [
            ["1", "えがお保育園", "市川市1-1"], ["2", "ひかり保育園（分園）", "市川市1-2"], ["3", "みどりこども園", "市川市1-3"], ["4", "中央公民館", "市川市1-4"],
        ]
        let named = try #require(ValueSample(columns: 3, rows: rows).namedByEndings(["preschool": ["保育園", "こども園"], "medical_institution": ["病院"]]))
        #expect(named.dataset == "preschool" && named.column == 1 && named.cells == 3 && named.of == 4)
        // A mixed list of public buildings names no dataset (no ending in 75 % of the cells).
        let mixed = [["中央公民館"], ["市立図書館"], ["えがお保育園"], ["第一小学校"], ["市民体育館"]]
        #expect(ValueSample(columns: 1, rows: mixed).namedByEndings(["preschool": ["保育園"], "educational_institution": ["小学校"]]) == nil)
    }

    @Test func aHeaderlessHospitalListIsAMedicalInstitutionList() throws {
        // 千葉労働局's 労災指定医療機関 list (held-out #1, lines copied from it): no header row, no column name.
        let text = """
            千葉,1210017,国立大学法人 千葉大学千葉大学医学部附属病院,260-0856,千葉市中央区亥鼻１－８－１,全,●,,043-222-7171
            千葉,1210025,独立行政法人 国立病院機構千葉医療センター,260-0042,千葉市中央区椿森４－１－２,全,●,,043-251-5311
            千葉,1210033,独立行政法人 国立病院機構下総精神医療センター,266-0007,千葉市緑区辺田町５７８,内・心・精・神・外・リハ,,,043-291-1221
            千葉,1210076,ＪＦＥスチール㈱千葉健康管理室診療所,260-0835,千葉市中央区川崎町１,外・内 ,,,043-262-2024

            """
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(report.recognition.dataset == "medical_institution")
        #expect(report.recognition.reason.contains("values of 列3 end in"))
        #expect(records.count == 4 && report.findings.contains { $0.code == .headerNone })
    }

    @Test func aTieOfWeakFitsIsLeftGeneric() {
        // 日野市's 文化財 GeoJSON properties (held-out #8): name/type/desc/image/url fit six datasets equally, 34 %.
        let header = ["name", "type", "desc", "image", "url"]
        let values = ValueSample(
            columns: 5,
            rows: [
                ["絹本着色尊勝曼荼羅図", "重要美術品", "", "", "http://www.city.hino.lg.jp/a.html"],
                ["高幡山金剛寺文書", "東京都指定有形文化財", "", "", "http://www.city.hino.lg.jp/b.html"],
            ]
        )
        #expect(Recognizer().recognize(header: header, fileName: "data.geojson", values: values) == nil)
        #expect(Recognizer().closest(header: header, values: values).count == 3)
    }
}

/// Header cells with their reading or a note: read as the name, the original kept in the report.
@Suite struct HeaderReadingTests {
    @Test func readings() {
        #expect(HeaderKey.reading(of: "名称（めいしょう）") == "名称")
        #expect(HeaderKey.reading(of: "名称(メイショウ)") == "名称")
        #expect(HeaderKey.reading(of: "名称\nめいしょう") == "名称")
        #expect(HeaderKey.reading(of: "緯度\n(世界測地系)") == "緯度")
        #expect(HeaderKey.reading(of: "想定収容\r\n人数") == "想定収容人数")
        #expect(HeaderKey.reading(of: "名称") == nil)
        #expect(HeaderKey.reading(of: "建物名等(方書)") == nil)
        #expect(HeaderKey.reading(of: "連絡先備考（その他、SNSなど）") == nil)
    }

    @Test func imiTerms() {
        #expect(HeaderKey.variants(of: "名称_表記").contains(HeaderKey("名称")))
        #expect(HeaderKey.variants(of: "地理座標_緯度").contains(HeaderKey("緯度")))
        #expect(HeaderKey.variants(of: "連絡先_電話番号").contains(HeaderKey("電話番号")))
        #expect(!HeaderKey.variants(of: "データセット_URL").contains(HeaderKey("URL")))
    }

    @Test func aHeaderWithReadingsIsMappedAndReported() throws {
        let text = "名称（めいしょう）,\"緯度\n(世界測地系)\",\"経度\n(世界測地系)\",住所\n市役所,34.866918,138.323171,焼津市本町\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(report.columns.map(\.output) == [["名称"], ["緯度"], ["経度"], ["住所"]] || report.recognition.dataset != GenericSchema.id)
        let nameColumn = try #require(report.columns.first { $0.column == "名称（めいしょう）" })
        #expect(nameColumn.output == ["名称"] && nameColumn.how == .alias)
        let renamed = report.findings.filter { $0.code == .headerRenamed }
        #expect(renamed.contains { $0.column == "名称（めいしょう）" && $0.severity == .info })
        #expect(records.first?.latitude == 34.866918 && records.first?.longitude == 138.323171)
    }

    @Test func linkDataPropertyRowWithANote() throws {
        let text = "#LINK<-- ファイルタイプの指定,http://linkdata.org/upload\n#property<-- プロパティの名前,名称_表記,地理座標_緯度,地理座標_経度\n1,市役所,34.866918,138.323171\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "list.csv"))
        #expect(report.source.headerLine == 2 && records.count == 1)
        #expect(records.first?.latitude == 34.866918)
    }
}

/// A generic dataset types its columns by their values where the names say nothing.
@Suite struct GenericValueTypingTests {
    @Test func valuesTypeUnnamedColumns() throws {
        let text = "a,b,c,d,e\n222127,0003000,12,https://example.jp,35.681236\n222135,0003001,5,http://example.jp/x,35.689487\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "x.csv"))
        #expect(report.recognition.dataset == GenericSchema.id)
        let schema = GenericSchema.make(
            header: ["a", "b", "c", "d", "e"],
            reason: "",
            values: ValueSample(
                columns: 5,
                rows: [
                    ["222127", "0003000", "12", "https://example.jp", "35.681236"], ["222135", "0003001", "5", "http://example.jp/x", "35.689487"],
                ]
            )
        )
        #expect(schema.fields.map(\.kind) == [.municipalityCode, .text, .integer, .url, .number])
    }

    @Test func aBadCheckDigitAfterTheSampleIsReported() throws {
        // 50 valid codes type the column; the 51st has a wrong check digit: kept, and reported where it is.
        let text = "a,b\n" + String(repeating: "222127,x\n", count: ValueSample.maximumRows) + "222128,y\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "x.csv"))
        #expect(report.recognition.dataset == GenericSchema.id)
        #expect(records.last?.values.first == "222128")
        let errors = report.findings.filter { $0.severity == .error }
        #expect(errors.count == 1 && errors.first?.line == ValueSample.maximumRows + 2 && errors.first?.column == "a")
    }

    @Test func aMixedColumnStaysText() throws {
        let text = "a,b\n222127,x\n222135,y\n222128,z\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "x.csv"))
        #expect(records.map { $0.values[0] } == ["222127", "222135", "222128"])
        #expect(!report.findings.contains { $0.severity == .error })
    }
}

/// Columns without a usable name are mapped by their values when the kind means one field.
@Suite struct ValueMappedColumnTests {
    @Test func unnamedCoordinateColumnsAreLatitudeAndLongitude() throws {
        let text = "名称,所在地,電話番号,,\n市役所,焼津市本町2-16-32,054-626-1111,34.866918,138.323171\n図書館,焼津市三ケ名1550,054-629-6847,34.862500,138.298611\n"
        let (records, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "aed.csv"))
        #expect(report.recognition.dataset == "aed")
        #expect(report.columns.suffix(2).map(\.output) == [["緯度"], ["経度"]])
        #expect(report.findings.contains { $0.code == .headerRenamed && $0.column == "" && $0.message.contains("its values are all latitude") })
        #expect(records.map(\.latitude) == [34.866918, 34.8625] && records.map(\.longitude) == [138.323171, 138.298611])
    }

    @Test func aNamedColumnIsNeverTakenByValues() throws {
        // 緯度 is named later in the header: the unnamed column of latitudes stays an extra column.
        let text = "名称,,緯度,経度\n市役所,34.866918,34.866918,138.323171\n図書館,34.862500,34.862500,138.298611\n"
        let (_, report) = try DatasetReader.readAll(source: .bytes(Array(text.utf8), name: "aed.csv"))
        #expect(report.columns.map(\.how) == [.same, .extra, .same, .same])
    }

    @Test func civicsOwnNamesForNamelessColumnsSayNothingOfTheDataset() throws {
        // 岩国市's AED list has 54 nameless columns after its 22 named ones; Civic writes them as 列23…列76. Its own CSV
        // of that file is the AED list still, as the file was.
        let aed = try SchemaCatalog.bundled.schema(id: "aed").fields.map(\.name)
        let placeholders = (aed.count + 1...aed.count + 54).map { "列\($0)" }
        let recognition = try #require(Recognizer().recognize(header: aed + placeholders))
        #expect(recognition.dataset == "aed" && recognition.layout == .current)
        #expect(Recognizer.isPlaceholder("列23") && !Recognizer.isPlaceholder("列") && !Recognizer.isPlaceholder("列車"))
    }
}
