extension ColumnPlan {
    /// Builds a plan one header cell at a time; `ColumnPlan.init(header:schema:)` runs the steps.
    struct Builder {
        var plan: ColumnPlan
        let schema: Schema
        private let matcher: HeaderMatcher
        /// The input column that filled each field, and how.
        private var taken: [Int: (column: String, how: ColumnMapping.How)] = [:]
        /// The first position of each header name.
        private var seenHeaders: [HeaderKey: Int] = [:]
        /// Output column names in use: an extra column gets a name of its own.
        private var outputNames: Set<String>

        /// The kind of each input column's sampled values, and the fields some header cell names (never filled by values).
        private let valueKinds: [FieldKind?]
        private let namedFields: Set<Int>

        init(schema: Schema, header: [String] = [], values: ValueSample = .empty) {
            plan = ColumnPlan(schema: schema)
            self.schema = schema
            let matcher = HeaderMatcher(schema: schema, header: header)
            self.matcher = matcher
            outputNames = Set(plan.outputColumns)
            valueKinds = values.kinds
            namedFields = Set(header.compactMap { matcher.match(header: $0, key: HeaderKey($0))?.field })
        }

        /// Kinds whose values say which field a column is, when the schema has one field of the kind.
        static let kindsThatName: Set<FieldKind> = [.latitude, .longitude, .municipalityCode, .corporateNumber]

        /// The field a column without a known name is, by its values: the schema's only field of their kind, when no
        /// header cell names it and no column fills it yet.
        private func fieldByValues(at position: Int) -> Int? {
            guard position < valueKinds.count, let kind = valueKinds[position], Builder.kindsThatName.contains(kind) else { return nil }
            let candidates = fields.indices.filter { fields[$0].kind == kind }
            guard candidates.count == 1, let field = candidates.first, !namedFields.contains(field), taken[field] == nil else { return nil }
            return field
        }

        var fields: [Field] { schema.fields }

        /// Plans the input column at `position`, named `rawName` in the header.
        mutating func add(_ rawName: String, at position: Int) {
            let key = HeaderKey(rawName)
            let name = outputName(of: rawName, key: key, at: position)
            if let first = seenHeaders[key], !key.value.isEmpty {
                addRepeatedHeader(rawName, name: name, at: position, first: first)
                return
            }
            seenHeaders[key] = position
            if let (field, how) = matcher.match(header: rawName, key: key) {
                addField(field, how: how, column: rawName, name: name, at: position)
            } else if !ColumnPlan.packedCoordinateNames.contains(key), !isPlaneCoordinate(key), let field = fieldByValues(at: position) {
                addField(field, how: .alias, column: rawName, name: name, at: position, byValues: true)
            } else if !addPackedCoordinates(rawName, key: key, at: position) {
                notePlaneCoordinate(key, at: position)
                addExtra(named: name, column: rawName, at: position)
                plan.findings.append(
                    Finding(.headerExtraColumn, .info, column: rawName, message: "not a column of \(schema.title); kept after the standard columns")
                )
            }
        }

        /// The header, or `列N` (reported) for a column without a name.
        private mutating func outputName(of rawName: String, key: HeaderKey, at position: Int) -> String {
            guard key.value.isEmpty else { return rawName }
            let name = "列\(position + 1)"
            plan.findings.append(Finding(.headerEmpty, .warning, column: name, message: "column \(position + 1) has no name; kept as \(name)"))
            return name
        }

        private func isPlaneCoordinate(_ key: HeaderKey) -> Bool {
            ColumnPlan.planeXNames.contains(key) || ColumnPlan.planeYNames.contains(key) || ColumnPlan.zoneNames.contains(key)
                || ColumnPlan.datumNames.contains(key)
        }

        /// A name already in the header: kept as an extra column `name (N)`.
        private mutating func addRepeatedHeader(_ rawName: String, name: String, at position: Int, first: Int) {
            plan.findings.append(
                Finding(
                    .headerDuplicate,
                    .warning,
                    column: rawName,
                    message: "column \(position + 1) repeats the name of column \(first + 1); kept as an extra column"
                )
            )
            addExtra(named: "\(name) (\(position + 1))", column: rawName, at: position)
        }

