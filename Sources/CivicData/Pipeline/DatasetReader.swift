import Foundation

/// Reads a municipal file as a standard dataset: decodes it, finds the header (after any `#` metadata rows),
/// recognises the dataset and layout, and hands out normalised records in the current layout, sending every
/// finding to a `ReportBuilder`. This is the pipeline's first stage; `Ingest` (CivicIngest) runs the whole
/// pipeline — opening workbooks, georeferencing, writing — and is what most callers want.
///
/// Streams: memory is bounded by the chunk size and the longest record, whatever the file size (the ID
/// uniqueness checks keep one hash per value). Not Sendable: it owns its input.
///
/// ```swift
/// let reader = try DatasetReader(source: .file(url))
/// let report = ReportBuilder(sink: FindingCollector())
/// while let record = try reader.next(reportingTo: report) { … }
/// let summary = report.makeReport().summary
/// ```
public final class DatasetReader {
    public var schema: Schema { layout.schema }
    public var recognition: Recognition { layout.recognition }
    /// The dataset, the output columns and where they come from.
    public let layout: RecordLayout
    /// The output header: the schema's current fields in order, then the extra columns.
    public var outputColumns: [String] { layout.columns }
    public var columnMappings: [ColumnMapping] { layout.mappings }
    /// The plane rectangular columns found (X, Y, 座標系番号, 測地系), by input header, for reports.
    public var planeColumns: (x: String, y: String, zone: String?, datum: String?)? {
        guard let x = plan.planeXColumn, let y = plan.planeYColumn else { return nil }
        return (header[x], header[y], plan.zoneColumn.map { header[$0] }, plan.datumColumn.map { header[$0] })
    }

    /// The input columns that name each row's coordinate system (座標系 / 座標系番号, then 測地系), by header.
    public var coordinateSystemColumns: [String] {
        [plan.zoneColumn, plan.datumColumn].compactMap { $0.map { header[$0] } }
    }

    /// The input column that feeds an output column (the first, for joined ones).
    public func inputColumn(feeding output: Int) -> String? { layout.inputColumns[output] }

    /// Output index of a standard field, when the schema has it.
    public func outputIndex(of field: String) -> Int? { layout.index(of: field) }

    /// True when the file supplies 緯度/経度 (or a packed coordinate column).
    public var hasGeographicColumns: Bool {
        guard let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput else { return false }
        return plan.presentFields.contains(latitude) || plan.presentFields.contains(longitude)
    }

    /// True when the records carry geometries (GeoJSON).
    public var hasGeometry: Bool { layout.hasGeometry }

    /// The CRS the file names for its geometries (GeoJSON's legacy `"crs"` member), as written.
    public var geometryCRSName: String? { rows.geometryCRSName }

    /// The output columns the file actually has (a standard field fed by an input column, or an extra column),
    /// in output order. Standard fields the file lacks are always empty.
    public var suppliedColumns: [Int] { layout.suppliedColumns }

    private let rows: any RowSource
    private let plan: ColumnPlan
    private let header: [String]
    /// Input column positions by header name (the first of duplicates).
    private let headerPositions: [String: Int]
    private let headerLine: Int
    private let metadata: [[String]]
    private let normalizers: [CellNormalizer?]
    /// Joined fields: the output column, and the position of the first input column feeding it (its normaliser checks
    /// the joined value).
    private let joinedOutputs: [(output: Int, position: Int)]
    /// Per output column: true when several input columns are joined into it.
    private let isJoinedOutput: [Bool]
    private let displayName: String
    /// Findings about the file and its header, sent before the first record's.
    private var pendingFindings: [Finding]
    /// Rows read ahead (the first data rows, sampled for recognition), handed out before the source's next ones.
    private var pendingRows: [CSVRow]
    private var pendingIndex = 0
    /// Rows after a blank row that may be lines below the table (a title and a version, 2 cells of many): held until a
    /// full row shows the table goes on (then they are records as usual) or the file ends (then they are footer lines).
    private var held: [CSVRow] = []
    /// A blank row came after the last record.
    private var afterBlank = false
    /// Rows handed back from `held` that are read as usual, not held again.
    private var replaying = 0
    private var findingBuffer: [Finding] = []
    /// 座標系 / 測地系 cell texts already read (most files repeat one or two values).
    private var systemNames: [String: CoordinateSystemName?] = [:]
    /// The standard fields' names, and the required ones present in the file (looked up per row).
    private let fieldNames: [String]
    private let requiredFields: [(index: Int, severity: Severity)]
    private let coordinateCheck: CoordinateCheck?
    /// Whether the file's X/Y columns hold degrees (経度/緯度) rather than 平面直角座標 metres: decided on the first
    /// row with two numbers there (`readDegreesFromPlaneColumns`).
    private var planeColumnsHoldDegrees: Bool?
    /// The report this reader has begun (its findings go there).
    private weak var begun: ReportBuilder?
    /// The report made for `next(reportingTo:)` with a plain sink.
    private var ownReport: ReportBuilder?

