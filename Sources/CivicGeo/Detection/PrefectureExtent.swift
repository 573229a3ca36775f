// The extent of each prefecture, from the Geospatial Information Authority of Japan (国土地理院, GSI):
//
//   「都道府県の庁舎及び東西南北端点の経緯度（世界測地系）」, the per-prefecture table linked from
//   「日本の東西南北端点の経度緯度」 https://www.gsi.go.jp/KOKUJYOHO/center.htm
//   (the table itself: https://www.gsi.go.jp/KOKUJYOHO/CENTER/kendata/zenken.pdf).
//
// Edition: no older than GSI's update of 令和元年（2019年）6月1日, which moved the country's western extreme to
// トゥイシ off 与那国島 (122°55′57″E 24°27′05″N; before, 西崎 at 122°56′01″E); 沖縄県's west below is トゥイシ.
// GSI's own page and PDF could not be read from here, so the figures were transcribed from a public copy of the
// table: teratku/touring_spot_share_web, admin/genPrefectureRallies.js (commit
// 4f2a84dbaa2087e2cda9975daec1e955d82bd5c3), which names GSI's 「日本の東西南北端点の経度緯度」 (via uub.jp) as its
// source. Checks made against it:
//   - the four national extremes GSI lists on center.htm are, to the second, four of the values below:
//     北端 択捉島 45°33′26″N (北海道's north), 東端 南鳥島 153°59′12″E (東京都's east),
//     南端 沖ノ鳥島 20°25′31″N (東京都's south), 西端 与那国島 122°55′57″E (沖縄県's west);
//   - 北海道's eight figures (its four extreme points) equal the 北海道 row of GSI's PDF as quoted in another
//     public script that parses it;
//   - an older public copy of the table in decimal degrees (mski-iksm/population_mesh_jp, prefec_edges.csv)
//     agrees within 3″ for 34 prefectures; for the other 13 the box below is larger by 4″ to 69″ (長崎県's south),
//     never smaller, as a later edition would be; 沖縄県's 4″ is the 2019 change above.
//
// The boxes are GSI's extreme points, so they include remote islands, rocks and every territory GSI counts.
// 東京都's is enormous: the 小笠原 islands put its eastern extreme on 南鳥島 and its southern (and western) one on
// 沖ノ鳥島, so it spans 20.4°N–35.9°N and 136.1°E–154.0°E. It wholly contains the boxes of 神奈川県, 静岡県 and
// 愛知県, overlaps ten more, and takes in, for instance, 市川市役所 in 千葉県. A point inside 東京都's box tells
// little; a point outside a prefecture's box is a strong sign of swapped X/Y, a wrong plane rectangular zone or
// the wrong datum (a Tokyo-datum point is only a few hundred metres off, so that alone rarely leaves the box).
//
// Degrees: GSI gives 世界測地系 (JGD2011 since 2011) to whole seconds (about 30 m); each value below is converted
// exactly as (d × 3600 + m × 60 + s) / 3600, rounded once to the nearest Double.

/// The extent of each prefecture (北端・南端・東端・西端 from 国土地理院), for checking where points land.
struct PrefectureExtent: Sendable, Equatable {
    var code: String  // "01"…"47" (JIS X 0401)
    var name: String  // 北海道, 青森県, …
    var south: Double, west: Double, north: Double, east: Double  // degrees (JGD2011)

    /// True when the point is inside the box enlarged by `margin` degrees.
    func contains(longitude: Double, latitude: Double, margin: Double = 0.02) -> Bool {
        (south - margin...north + margin).contains(latitude) && (west - margin...east + margin).contains(longitude)
    }

    /// Every prefecture by code.
    static let all: [String: PrefectureExtent] = Dictionary(
        uniqueKeysWithValues: table.map { row in
            (
                row.code,
                PrefectureExtent(
                    code: row.code,
                    name: row.name,
                    south: degrees(row.south),
                    west: degrees(row.west),
                    north: degrees(row.north),
                    east: degrees(row.east)
                )
            )
        }
    )

    /// Degrees, minutes and whole seconds, as GSI prints them.
    private typealias DMS = (degrees: Int, minutes: Int, seconds: Int)

    private static func degrees(_ value: DMS) -> Double {
        Double(value.degrees * 3600 + value.minutes * 60 + value.seconds) / 3600
    }