        /// A column that means `field`: fills it, is joined to it (a further legacy column), or is kept as an extra
        /// column when the field is already filled.
        private mutating func addField(
            _ field: Int,
            how: ColumnMapping.How,
            column rawName: String,
            name: String,
            at position: Int,
            byValues: Bool = false
        ) {
            let fieldName = fields[field].name
            if let earlier = taken[field] {
                if earlier.how == .legacyName && how == .legacyName {
                    join(rawName, to: field, after: earlier.column, at: position)
                    return
                }
                plan.findings.append(
                    Finding(
                        .headerDuplicate,
                        .warning,
                        column: rawName,
                        field: fieldName,
                        message: "\(fieldName) is already filled from \(earlier.column); kept as an extra column"
                    )
                )
                addExtra(named: name, column: rawName, at: position)
                return
            }
            taken[field] = (rawName, how)
            plan.presentFields.insert(field)
            plan.targets.append(.field(output: field, field: field))
            plan.mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [fieldName], how: how))
            if byValues {
                plan.findings.append(
                    Finding(
                        .headerRenamed,
                        .info,
                        column: rawName,
                        field: fieldName,
                        message:
                            "column \(name) is not a name \(schema.title) knows, but its values are all \(fields[field].kind.rawValue): written as \(fieldName)"
                    )
                )
            } else if how != .same {
                plan.findings.append(
                    Finding(
                        .headerRenamed,
                        .info,
                        column: rawName,
                        field: fieldName,
                        message: "\(how == .legacyName ? "legacy column" : "column") \(rawName) written as \(fieldName)"
                    )
                )
            }
        }

        /// Several legacy columns feed one field (都道府県名 + 市区町村名 → 地方公共団体名): values are appended.
        private mutating func join(_ rawName: String, to field: Int, after earlier: String, at position: Int) {
            let fieldName = fields[field].name
            plan.targets.append(.join(output: field, field: field))
            plan.mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [fieldName], how: .joined))
            if let first = plan.mappings.firstIndex(where: { $0.column == earlier }) { plan.mappings[first].how = .joined }
            plan.findings.append(
                Finding(.columnJoined, .info, column: rawName, field: fieldName, message: "joined after \(earlier) into \(fieldName)")
            )
        }

        /// Keeps the input column at `position` as an extra output column named `name` (made unique).
        mutating func addExtra(named name: String, column rawName: String, at position: Int) {
            let output = appendExtraColumn(named: name)
            plan.targets.append(.extra(output: output))
            plan.mappings.append(ColumnMapping(index: position + 1, column: rawName, output: [plan.outputColumns[output]], how: .extra))
        }

        /// Appends an output column named `name`, or `name (2)`, `name (3)`… when taken; returns its index.
        mutating func appendExtraColumn(named name: String) -> Int {
            var unique = name
            var suffix = 2
            while outputNames.contains(unique) {
                unique = "\(name) (\(suffix))"
                suffix += 1
            }
            outputNames.insert(unique)
            plan.outputColumns.append(unique)
            return plan.outputColumns.count - 1
        }

        /// A required (◎ 必須) field without a column: an error, or a warning where the requirement is inferred.
        mutating func reportMissingRequired() {
            for (index, field) in fields.enumerated() where field.isRequired && !plan.presentFields.contains(index) {
                plan.findings.append(
                    Finding(
                        .headerMissingRequired,
                        field.requiredSeverity,
                        field: field.name,
                        message: "the required (◎ 必須\(field.requiredSeverity == .warning ? ", inferred" : "")) column \(field.name) is missing"
                    )
                )
            }
        }

        /// A field whose `civic.kind` Civic does not know: said once per file; the field is checked as text.
        mutating func reportUnknownKinds() {
            for (index, field) in fields.enumerated() {
                guard let kind = field.unknownKind else { continue }
                plan.findings.append(
                    Finding(
                        .schemaUnknownKind,
                        .warning,
                        column: taken[index]?.column,
                        field: field.name,
                        message: "the schema gives \(field.name) the kind '\(kind)', which Civic does not know; checked as text"
                    )
                )
            }
        }
    }
}