    /// Reads a CSV file (any of the encodings and dialects municipalities use).
    public convenience init(source: InputSource, options: ReadOptions = ReadOptions()) throws {
        let chunks = try source.makeChunkReader(encoding: options.encoding)
        let reader = try CSVReader(source: chunks, delimiter: options.delimiter)
        try self.init(rows: options.readAhead ? ReadAheadRows(reader) : reader, name: source.displayName, options: options)
    }

    /// Reads the rows of any source (a CSV reader, or CivicExcel's worksheet rows); `name` is the file's, for
    /// messages.
    public init(rows: any RowSource, name: String, options: ReadOptions = ReadOptions()) throws {
        self.rows = rows
        displayName = name

        let search = try HeaderSearch(rows: rows)
        guard var header = search.header else {
            throw DatasetError(code: .empty, message: "no header row: the file is empty or has only # rows", file: displayName, line: 1)
        }
        self.metadata = search.metadata
        // The first data rows are read ahead: their values count in recognition (and type a generic dataset's columns).
        var ahead: [CSVRow] = search.firstData.map { [$0] } ?? []
        var sampled: [[String]] = []
        // Blank rows, totals, notes and `#` rows (高松市's type rows after #property) are no sample of the values.
        func isSample(_ row: CSVRow) -> Bool { !row.isBlank && row.cells.first?.hasPrefix("#") != true && DatasetReader.notARecord(row) == nil }
        for row in ahead where isSample(row) { sampled.append(row.cells) }
        while sampled.count < ValueSample.maximumRows, let row = try rows.nextRow() {
            ahead.append(row)
            if isSample(row) { sampled.append(row.cells) }
        }
        var values = ValueSample(columns: header.cells.count, rows: sampled)
        // A file without a header row: its first row reads like the rows below it (a postal code, a phone number, a
        // coordinate where the column holds them). It is a record, and the columns are named 列1, 列2 ….
        var headerless: Finding?
        if let like = DatasetReader.valuesLikeTheColumns(header.cells, values: values) {
            headerless = Finding(
                .headerNone,
                .warning,
                line: header.line,
                message:
                    "no header row: line \(header.line) is a record (\(like) like the rows below); the columns are named 列1…列\(header.cells.count)"
            )
            ahead.insert(header, at: 0)
            sampled.insert(header.cells, at: 0)
            header = CSVRow(line: header.line, cells: (1...max(header.cells.count, 1)).map { "列\($0)" })
            values = ValueSample(columns: header.cells.count, rows: sampled)
        }
        self.pendingRows = ahead
        self.header = header.cells
        var positions: [String: Int] = [:]
        for (index, name) in header.cells.enumerated() where positions[name] == nil { positions[name] = index }
        self.headerPositions = positions
        self.headerLine = header.line

        // The sheet's name counts with the file's (a sheet named AED設置場所 in data.xlsx).
        // So does a prefix every column shares (観光ポイント_名称 …): the template's subject, like a sheet's name.
        let names = [name, rows.sheetName, HeaderKey.sharedPrefix(of: header.cells).map { String($0.dropLast()) }].compactMap { $0 }.joined(
            separator: " "
        )
        let (recognition, schema) = try DatasetReader.recognize(header: header, name: names, values: values, options: options)
        let plan = ColumnPlan(header: header.cells, schema: schema, values: values)
        self.plan = plan
        normalizers = try plan.targets.enumerated().map { position, target in
            switch target {
            case .field(_, let field), .join(_, let field):
                try CellNormalizer(field: schema.fields[field], column: header.cells[position], schema: schema.id)
            case .packedCoordinates, .extra:
                nil
            }
        }
        var joined: [Int: Int] = [:]
        for target in plan.targets {
            guard case .join(let output, _) = target, joined[output] == nil else { continue }
            // The first column feeding it is its `.field` target.
            joined[output] = plan.targets.firstIndex { $0 == .field(output: output, field: output) || $0 == target }
        }
        joinedOutputs = joined.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        var isJoinedOutput = [Bool](repeating: false, count: plan.outputColumns.count)
        for output in joined.keys where output < isJoinedOutput.count { isJoinedOutput[output] = true }
        self.isJoinedOutput = isJoinedOutput
        let inputColumns = plan.inputColumns(header: header.cells)
        var layout = RecordLayout(
            file: name,
            recognition: recognition,
            schema: schema,
            columns: plan.outputColumns,
            mappings: plan.mappings,
            inputColumns: inputColumns
        )
        layout.hasGeometry = rows.hasGeometry
        layout.readsJSON = rows.readsJSON
        let numberColumns = rows.numberColumns
        if !numberColumns.isEmpty {
            layout.numberColumns = Set(inputColumns.indices.filter { inputColumns[$0].map(numberColumns.contains) == true })
        }
        self.layout = layout
        fieldNames = schema.fields.map(\.name)
        requiredFields = plan.presentFields.sorted().filter { schema.fields[$0].isRequired }.map { ($0, schema.fields[$0].requiredSeverity) }
        if let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput,
            plan.presentFields.contains(latitude) || plan.presentFields.contains(longitude)
        {
            coordinateCheck = CoordinateCheck(
                latitudeField: fieldNames[latitude],
                longitudeField: fieldNames[longitude],
                latitudeColumn: inputColumns[latitude] ?? fieldNames[latitude],
                longitudeColumn: inputColumns[longitude] ?? fieldNames[longitude]
            )
        } else {
            coordinateCheck = nil
        }
        pendingFindings =
            rows.takeFindings() + search.findings + (headerless.map { [$0] } ?? [])
            + DatasetReader.layoutFindings(recognition, schema: schema, line: header.line)
            + plan.findings.map { finding in
                var finding = finding
                finding.line = finding.line ?? header.line
                return finding
            }
    }

