import CivicData
import Testing

/// The rules hand back the caller's own String (no copy) when there is nothing to change.
@Suite struct UnchangedValueTests {
    /// True when both strings use the same UTF-8 storage (inputs are longer than 15 bytes, so not small strings).
    private func sharesStorage(_ a: String, _ b: String) -> Bool {
        let left = a.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        let right = b.utf8.withContiguousStorageIfAvailable { UInt(bitPattern: $0.baseAddress) }
        return left != nil && left == right
    }

    @Test func textRules() {
        let japanese = "千葉県市川市八幡1丁目1-1 コーヒー"
        let ascii = "https://www.city.ichikawa.lg.jp/pub01/1211000002.html"
        #expect(sharesStorage(Width.narrowed(japanese), japanese))
        #expect(sharesStorage(Width.narrowed(ascii), ascii))
        #expect(sharesStorage(Whitespace.trimmed(japanese), japanese))
        #expect(sharesStorage(Kana.fullWidthKatakana(fromHalfWidth: japanese), japanese))
        let katakana = "イチカワカンコウブッサンインフォメーション"
        #expect(sharesStorage(Kana.katakana(fromHiragana: katakana), katakana))
        #expect(sharesStorage(Kana.fullWidthKatakana(fromHalfWidth: katakana), katakana))
    }

    @Test func valueRules() {
        let number = "34.34861647765662"
        #expect(sharesStorage(NumberValue.normalizedDecimal(number)!, number))
        let serialLike = "1234567890123456"
        #expect(NumberValue.normalizedDecimal(serialLike).map { sharesStorage($0, serialLike) } == true)
    }
}