    /// GSI's table: the latitude of the southern and northern extremes and the longitude of the western and eastern
    /// ones (°, ′, ″), in JIS X 0401 order.
    private static let table: [(code: String, name: String, south: DMS, west: DMS, north: DMS, east: DMS)] = [
        // code, name, south (N), west (E), north (N), east (E)
        ("01", "北海道", (41, 21, 6), (139, 20, 2), (45, 33, 26), (148, 53, 35)),
        ("02", "青森県", (40, 13, 4), (139, 29, 49), (41, 33, 22), (141, 41, 0)),
        ("03", "岩手県", (38, 44, 52), (140, 39, 11), (40, 27, 2), (142, 4, 21)),
        ("04", "宮城県", (37, 46, 24), (140, 16, 30), (39, 0, 10), (141, 40, 38)),
        ("05", "秋田県", (38, 52, 23), (139, 41, 30), (40, 30, 40), (140, 59, 43)),
        ("06", "山形県", (37, 44, 2), (139, 31, 12), (39, 12, 56), (140, 38, 48)),
        ("07", "福島県", (36, 47, 29), (139, 9, 53), (37, 58, 36), (141, 2, 37)),
        ("08", "茨城県", (35, 44, 21), (139, 41, 15), (36, 56, 43), (140, 51, 6)),
        ("09", "栃木県", (36, 11, 59), (139, 19, 35), (37, 9, 18), (140, 17, 33)),
        ("10", "群馬県", (35, 59, 6), (138, 23, 49), (37, 3, 31), (139, 40, 11)),
        ("11", "埼玉県", (35, 45, 13), (138, 42, 41), (36, 17, 0), (139, 54, 1)),
        ("12", "千葉県", (34, 53, 53), (139, 44, 21), (36, 6, 14), (140, 52, 54)),
        ("13", "東京都", (20, 25, 31), (136, 4, 11), (35, 53, 54), (153, 59, 12)),  // east: 南鳥島; south and west: 沖ノ鳥島
        ("14", "神奈川県", (35, 7, 43), (138, 54, 57), (35, 40, 22), (139, 47, 46)),
        ("15", "新潟県", (36, 44, 11), (137, 38, 6), (38, 33, 12), (139, 54, 0)),
        ("16", "富山県", (36, 16, 28), (136, 46, 6), (36, 58, 57), (137, 45, 48)),
        ("17", "石川県", (36, 4, 1), (136, 14, 35), (37, 51, 28), (137, 21, 55)),
        ("18", "福井県", (35, 20, 36), (135, 26, 58), (36, 17, 48), (136, 49, 56)),
        ("19", "山梨県", (35, 10, 6), (138, 10, 49), (35, 58, 18), (139, 8, 4)),
        ("20", "長野県", (35, 11, 55), (137, 19, 29), (37, 1, 49), (138, 44, 22)),
        ("21", "岐阜県", (35, 8, 2), (136, 16, 35), (36, 27, 54), (137, 39, 11)),
        ("22", "静岡県", (34, 34, 25), (137, 28, 27), (35, 38, 45), (139, 10, 36)),
        ("23", "愛知県", (34, 34, 25), (136, 40, 15), (35, 25, 30), (137, 50, 17)),
        ("24", "三重県", (33, 43, 22), (135, 51, 12), (35, 15, 28), (136, 59, 24)),
        ("25", "滋賀県", (34, 47, 27), (135, 45, 50), (35, 42, 13), (136, 27, 19)),
        ("26", "京都府", (34, 42, 21), (134, 51, 13), (35, 46, 45), (136, 3, 20)),
        ("27", "大阪府", (34, 16, 19), (135, 5, 31), (35, 3, 5), (135, 44, 48)),
        ("28", "兵庫県", (34, 9, 19), (134, 15, 9), (35, 40, 29), (135, 28, 7)),
        ("29", "奈良県", (33, 51, 32), (135, 32, 23), (34, 46, 53), (136, 13, 48)),
        ("30", "和歌山県", (33, 25, 57), (134, 59, 55), (34, 23, 4), (136, 0, 48)),
        ("31", "鳥取県", (35, 3, 27), (133, 8, 9), (35, 36, 52), (134, 30, 55)),
        ("32", "島根県", (34, 18, 9), (131, 40, 4), (37, 14, 52), (133, 23, 26)),
        ("33", "岡山県", (34, 17, 54), (133, 16, 0), (35, 21, 10), (134, 24, 47)),
        ("34", "広島県", (34, 1, 40), (132, 2, 11), (35, 6, 20), (133, 28, 15)),
        ("35", "山口県", (33, 42, 46), (130, 46, 29), (34, 47, 58), (132, 29, 31)),
        ("36", "徳島県", (33, 32, 19), (133, 39, 39), (34, 15, 7), (134, 49, 20)),
        ("37", "香川県", (34, 0, 44), (133, 26, 48), (34, 33, 53), (134, 26, 51)),
        ("38", "愛媛県", (32, 53, 5), (132, 0, 44), (34, 18, 6), (133, 41, 35)),
        ("39", "高知県", (32, 42, 9), (132, 28, 47), (33, 53, 0), (134, 18, 53)),
        ("40", "福岡県", (33, 0, 2), (129, 58, 54), (34, 15, 0), (131, 11, 25)),
        ("41", "佐賀県", (32, 57, 2), (129, 44, 13), (33, 37, 9), (130, 32, 33)),
        ("42", "長崎県", (31, 58, 2), (128, 6, 16), (34, 43, 43), (130, 23, 25)),
        ("43", "熊本県", (32, 5, 41), (129, 56, 20), (33, 11, 43), (131, 19, 46)),
        ("44", "大分県", (32, 42, 52), (130, 49, 29), (33, 44, 26), (132, 10, 38)),
        ("45", "宮崎県", (31, 21, 23), (130, 42, 12), (32, 50, 20), (131, 53, 9)),
        ("46", "鹿児島県", (27, 1, 7), (128, 23, 43), (32, 18, 38), (131, 12, 20)),
        ("47", "沖縄県", (24, 2, 44), (122, 55, 57), (27, 53, 9), (131, 19, 56)),  // west: 与那国島 (トゥイシ)
    ]
}