    /// Kinds no column name is written as: a header cell of one of them, in a column whose values are of it, is a
    /// value, not a name. (Not URLs: vocabulary URIs are names.)
    static let valueOnlyKinds: [FieldKind] = [.postalCode, .phone, .municipalityCode, .corporateNumber, .latitude, .longitude, .email]

    /// What makes a would-be header row a record ("a postal code, a phone number"), or nil when it reads as names.
    static func valuesLikeTheColumns(_ cells: [String], values: ValueSample) -> String? {
        var like: [String] = []
        for (column, cell) in cells.enumerated() where column < values.kinds.count {
            guard let kind = values.kinds[column], valueOnlyKinds.contains(kind) else { continue }
            let value = Width.narrowed(Whitespace.trimmed(cell))
            if !value.isEmpty, ValueSample.matches(value, kind) { like.append("列\(column + 1) \(kind.rawValue)") }
        }
        return like.isEmpty ? nil : like.joined(separator: ", ")
    }

    /// The dataset a header is, and its schema: the one named in `options`, else the one recognised, else — no
    /// standard dataset fits — a generic dataset of the file's own columns (a readable table is never refused).
    private static func recognize(header: CSVRow, name: String, values: ValueSample, options: ReadOptions) throws -> (Recognition, Schema) {
        let recognizer = Recognizer.shared(for: options.catalog)
        let recognized =
            try options.dataset.flatMap { $0 == GenericSchema.id ? nil : try recognizer.recognize(header: header.cells, declaredDataset: $0) }
            ?? (options.dataset == nil ? recognizer.recognize(header: header.cells, fileName: name, values: values) : nil)
        guard let recognized else {
            let candidates = recognizer.closest(header: header.cells, values: values)
            let closest = candidates.compactMap { candidate in
                options.catalog[candidate.dataset].map { "\($0.title) \(candidate.score)" }
            }
            let reason =
                options.dataset == GenericSchema.id
                ? "read as a generic dataset, as the caller asked"
                : "no standard dataset fits these columns (closest: \(closest.isEmpty ? "none" : closest.joined(separator: ", "))); "
                    + "read as a generic dataset: every column kept, the knowable ones checked"
            let recognition = Recognition(
                dataset: GenericSchema.id,
                title: GenericSchema.title,
                layout: .nonStandard,
                score: candidates.first?.score ?? 0,
                declared: options.dataset == GenericSchema.id,
                reason: reason,
                candidates: candidates
            )
            return (recognition, ColumnPlan.withCoordinateAliases(GenericSchema.make(header: header.cells, reason: reason, values: values)))
        }
        return (recognized, try options.catalog.schema(id: recognized.dataset))
    }

