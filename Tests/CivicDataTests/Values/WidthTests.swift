import CivicData
import Testing

@Suite struct WidthTests {
    @Test(arguments: [
        ("和泉本町１丁目１番5号", "和泉本町1丁目1番5号"),  // 狛江市 address, mixed widths
        ("本庁舎２階総合案内前", "本庁舎2階総合案内前"),
        ("２階", "2階"),
        ("ＡＢＣ１２３ａｂｃ", "ABC123abc"),
        ("（０５４）６２６－１１３９", "(054)626-1139"),
        ("＠＿＃＋，．：／", "@_#+,.:/"),
        ("社会福祉法人\u{3000}市川朝日会", "社会福祉法人 市川朝日会"),
        ("築山町5ｰ11", "築山町5-11"),  // 松山市 address, half-width prolonged sound mark between digits
        ("５ー１１", "5-11"),
        ("2‐3", "2-3"), ("2‑3", "2-3"), ("2‒3", "2-3"), ("2–3", "2-3"), ("2—3", "2-3"), ("2―3", "2-3"), ("2−3", "2-3"),
        ("‐", "-"),
        ("１２/２９～１/３", "12/29～1/3"),  // ～ is not in the set
        ("ＪＲ本八幡駅", "JR本八幡駅"),
        // Unchanged.
        ("コーヒー", "コーヒー"), ("1ー", "1ー"), ("ー1", "ー1"), ("ｰ", "ｰ"), ("1ｰa", "1ｰa"),
        ("！？＄％", "！？＄％"), ("～", "～"), ("漢字", "漢字"), ("plain ascii", "plain ascii"), ("", ""),
        ("ｺﾏｴ", "ｺﾏｴ"),
    ])
    func narrowed(_ input: String, _ expected: String) {
        #expect(Width.narrowed(input) == expected)
    }

    @Test(arguments: [
        ("2−3", "2−3"), ("2‐3", "2‐3"), ("５ー１１", "5ー11"), ("5ｰ11", "5ｰ11"),
        ("０５４－６２６", "054-626"),  // － is a full-width ASCII variant, always narrowed
        ("\u{3000}２", " 2"),
    ])
    func narrowedWithoutDashes(_ input: String, _ expected: String) {
        #expect(Width.narrowed(input, dashes: false) == expected)
    }

    @Test(arguments: [
        ("２階", true), ("ＡＢＣ", true), ("－", true), ("～", true), ("和泉本町１丁目", true), ("！", true),
        ("2階", false), ("\u{3000}", false), ("ｺﾏｴ", false), ("ー", false), ("", false), ("abc", false),
    ])
    func containsWideASCII(_ input: String, _ expected: Bool) {
        #expect(Width.containsWideASCII(input) == expected)
    }
}
