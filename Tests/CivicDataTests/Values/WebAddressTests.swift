import CivicData
import Testing

@Suite struct WebAddressTests {
    @Test(arguments: [
        "https://www.city.komae.tokyo.jp/index.cfm/42,73691,328,2043,html",  // 狛江市
        "http://www.city.ichikawa.lg.jp/pub01/1211000002.html",  // 市川市
        "http://cms1.chiba-c.ed.jp/kokubun-h/",
        "https://ichikawa-school.ed.jp/ichikawa-sho",
        "https://opendata.smartcity-takamatsu.jp/ckan/dataset/aed_location",  // 高松市
        "http://creativecommons.org/licenses/by/3.0/deed.ja",
        "https://example.jp", "HTTPS://EXAMPLE.JP/", "https://example.jp:8080/a?b=c#d", "https://example.jp?q=1",
        "https://example.jp#top", "https://日本語.jp/パス", "http://[::1]:8080/", "https://user@example.jp/",
        "http://192.168.0.1/",
    ])
    func validURLs(_ input: String) {
        #expect(WebAddress.isValidURL(input))
    }

    @Test(arguments: [
        "ATTACH/f93ec216-5e9b-4be6-a063-7d37bd4bbebc.jpg",  // 市川市 画像, relative path
        "ATTACH\\a7a2e74a-ee87-4094-829f-bd1c18f57cb6.jpg",  // 市川市 画像2, Windows path
        "www.city.ichikawa.lg.jp", "ftp://example.jp", "https://", "https:///path", "https://exa mple.jp",
        "https://example.jp/a b", "https://example.jp/\u{3000}", " https://example.jp", "https://example.jp ",
        "https://example.jp:port", "https://example.jp:123456", "https://.example.jp", "https://-example.jp",
        "https://example..jp", "http:/example.jp", "http//example.jp", "mailto:a@example.jp", "httpx://example.jp",
        "ｈｔｔｐｓ://example.jp", "https://example.jp/\"x\"", "https://example.jp/<x>", "https://[]/", "", "string",
    ])
    func invalidURLs(_ input: String) {
        #expect(!WebAddress.isValidURL(input))
    }

    @Test(arguments: [
        "info@city.yaizu.lg.jp", "a.b+c@example.co.jp", "o'brien@example.com", "x_y@sub-domain.example.jp",
        "a..b@example.jp",  // older Japanese mobile addresses
        "A@EXAMPLE.JP",
    ])
    func validEmails(_ input: String) {
        #expect(WebAddress.isValidEmail(input))
    }

    @Test(arguments: [
        "info@city", "info@", "@example.jp", "a@@example.jp", "a@b@example.jp", ".a@example.jp", "a.@example.jp",
        "a@-example.jp", "a@example-.jp", "a@example..jp", "a@.example.jp", "a@example.jp.", "a@example.j", "a@example.123",
        "あ@example.jp", "a@例え.jp", "a b@example.jp", "info@city.yaizu.lg.jp ", "info＠city.yaizu.lg.jp", "", "string",
        "a@exam_ple.jp",
    ])
    func invalidEmails(_ input: String) {
        #expect(!WebAddress.isValidEmail(input))
    }
}
