import Foundation

extension StringProtocol {
    /// The text with its `%XX` escapes decoded, or as it is when they do not decode (not UTF-8); text without a `%`
    /// is returned without calling Foundation (this runs for every query parameter of every request).
    var percentDecoded: String {
        guard utf8.contains(0x25) else { return String(self) }
        return String(self).removingPercentEncoding ?? String(self)
    }
}
