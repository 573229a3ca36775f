import CivicData
import Testing

@Suite struct KanaTests {
    @Test(arguments: [
        // Real 名称_カナ cells (狛江市, 市川市, 松山市).
        ("ｺﾏｴｼﾔｸｼｮ", "コマエシヤクショ"),
        ("ｲﾁｶﾜｶﾝｺｳ･ﾌﾞｯｻﾝｲﾝﾌｫﾒｰｼｮﾝ", "イチカワカンコウ・ブッサンインフォメーション"),
        ("ｹﾝﾘﾂｺｸﾌﾞﾝｺｳｺｳ", "ケンリツコクブンコウコウ"),
        ("ｵｵﾏﾁｼｮｳｶﾞｯｺｳ", "オオマチショウガッコウ"),
        ("ｱﾝﾃﾞﾙｾﾝﾖｳﾁｴﾝ", "アンデルセンヨウチエン"),
        ("ﾐﾅﾐｷﾞｮｳﾄｸｺｳﾐﾝｶﾝ・ｱｲﾉｶﾜｺﾄﾞﾓｶﾝ", "ミナミギョウトクコウミンカン・アイノカワコドモカン"),
        ("ﾏﾂﾔﾏｼﾁｲｷﾎｳｶﾂｼｴﾝｾﾝﾀｰﾋｶﾞｼ･ﾀｸﾅﾝ", "マツヤマシチイキホウカツシエンセンターヒガシ・タクナン"),
        ("ｼｬｶｲﾌｸｼﾎｳｼﾞﾝｵﾝｼｻﾞｲﾀﾞﾝｻｲｾｲｶｲﾏﾂﾔﾏﾋﾞｮｳｲﾝ", "シャカイフクシホウジンオンシザイダンサイセイカイマツヤマビョウイン"),
        ("1階ﾛﾋﾞ-", "1階ロビ-"),
        ("築山町5ｰ11", "築山町5ー11"),
        // Voiced and semi-voiced.
        ("ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "ガギグゲゴザジズゼゾダヂヅデドバビブベボ"),
        ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ("ｳﾞｧｲｵﾘﾝ", "ヴァイオリン"),
        ("ﾜﾞｦﾞ", "ヷヺ"),
        ("ﾎﾟﾌﾟﾗ", "ポプラ"),
        // Small kana, marks, punctuation.
        ("ｧｨｩｪｫｬｭｮｯ", "ァィゥェォャュョッ"),
        ("ｰ･｡｢｣､", "ー・。「」、"),
        ("ｦﾝ", "ヲン"),
        // Marks that cannot combine stay as spacing ゛゜.
        ("ｱﾞ", "ア゛"),
        ("ｶﾟ", "カ゜"),
        ("ﾞ", "゛"),
        ("ﾟﾟ", "゜゜"),
        ("ｶﾞﾞ", "ガ゛"),
        ("カﾞ", "カ゛"),  // an already full-width letter is left alone
        ("Aﾞ", "A゛"),
        // Nothing to do.
        ("コマエシヤクショ", "コマエシヤクショ"),
        ("ABC 123", "ABC 123"),
        ("狛江市役所", "狛江市役所"),
        ("", ""),
    ])
    func fullWidthKatakana(_ input: String, _ expected: String) {
        #expect(Kana.fullWidthKatakana(fromHalfWidth: input) == expected)
    }

    @Test func fullWidthKatakanaCoversTheWholeBlock() {
        let half = (0xFF61...0xFF9D).map { String(Unicode.Scalar($0)!) }.joined()
        let full = Kana.fullWidthKatakana(fromHalfWidth: half)
        #expect(!Kana.containsHalfWidthKatakana(full))
        #expect(full.unicodeScalars.count == half.unicodeScalars.count)
    }

    @Test(arguments: [
        ("あいじましゅうかいしょ", "アイジマシュウカイショ"),  // 松山市 名称かな
        ("あおしおりょう", "アオシオリョウ"),
        ("あゆーらきっずるーむあむぱむ", "アユーラキッズルームアムパム"),
        ("ぁぃぅぇぉっゃゅょゎ", "ァィゥェォッャュョヮ"),
        ("ゔゕゖ", "ヴヵヶ"),
        ("ゝゞ", "ヽヾ"),
        ("ひらがなとカタカナ と漢字", "ヒラガナトカタカナ ト漢字"),
        ("安居島集会所", "安居島集会所"),
        ("カタカナ", "カタカナ"),
        ("゛゜ー", "゛゜ー"),
        ("abc", "abc"),
        ("", ""),
    ])
    func katakanaFromHiragana(_ input: String, _ expected: String) {
        #expect(Kana.katakana(fromHiragana: input) == expected)
    }

    @Test(arguments: [
        ("ｺﾏｴｼﾔｸｼｮ", true), ("1階ﾛﾋﾞ-", true), ("築山町5ｰ11", true), ("｡", true), ("ﾞ", true), ("ア･イ", true),
        ("コマエシヤクショ", false), ("ダイ１チョウシャ", false), ("abc", false), ("", false), ("・ー", false),
    ])
    func containsHalfWidthKatakana(_ input: String, _ expected: Bool) {
        #expect(Kana.containsHalfWidthKatakana(input) == expected)
    }

    @Test(arguments: [
        ("あいじましゅうかいしょ", true), ("カタカナとひらがな", true), ("ゝ", true), ("ゖ", true),
        ("アイジマ", false), ("ー", false), ("゛", false), ("漢字", false), ("abc", false), ("", false),
    ])
    func containsHiragana(_ input: String, _ expected: Bool) {
        #expect(Kana.containsHiragana(input) == expected)
    }

    @Test(arguments: [
        "ダイ１チョウシャ",  // 市川市 wireless LAN, full-width digit
        "イチカワショウガッコウ",
        "カナデビアセトノミヤコトイレ\u{3000}タカマツシタカマツエキマエヒロバコウシュウベンジョ",  // 高松市, U+3000
        "ミナミギョウトクコウミンカン・アイノカワコドモカン",
        "ヤイヅシリツオオトミヨウチエン",
        "JRイチカワエキ", "ＪＲイチカワエキ", "ヴァイオリン", "ヵヶ", "ヷヸヹヺ", "サヽキ",
        "（カブ）ヤイヅ", "(カブ)ヤイヅ", "アイ ウ", "123", "",
    ])
    func acceptedReadings(_ input: String) {
        #expect(Kana.firstNonKatakana(in: input) == nil)
    }

    @Test(
        arguments: [
            ("ｺﾏｴｼﾔｸｼｮ", "ｺ"),
            ("ミナミｷﾞｮｳ", "ｷﾞ"),  // the grapheme, mark included
            ("あいじましゅうかいしょ", "あ"),
            ("イチカワ市", "市"),
            ("ア-イ", "-"),
            ("アイ。", "。"),
            ("アイ\u{FF65}ウ", "･"),
            ("アイ、ウ", "、"),
            ("ア\u{3099}", "ア\u{3099}"),  // combining dakuten (NFD) is not accepted
            ("エドガワ川", "川"),
            ("タワー\t", "\t"),
        ] as [(String, Character)]
    )
    func offendingCharacter(_ input: String, _ expected: Character) {
        #expect(Kana.firstNonKatakana(in: input) == expected)
    }
}
