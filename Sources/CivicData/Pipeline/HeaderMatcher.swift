/// Finds the standard field a header cell names, and how: the current name, a legacy name (through its
/// `currentName`), or an alias, all compared as `HeaderKey`s.
struct HeaderMatcher: Sendable {
    private let byName: [HeaderKey: Int]
    /// Legacy names → the current field they map to (nil when `currentName` is null or names no field).
    private let byLegacyName: [HeaderKey: Int?]
    private let byAlias: [HeaderKey: Int]
    /// The prefix the header's cells share (`HeaderKey.sharedPrefix(of:)`), looked past when a cell is not known whole.
    private let sharedPrefix: String?

    init(schema: Schema, header: [String] = []) {
        sharedPrefix = HeaderKey.sharedPrefix(of: header)
        let fields = schema.fields
        var byName: [HeaderKey: Int] = [:]
        for (index, field) in fields.enumerated() { byName[HeaderKey(field.name)] = index }
        var byLegacyName: [HeaderKey: Int?] = [:]
        for field in schema.legacyFields {
            let current = field.civic?.currentName.flatMap { current in fields.firstIndex { $0.name == current } }
            byLegacyName.updateValue(current, forKey: HeaderKey(field.name))  // kept when nil
        }
        var byAlias: [HeaderKey: Int] = [:]
        for (index, field) in fields.enumerated() {
            for alias in field.aliases where byAlias[HeaderKey(alias)] == nil { byAlias[HeaderKey(alias)] = index }
        }
        self.byName = byName
        self.byLegacyName = byLegacyName
        self.byAlias = byAlias
    }

    /// The field a header cell means: by its whole name, else by one of its readings (a bilingual cell's parts, a
    /// vocabulary term's local name) — reported as an alias.
    func match(header: String, key: HeaderKey) -> (field: Int, how: ColumnMapping.How)? {
        if let found = match(key) { return found }
        for variant in HeaderKey.variants(of: header, sharedPrefix: sharedPrefix) {
            if let (field, how) = match(variant) { return (field, how == .same ? .alias : how) }
        }
        return nil
    }

    /// The field (index in the schema's fields) a header means, or nil. A legacy name that maps to no current field
    /// matches nothing: it is not tried as an alias.
    func match(_ key: HeaderKey) -> (field: Int, how: ColumnMapping.How)? {
        if let index = byName[key] { return (index, .same) }
        if let legacy = byLegacyName[key] { return legacy.map { ($0, .legacyName) } }
        if let index = byAlias[key] { return (index, .alias) }
        return nil
    }
}