    /// What the layout says about the file.
    private static func layoutFindings(_ recognition: Recognition, schema: Schema, line: Int) -> [Finding] {
        if recognition.dataset == GenericSchema.id {
            return [Finding(.layoutGeneric, .warning, line: line, message: recognition.reason)]
        }
        return switch recognition.layout {
        case .legacy:
            [Finding(.layoutLegacy, .info, line: line, message: "legacy 2019 layout; written in the current layout")]
        case .nonStandard:
            [
                Finding(
                    .layoutNonStandard,
                    .warning,
                    line: line,
                    message: "not a standard layout; columns matched to \(schema.title) by name: \(recognition.reason)"
                )
            ]
        case .current:
            []
        }
    }

    /// How the input was read (complete after the last record).
    public var sourceDescription: SourceDescription {
        var description = rows.describe(headerLine: headerLine, metadata: metadata)
        description.file = displayName
        return description
    }

    /// Input bytes consumed so far and the total when known, for progress lines.
    public var progress: (read: Int, total: Int?) { rows.progress }

    /// Starts `report` on this file: its layout, how to describe the source and name cells, and the findings about
    /// the file and its header. `next` does this on its first call when it was not done.
    public func begin(reportingTo report: ReportBuilder) throws {
        guard begun !== report else { return }
        begun = report
        let rows = self.rows
        try report.begin(
            layout: layout,
            describeSource: { [displayName, headerLine, metadata] in
                var description = rows.describe(headerLine: headerLine, metadata: metadata)
                description.file = displayName
                return description
            },
            locate: rows.hasCellReferences
                ? { [headerPositions] finding in
                    guard let line = finding.line else { return nil }
                    return rows.cellReference(
                        line: line,
                        column: finding.column.flatMap { DatasetReader.position(ofColumn: $0, in: headerPositions) }
                    )
                } : nil
        )
        for finding in pendingFindings { try report.receive(finding) }
        pendingFindings.removeAll()
    }

    /// The next record, sending its findings (and, on the first call, the file's) to `report`. Nil at the end.
    public func next(reportingTo report: ReportBuilder) throws -> NormalizedRecord? {
        if begun !== report { try begin(reportingTo: report) }
        return try next { event in try report.apply(event) }
    }

    /// The next record, handing what reading it did to the report (its findings, the blank and note rows before it,
    /// its count) to `emit`, in the order `next(reportingTo:)` would send them, instead of to a report: for reading
    /// on another thread than the report's (`Ingest` replays them). `begin(reportingTo:)` must have been called.
    public func next(emitting emit: (ReadEvent) throws -> Void) throws -> NormalizedRecord? {
        while true {
            let row: CSVRow
            if pendingIndex < pendingRows.count {
                row = pendingRows[pendingIndex]
                pendingIndex += 1
                if pendingIndex == pendingRows.count {
                    pendingRows = []
                    pendingIndex = 0
                }
            } else if let next = try rows.nextRow() {
                row = next
            } else {
                for finding in rows.takeFindings() { try emit(.finding(finding)) }
                try releaseFooter(emit)
                return nil
            }
            for finding in rows.takeFindings() { try emit(.finding(finding)) }
            let replayed = replaying > 0
            if replayed { replaying -= 1 }
            if !replayed && (!held.isEmpty || afterBlank) && !row.isFeature {
                if row.isBlank || isFooterLike(row) {
                    held.append(row)
                    continue
                }
                if !held.isEmpty {
                    // The table goes on: the held rows are read as usual, in order, before this one.
                    pendingRows = held + [row] + pendingRows[pendingIndex...]
                    pendingIndex = 0
                    replaying = held.count + 1
                    held = []
                    afterBlank = false
                    continue
                }
            }
            if row.isBlank && !row.isFeature {
                afterBlank = true
                try DatasetReader.skipBlank(row, emit)
                continue
            }
            afterBlank = false
            if !row.isFeature, let (code, message) = DatasetReader.notARecord(row) {
                // Its cells stay in the report (shown with --show-values); it is not data.
                try emit(
                    .finding(
                        Finding(code, .info, line: row.line, message: message, before: DatasetReader.filledCells(row))
                    )
                )
                continue
            }
            var record = process(row)
            for finding in findingBuffer {
                if finding.severity == .error { record.hasErrors = true }
                try emit(.finding(finding))
            }
            try emit(.record(hasErrors: record.hasErrors))
            return record
        }
    }

