import CivicData

/// 全国地方公共団体コード from a municipality's name, as catalogues write it (a CKAN organisation's title, a DCAT
/// publisher's name): 焼津市, 静岡県焼津市, 静岡県 焼津市. From the table of `MunicipalityExtent` (気象庁's areas,
/// 1,758 municipalities) and the 47 prefectures.
public enum MunicipalityNames {
    /// The 6-digit code (check digit included) of the municipality `name` names; nil when no municipality or more
    /// than one has that name (伊達市 is in 北海道 and in 福島県: written with its prefecture it is one), or when
    /// `name` is a prefecture's.
    public static func code(named name: String) -> String? {
        let text = name.filter { !$0.isWhitespace && $0 != "　" }
        guard !text.isEmpty else { return nil }
        var prefecture: String?
        var rest = Substring(text)
        for extent in PrefectureExtent.all.values where text.hasPrefix(extent.name) && text.count > extent.name.count {
            prefecture = extent.code
            rest = text.dropFirst(extent.name.count)
        }
        let matches = (byName[String(rest)] ?? []).filter { code in prefecture.map { code.hasPrefix($0) } ?? true }
        guard matches.count == 1, let five = matches.first else { return nil }
        return MunicipalityCode.completing(five)
    }

    /// The name of the municipality a code names (a ward's code gives its city), nil when unknown.
    public static func name(of code: String) -> String? {
        MunicipalityExtent.of(code: code)?.name
    }

    private static let byName: [String: [String]] = {
        var names: [String: [String]] = [:]
        for extent in MunicipalityExtent.all.values { names[extent.name, default: []].append(extent.code) }
        return names
    }()
}