    /// A blank row: counted, and noted in the report.
    private static func skipBlank(_ row: CSVRow, _ emit: (ReadEvent) throws -> Void) throws {
        try emit(.blankRow)
        try emit(.finding(Finding(.rowBlank, .info, line: row.line, message: "blank row skipped")))
    }

    /// A row that is not a record, as the report keeps it: its filled cells.
    private static func filledCells(_ row: CSVRow) -> String { row.cells.filter { !$0.isEmpty }.joined(separator: " | ") }

    /// A row with one or two filled cells in a table of four or more columns: after a blank row, possibly a line
    /// below the table (`"区民避難場所・福祉避難所情報","Ver202204",,,,`).
    private func isFooterLike(_ row: CSVRow) -> Bool {
        guard header.count >= 4 else { return false }
        let filled = row.cells.count { !Whitespace.trimmed($0).isEmpty }
        return (1...2).contains(filled)
    }

    /// At the end of the file: the held rows were lines below the table — blank rows as such, the others reported
    /// with their cells (warning `row.footer`), not records.
    private func releaseFooter(_ emit: (ReadEvent) throws -> Void) throws {
        for row in held {
            if row.isBlank {
                try DatasetReader.skipBlank(row, emit)
            } else {
                try emit(
                    .finding(
                        Finding(
                            .rowFooter,
                            .warning,
                            line: row.line,
                            message:
                                "a line below the table (after a blank row, one or two cells filled, nothing after it), not a record; "
                                + "its cells are kept only in this report",
                            before: DatasetReader.filledCells(row)
                        )
                    )
                )
            }
        }
        held = []
    }

    /// True when the rows come from a text file (CSV/TSV), which may be read on a thread of its own; workbook rows
    /// name their cells through the source while the report is written, so they are read on the report's thread.
    public var isText: Bool { rows is CSVReader || rows is ReadAheadRows }

    /// The next record, its findings counted by a report of the reader's own and passed to `sink`: for callers
    /// that only want the findings (the report's counts come with `ReportBuilder`).
    public func next(reportingTo sink: any FindingSink) throws -> NormalizedRecord? {
        let report: ReportBuilder
        if let own = ownReport {
            report = own
        } else {
            report = ReportBuilder(sink: sink)
            ownReport = report
        }
        return try next(reportingTo: report)
    }

    /// A 合計/total row (its first filled cell says so) or a note (one filled cell, starting ※ or 注…) among the rows.
    static func notARecord(_ row: CSVRow) -> (FindingCode, String)? {
        // Once per row: no allocation until the first filled cell looks like a total or a note.
        guard let index = row.cells.firstIndex(where: { !$0.isEmpty }),
            let lead = row.cells[index].unicodeScalars.first(where: { $0 != " " && $0 != "\u{3000}" && $0 != "\t" }),
            leads.contains(lead)
        else { return nil }
        let first = Whitespace.trimmed(row.cells[index])
        if totalWords.contains(first) {
            return (.rowTotal, "a total row (\(first)), not a record; its cells are kept only in this report")
        }
        if noteMarks.contains(where: { first.hasPrefix($0) }), !row.cells[(index + 1)...].contains(where: { !$0.isEmpty }) {
            return (.rowNote, "a note below or among the rows, not a record; kept only in this report")
        }
        return nil
    }

    private static let totalWords: Set<String> = ["合計", "総計", "計", "小計", "total", "Total", "TOTAL", "合 計"]
    private static let noteMarks = ["※", "＊", "*", "注", "(注)", "（注）", "出典", "備考："]
    /// The first characters of those words and marks: most rows are told apart by their first character alone.
    private static let leads: [Unicode.Scalar] = Array(Set((totalWords.map { $0 } + noteMarks).compactMap(\.unicodeScalars.first)))

    /// The input position of a finding's column: a header name, or "列N" for the Nth cell beyond the header.
    static func position(ofColumn name: String, in positions: [String: Int]) -> Int? {
        if let position = positions[name] { return position }
        guard name.hasPrefix("列"), let number = Int(name.dropFirst()), number >= 1 else { return nil }
        return number - 1
    }

    /// Reads every record into memory, with its report: for small files and tests. (`Ingest.readAll` in
    /// CivicIngest also opens workbooks and georeferences.)
    public static func readAll(source: InputSource, options: ReadOptions = ReadOptions()) throws -> (records: [NormalizedRecord], report: Report) {
        let reader = try DatasetReader(source: source, options: options)
        let collector = FindingCollector()
        let report = ReportBuilder(sink: collector)
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: report) { records.append(record) }
        return (records, report.makeReport(findings: collector.findings))
    }

    // MARK: Rows

    private func process(_ row: CSVRow) -> NormalizedRecord {
        // The buffer is moved into a local for the row: no exclusivity checks on a class property per cell.
        var findingBuffer = self.findingBuffer
        self.findingBuffer = []
        findingBuffer.removeAll(keepingCapacity: true)
        defer { self.findingBuffer = findingBuffer }
        let line = row.line
        RowShape.findings(for: row, headerCount: header.count, into: &findingBuffer)
        var record = NormalizedRecord(line: line, values: [String](repeating: "", count: layout.columns.count))
        let packed = normalizeCells(row, into: &record, &findingBuffer)
        noteNumbersStoredAsText(row, &findingBuffer)
        if let packed, !packed.isEmpty { unpack(packed, into: &record, &findingBuffer) }
        if let datumColumn = plan.datumColumn, datumColumn < row.cells.count {
            let text = Whitespace.trimmed(row.cells[datumColumn])
            if !text.isEmpty { record.datumText = text }
        }
        let systemReadable = readCoordinateSystem(row, into: &record, &findingBuffer)
        if plan.planeXColumn != nil { readPlanePoint(row, into: &record, &findingBuffer) }
        checkCoordinates(&record, &findingBuffer)
        if record.planePoint != nil { readDegreesFromPlaneColumns(&record, &findingBuffer) }
        if !systemReadable {
            // Which CRS the row is in is unknown: its point is not placed (the finding says so).
            record.latitude = nil
            record.longitude = nil
            record.planePoint = nil
        }
        if row.hasSourceError { record.hasErrors = true }
        if row.isFeature {
            record.feature = row.feature
            record.geometry = row.geometry
            if let geometry = row.geometry, geometry.kind == .point, geometry.x.count == 1 {
                record.longitude = geometry.x[0]
                record.latitude = geometry.y[0]
            }
        }
        checkRequired(record, &findingBuffer)
        uniqueValues.check(record, into: &findingBuffer)
        return record
    }

    /// Each cell through its column's normaliser into its output column; returns a packed "lat,lon" cell, if any.
    private func normalizeCells(_ row: CSVRow, into record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) -> String? {
        var packed: String?
        let line = row.line
        for (position, target) in plan.targets.enumerated() {
            guard position < row.cells.count else { break }
            let raw = row.cells[position]
            switch target {
            case .field(let output, _):
                record.values[output] = normalizers[position]!.normalize(
                    raw,
                    line: line,
                    into: &findingBuffer,
                    checkingConstraints: !isJoinedOutput[output]
                )
            case .join(let output, _):
                let part = normalizers[position]!.normalize(raw, line: line, into: &findingBuffer, checkingConstraints: false)
                if !record.values[output].hasSuffix(part) { record.values[output] += part }
            case .extra(let output):
                let trimmed = Whitespace.trimmed(raw)
                if trimmed.utf8.count != raw.utf8.count {
                    findingBuffer.append(
                        Finding(
                            .cellTrimmed,
                            .fixed,
                            line: line,
                            column: header[position],
                            message: "removed white space at the ends",
                            before: raw,
                            after: trimmed
                        )
                    )
                }
                record.values[output] = trimmed
            case .packedCoordinates:
                packed = raw
            }
        }
        for (output, position) in joinedOutputs {
            normalizers[position]!.checkJoined(record.values[output], line: line, into: &findingBuffer)
        }
        return packed
    }

    /// Workbook cells stored as text that read as numbers, in number columns.
    private func noteNumbersStoredAsText(_ row: CSVRow, _ findingBuffer: inout [Finding]) {
        for position in row.numbersStoredAsText where position < plan.targets.count {
            guard case .field(_, let field) = plan.targets[position], schema.fields[field].kind.isNumeric else { continue }
            findingBuffer.append(
                Finding(
                    .workbookNumberAsText,
                    .warning,
                    line: row.line,
                    column: header[position],
                    field: schema.fields[field].name,
                    message: "a number stored as text in the workbook (store numbers as numbers)"
                )
            )
        }
    }

    private func unpack(_ raw: String, into record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput, let column = plan.packedColumn else { return }
        guard let parts = CoordinateCheck.unpack(raw) else {
            findingBuffer.append(
                Finding(
                    .coordinatesUnreadable,
                    .error,
                    line: record.line,
                    column: header[column],
                    message: "expected two numbers \"latitude,longitude\"; the value is kept only in this report",
                    before: raw
                )
            )
            return
        }
        record.values[latitude] = parts.latitude
        record.values[longitude] = parts.longitude
    }

    /// X/Y (and 座標系番号, 測地系) from the plane rectangular columns.
    private func readPlanePoint(_ row: CSVRow, into record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let xColumn = plan.planeXColumn, let yColumn = plan.planeYColumn else { return }
        func cell(_ column: Int) -> String {
            column < row.cells.count ? Width.narrowed(Whitespace.trimmed(row.cells[column])) : ""
        }
        let xText = cell(xColumn)
        let yText = cell(yColumn)
        guard !xText.isEmpty || !yText.isEmpty else { return }
        var numbers: [Double] = []
        for (text, column) in [(xText, xColumn), (yText, yColumn)] {
            if NumberValue.isDecimal(text), let number = Double(text) {
                numbers.append(number)
            } else {
                findingBuffer.append(
                    Finding(
                        .coordinateNotNumber,
                        .error,
                        line: record.line,
                        column: header[column],
                        message: "not a number (metres); the record is left out of GeoJSON",
                        before: column < row.cells.count ? row.cells[column] : ""
                    )
                )
            }
        }
        guard numbers.count == 2 else { return }
        record.planePoint = PlanePoint(x: numbers[0], y: numbers[1], zone: record.coordinateSystem?.zone)
    }

    /// X/Y columns that hold degrees — Y 35.70838, X 139.70662, as GIS exports and the 保育園マップ format write
    /// them — are 経度 (X) and 緯度 (Y), not plane rectangular metres: no 平面直角座標 point lies within 200 m of its
    /// zone's origin on both axes, where such metres would have to be. Decided once per file, on the first row whose
    /// X and Y are numbers (a file mixes neither), and reported with the reason; the point is then checked as 緯度/経度
    /// (a swapped pair exchanged, a point outside Japan left off the map) and fills empty 緯度/経度 fields.
    private func readDegreesFromPlaneColumns(_ record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let point = record.planePoint, let xColumn = plan.planeXColumn, let yColumn = plan.planeYColumn,
            record.latitude == nil, record.longitude == nil
        else { return }
        if planeColumnsHoldDegrees == nil {
            let inRange = { (latitude: Double, longitude: Double) in
                CoordinateCheck.japanLatitudes.contains(latitude) && CoordinateCheck.japanLongitudes.contains(longitude)
            }
            let degrees = inRange(point.y, point.x) || inRange(point.x, point.y)
            planeColumnsHoldDegrees = degrees
            if degrees {
                findingBuffer.append(
                    Finding(
                        .coordinatesPlaneColumnsInDegrees,
                        .info,
                        line: record.line,
                        column: header[xColumn],
                        message:
                            "\(header[xColumn])/\(header[yColumn]) hold degrees inside Japan's range (緯度 20–46, 経度 122–154), not 平面直角座標 metres (which would put the point within 200 m of its zone's origin): read for the whole file as 経度 (\(header[xColumn])) and 緯度 (\(header[yColumn]))",
                        before: "\(header[xColumn])=\(Degrees.text(point.x)) \(header[yColumn])=\(Degrees.text(point.y))"
                    )
                )
            }
        }
        guard planeColumnsHoldDegrees == true else { return }
        record.planePoint = nil
        let latitudeText = Degrees.text(point.y)
        let longitudeText = Degrees.text(point.x)
        let check = CoordinateCheck(
            latitudeField: "緯度",
            longitudeField: "経度",
            latitudeColumn: header[yColumn],
            longitudeColumn: header[xColumn]
        )
        let outcome = check.check(
            latitudeText: latitudeText,
            longitudeText: longitudeText,
            line: record.line,
            hasPlanePoint: false,
            into: &findingBuffer
        )
        guard let latitude = outcome.latitude, let longitude = outcome.longitude else { return }
        record.latitude = latitude
        record.longitude = longitude
        // Empty 緯度/経度 fields are filled from them (X/Y stay as they are, in their own columns).
        if let latitudeIndex = plan.latitudeOutput, let longitudeIndex = plan.longitudeOutput, record.values[latitudeIndex].isEmpty,
            record.values[longitudeIndex].isEmpty
        {
            record.values[latitudeIndex] = Degrees.text(latitude)
            record.values[longitudeIndex] = Degrees.text(longitude)
        }
    }

    /// The row's coordinate system from its 座標系 / 座標系番号 and 測地系 cells (`CoordinateSystemName`), into
    /// `record.coordinateSystem`. False when a cell names nothing readable or the two contradict each other: a
    /// finding names the cell, and the caller keeps the point off the map.
    private func readCoordinateSystem(_ row: CSVRow, into record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) -> Bool {
        guard plan.zoneColumn != nil || plan.datumColumn != nil else { return true }
        // A row without coordinates needs no system: a cell such as "-" there is only kept.
        func filled(_ column: Int?) -> Bool {
            guard let column, column < row.cells.count else { return false }
            return !Whitespace.trimmed(row.cells[column]).isEmpty
        }
        let hasCoordinates =
            plan.latitudeOutput.map { !record.values[$0].isEmpty } == true || plan.longitudeOutput.map { !record.values[$0].isEmpty } == true
            || filled(plan.planeXColumn) || filled(plan.planeYColumn)
        guard hasCoordinates else { return true }
        var combined: CoordinateSystemName?
        var firstColumn: Int?
        for (column, code) in [(plan.zoneColumn, FindingCode.coordinateZoneInvalid), (plan.datumColumn, FindingCode.coordinateDatumInvalid)] {
            guard let column, column < row.cells.count else { continue }
            let text = Whitespace.trimmed(row.cells[column])
            guard !text.isEmpty else { continue }
            let parsed: CoordinateSystemName?
            if let known = systemNames[text] {
                parsed = known
            } else {
                parsed = CoordinateSystemName.parse(text)
                // A file writes few distinct values; a bound keeps a hostile one from growing the memo.
                if systemNames.count < 256 { systemNames[text] = parsed }
            }
            guard let name = parsed else {
                findingBuffer.append(
                    Finding(
                        code,
                        .error,
                        line: record.line,
                        column: header[column],
                        message:
                            "\(header[column]) names no coordinate system Civic knows (世界測地系, JGD2011, JGD2000, 日本測地系, WGS84, a 平面直角座標系 zone 1–19 such as 9系 or IX, or EPSG:6677); the record is left out of GeoJSON",
                        before: row.cells[column]
                    )
                )
                return false
            }
            if let known = combined, let firstColumn {
                guard let both = known.combined(with: name) else {
                    findingBuffer.append(
                        Finding(
                            .coordinateSystemConflict,
                            .error,
                            line: record.line,
                            column: header[column],
                            message:
                                "\(header[column]) (\(name)) contradicts \(header[firstColumn]) (\(known)); the record is left out of GeoJSON",
                            before: row.cells[column]
                        )
                    )
                    return false
                }
                combined = both
            } else {
                combined = name
                firstColumn = column
            }
        }
        record.coordinateSystem = combined
        return true
    }

    private func checkCoordinates(_ record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let coordinateCheck, let latitudeIndex = plan.latitudeOutput, let longitudeIndex = plan.longitudeOutput else { return }
        let latitudeText = record.values[latitudeIndex]
        let longitudeText = record.values[longitudeIndex]
        let outcome = coordinateCheck.check(
            latitudeText: latitudeText,
            longitudeText: longitudeText,
            line: record.line,
            hasPlanePoint: record.planePoint != nil,
            into: &findingBuffer
        )
        if outcome.swapped {
            record.values[latitudeIndex] = longitudeText
            record.values[longitudeIndex] = latitudeText
        }
        record.latitude = outcome.latitude
        record.longitude = outcome.longitude
    }

    private func checkRequired(_ record: NormalizedRecord, _ findingBuffer: inout [Finding]) {
        for (index, severity) in requiredFields where record.values[index].isEmpty {
            findingBuffer.append(
                Finding(
                    .cellRequired,
                    severity,
                    line: record.line,
                    column: inputColumn(feeding: index),
                    field: fieldNames[index],
                    message: "\(fieldNames[index]) is required (◎ 必須\(severity == .warning ? ", inferred" : "")) but empty"
                )
            )
        }
    }

    /// The ID column and the `constraints.unique` columns: one hash per value seen.
    private lazy var uniqueValues = UniqueValues(plan: plan, fields: schema.fields, inputColumns: layout.inputColumns)
}

@available(*, unavailable)
extension DatasetReader: Sendable {}
