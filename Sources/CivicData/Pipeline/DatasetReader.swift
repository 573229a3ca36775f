import Foundation

/// Reads a municipal file as a standard dataset: decodes it, finds the header (after any `#` metadata rows),
/// recognises the dataset and layout, and hands out normalised records in the current layout with every finding.
///
/// Streams: memory is bounded by the chunk size and the longest record, whatever the file size (the ID
/// uniqueness checks keep one hash per value). Not Sendable: it owns its input.
///
/// ```swift
/// let reader = try DatasetReader(source: .file(url))
/// let findings = FindingCollector()
/// while let record = try reader.next(reportingTo: findings) { … }
/// let report = reader.makeReport(findings: findings.findings)
/// ```
public final class DatasetReader {
    public let schema: Schema
    public let recognition: Recognition
    /// The output header: the schema's current fields in order, then the extra columns.
    public let outputColumns: [String]
    public let columnMappings: [ColumnMapping]
    /// The plane rectangular columns found (X, Y, 座標系番号, 測地系), by input header, for reports.
    public var planeColumns: (x: String, y: String, zone: String?, datum: String?)? {
        guard let x = plan.planeXColumn, let y = plan.planeYColumn else { return nil }
        return (header[x], header[y], plan.zoneColumn.map { header[$0] }, plan.datumColumn.map { header[$0] })
    }

    /// The input column that feeds an output column (the first, for joined ones).
    public func inputColumn(feeding output: Int) -> String? { inputColumns[output] }

    /// Output index of a standard field, when the schema has it.
    public func outputIndex(of field: String) -> Int? { outputColumns.firstIndex(of: field) }

    /// True when the file supplies 緯度/経度 (or a packed coordinate column).
    public var hasGeographicColumns: Bool {
        guard let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput else { return false }
        return plan.presentFields.contains(latitude) || plan.presentFields.contains(longitude)
    }

    /// The output columns the file actually has (a standard field fed by an input column, or an extra column),
    /// in output order. Standard fields the file lacks are always empty.
    public var suppliedColumns: [Int] { inputColumns.indices.filter { inputColumns[$0] != nil } }
    /// How coordinates were georeferenced (set by CivicGeo's `Georeferencer` when it ran), for the report.
    public var coordinateReport: CoordinateReport?
    /// Counts so far (complete after `next` returned nil).
    public private(set) var summary = ReportSummary()

    private let rows: any RowSource
    private let plan: ColumnPlan
    private let header: [String]
    /// Input column positions by header name (the first of duplicates).
    private let headerPositions: [String: Int]
    private let headerLine: Int
    private let metadata: [[String]]
    private let normalizers: [CellNormalizer?]
    private let displayName: String
    private var pendingFindings: [Finding]
    private var pendingRow: CSVRow?
    private var findingBuffer: [Finding] = []
    /// The input column feeding each output column (the first, for joined ones).
    private let inputColumns: [String?]
    /// The standard fields' names, and the required ones present in the file (looked up per row).
    private let fieldNames: [String]
    private let requiredFields: [(index: Int, severity: Severity)]

    /// Reads a CSV file (any of the encodings and dialects municipalities use).
    public convenience init(source: InputSource, options: ReadOptions = ReadOptions()) throws {
        let chunks = try source.makeChunkReader(encoding: options.encoding)
        try self.init(rows: try CSVReader(source: chunks, delimiter: options.delimiter), name: source.displayName, options: options)
    }

    /// Reads the rows of any source (a CSV reader, or CivicExcel's worksheet rows); `name` is the file's, for
    /// messages.
    public init(rows: any RowSource, name: String, options: ReadOptions = ReadOptions()) throws {
        self.rows = rows
        displayName = name

        // The header: the `#property` row among leading `#` rows, else the first row that is not a `#` row.
        var metadata: [[String]] = []
        var metadataLines: [Int] = []
        var header: CSVRow?
        var firstData: CSVRow?
        while let row = try rows.nextRow() {
            if row.isBlank && header == nil { continue }
            if row.cells.first?.hasPrefix("#") == true {
                if header == nil && row.cells[0].lowercased() == "#property" {
                    header = row
                } else {
                    metadata.append(row.cells.enumerated().map { $0.offset == 0 ? String($0.element.dropFirst()) : $0.element })
                    metadataLines.append(row.line)
                }
                continue
            }
            if header == nil { header = row } else { firstData = row }
            break
        }
        guard let header else {
            throw DatasetError(code: .empty, message: "no header row: the file is empty or has only # rows", file: displayName, line: 1)
        }
        self.header = header.cells
        var positions: [String: Int] = [:]
        for (index, name) in header.cells.enumerated() where positions[name] == nil { positions[name] = index }
        self.headerPositions = positions
        self.headerLine = header.line
        self.metadata = metadata
        self.pendingRow = firstData

        let recognizer = Recognizer(catalog: options.catalog)
        let recognition: Recognition
        if let id = options.dataset {
            recognition = try recognizer.recognize(header: header.cells, declaredDataset: id)
        } else if let found = recognizer.recognize(header: header.cells, fileName: name) {
            recognition = found
        } else {
            throw DatasetError(
                code: .unrecognized,
                message:
                    "the columns match no standard dataset; name one with --dataset (\(options.catalog.schemas.map(\.id).joined(separator: ", ")))",
                file: displayName,
                line: header.line
            )
        }
        self.recognition = recognition
        let schema = try options.catalog.schema(id: recognition.dataset)
        let plan = ColumnPlan(header: header.cells, schema: schema)
        self.schema = schema
        self.plan = plan
        outputColumns = plan.outputColumns
        columnMappings = plan.mappings
        normalizers = try plan.targets.enumerated().map { position, target in
            switch target {
            case .field(_, let field), .join(_, let field):
                try CellNormalizer(field: schema.fields[field], column: header.cells[position], schema: schema.id)
            case .packedCoordinates, .extra:
                nil
            }
        }

        var inputColumns = [String?](repeating: nil, count: plan.outputColumns.count)
        for (position, target) in plan.targets.enumerated() {
            switch target {
            case .field(let output, _), .join(let output, _), .extra(let output):
                if inputColumns[output] == nil { inputColumns[output] = header.cells[position] }
            case .packedCoordinates:
                for output in [plan.latitudeOutput, plan.longitudeOutput].compactMap({ $0 }) { inputColumns[output] = header.cells[position] }
            }
        }
        self.inputColumns = inputColumns
        fieldNames = schema.fields.map(\.name)
        requiredFields = plan.presentFields.sorted().filter { schema.fields[$0].isRequired }.map { ($0, schema.fields[$0].requiredSeverity) }

        var findings: [Finding] = rows.takeFindings()
        for (index, row) in metadata.enumerated() {
            findings.append(
                Finding(
                    .metadataRow,
                    .info,
                    line: metadataLines[index],
                    message: "metadata row #\(row.first ?? "") kept in the report's source.metadata"
                )
            )
        }
        switch recognition.layout {
        case .legacy:
            findings.append(Finding(.layoutLegacy, .info, line: header.line, message: "legacy 2019 layout; written in the current layout"))
        case .nonStandard:
            findings.append(
                Finding(
                    .layoutNonStandard,
                    .warning,
                    line: header.line,
                    message: "not a standard layout; columns matched to \(schema.title) by name: \(recognition.reason)"
                )
            )
        case .current:
            break
        }
        findings += plan.findings.map { finding in
            var finding = finding
            finding.line = finding.line ?? header.line
            return finding
        }
        pendingFindings = findings
    }

    /// How the input was read (complete after the last record).
    public var sourceDescription: SourceDescription {
        var description = rows.describe(headerLine: headerLine, metadata: metadata)
        description.file = displayName
        return description
    }

    /// Input bytes consumed so far and the total when known, for progress lines.
    public var progress: (read: Int, total: Int?) { rows.progress }

    /// The next record, sending its findings (and, on the first call, the header's) to `sink`. Nil at the end.
    public func next(reportingTo sink: any FindingSink) throws -> NormalizedRecord? {
        if !pendingFindings.isEmpty {
            for finding in pendingFindings { try emit(finding, to: sink) }
            pendingFindings.removeAll()
        }
        while true {
            let row: CSVRow
            if let pending = pendingRow {
                row = pending
                pendingRow = nil
            } else if let next = try rows.nextRow() {
                row = next
            } else {
                for finding in rows.takeFindings() { try emit(finding, to: sink) }
                return nil
            }
            for finding in rows.takeFindings() { try emit(finding, to: sink) }
            if row.isBlank {
                summary.blankRows += 1
                try emit(Finding(.rowBlank, .info, line: row.line, message: "blank row skipped"), to: sink)
                continue
            }
            var record = process(row)
            summary.records += 1
            for finding in findingBuffer {
                if finding.severity == .error { record.hasErrors = true }
                try emit(finding, to: sink)
            }
            if record.hasErrors { summary.recordsWithErrors += 1 }
            return record
        }
    }

    /// Sends a finding that concerns this file (e.g. from a writer) to `sink`, counting it in the summary.
    public func emit(_ finding: Finding, to sink: any FindingSink) throws {
        var finding = finding
        if rows.hasCellReferences, finding.cell == nil, let line = finding.line {
            finding.cell = rows.cellReference(line: line, column: finding.column.flatMap(position(ofColumn:)))
        }
        summary.count(finding)
        try sink.receive(finding)
    }

    /// The input position of a finding's column: a header name, or "列N" for the Nth cell beyond the header.
    private func position(ofColumn name: String) -> Int? {
        if let position = headerPositions[name] { return position }
        guard name.hasPrefix("列"), let number = Int(name.dropFirst()), number >= 1 else { return nil }
        return number - 1
    }

    /// Records how many GeoJSON features a writer produced, for the summary.
    public func noteFeatures(_ count: Int) { summary.features = count }

    /// The report for this file, once every record has been read.
    public func makeReport(findings: [Finding]) -> Report {
        Report(
            source: sourceDescription,
            recognition: recognition,
            columns: columnMappings,
            outputColumns: outputColumns,
            findings: findings,
            summary: summary,
            coordinates: coordinateReport
        )
    }

    /// Reads every record into memory: for small files and tests.
    public static func readAll(source: InputSource, options: ReadOptions = ReadOptions()) throws -> (records: [NormalizedRecord], report: Report) {
        let reader = try DatasetReader(source: source, options: options)
        let collector = FindingCollector()
        var records: [NormalizedRecord] = []
        while let record = try reader.next(reportingTo: collector) { records.append(record) }
        return (records, reader.makeReport(findings: collector.findings))
    }

    // MARK: Rows

    private func process(_ row: CSVRow) -> NormalizedRecord {
        // The buffer is moved into a local for the row: no exclusivity checks on a class property per cell.
        var findingBuffer = self.findingBuffer
        self.findingBuffer = []
        findingBuffer.removeAll(keepingCapacity: true)
        defer { self.findingBuffer = findingBuffer }
        var values = [String](repeating: "", count: outputColumns.count)
        let line = row.line
        if row.hasUnterminatedQuote {
            findingBuffer.append(
                Finding(
                    .rowUnterminatedQuote,
                    .error,
                    line: line,
                    message: "a quote (\") opened on this line never closes; the last cell runs to the end of the file"
                )
            )
        }
        if row.cells.count < header.count {
            findingBuffer.append(
                Finding(
                    .rowTooFewCells,
                    .warning,
                    line: line,
                    message: "\(row.cells.count) cells where the header has \(header.count); the missing ones are empty"
                )
            )
        } else if row.cells.count > header.count {
            let extra = row.cells[header.count...]
            if extra.allSatisfy(\.isEmpty) {
                findingBuffer.append(
                    Finding(
                        .rowTooManyCells,
                        .info,
                        line: line,
                        message: "\(row.cells.count) cells where the header has \(header.count); the extra cells are empty"
                    )
                )
            } else {
                for (offset, cell) in extra.enumerated() where !cell.isEmpty {
                    findingBuffer.append(
                        Finding(
                            .rowTooManyCells,
                            .error,
                            line: line,
                            column: "列\(header.count + offset + 1)",
                            message:
                                "cell \(header.count + offset + 1) is beyond the header's \(header.count) columns; its value is kept only in this report",
                            before: cell
                        )
                    )
                }
            }
        }

        var packed: String?
        for (position, target) in plan.targets.enumerated() {
            guard position < row.cells.count else { break }
            let raw = row.cells[position]
            switch target {
            case .field(let output, _):
                values[output] = normalizers[position]!.normalize(raw, line: line, into: &findingBuffer)
            case .join(let output, _):
                let part = normalizers[position]!.normalize(raw, line: line, into: &findingBuffer)
                if !values[output].hasSuffix(part) { values[output] += part }
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
                values[output] = trimmed
            case .packedCoordinates:
                packed = raw
            }
        }

        for position in row.numbersStoredAsText where position < plan.targets.count {
            guard case .field(_, let field) = plan.targets[position], schema.fields[field].kind.isNumeric else { continue }
            findingBuffer.append(
                Finding(
                    .workbookNumberAsText,
                    .warning,
                    line: line,
                    column: header[position],
                    field: schema.fields[field].name,
                    message: "a number stored as text in the workbook (store numbers as numbers)"
                )
            )
        }

        var record = NormalizedRecord(line: line, values: values)
        if let packed, !packed.isEmpty { unpack(packed, into: &record, &findingBuffer) }
        if let datumColumn = plan.datumColumn, datumColumn < row.cells.count {
            let text = Whitespace.trimmed(row.cells[datumColumn])
            if !text.isEmpty { record.datumText = text }
        }
        if plan.planeXColumn != nil { readPlanePoint(row, into: &record, &findingBuffer) }
        checkCoordinates(&record, &findingBuffer)
        checkRequired(record, &findingBuffer)
        uniqueValues.check(record, into: &findingBuffer)
        return record
    }

    private func unpack(_ raw: String, into record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let latitude = plan.latitudeOutput, let longitude = plan.longitudeOutput, let column = plan.packedColumn else { return }
        let text = Width.narrowed(Whitespace.trimmed(raw))
        let parts = text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" || $0 == "/" }).map(String.init)
        guard parts.count == 2, parts.allSatisfy(NumberValue.isDecimal), let a = Double(parts[0]), let b = Double(parts[1]) else {
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
        // The order is decided by Japan's ranges when they tell; otherwise "lat,lon" as the column's name says.
        let latitudeFirst = !(DatasetReader.japanLongitudes.contains(a) && DatasetReader.japanLatitudes.contains(b))
        record.values[latitude] = latitudeFirst ? parts[0] : parts[1]
        record.values[longitude] = latitudeFirst ? parts[1] : parts[0]
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
                        before: row.cells[column]
                    )
                )
            }
        }
        guard numbers.count == 2 else { return }
        var zone: Int?
        if let zoneColumn = plan.zoneColumn, case let text = cell(zoneColumn), !text.isEmpty {
            zone = PlanePoint.zone(from: text)
            if zone == nil {
                findingBuffer.append(
                    Finding(
                        .coordinateZoneInvalid,
                        .error,
                        line: record.line,
                        column: header[zoneColumn],
                        message: "座標系番号 must be a zone 1–19 (I–XIX)",
                        before: row.cells[zoneColumn]
                    )
                )
            }
        }
        record.planePoint = PlanePoint(x: numbers[0], y: numbers[1], zone: zone)
    }

    static let japanLatitudes = 20.0...46.0
    static let japanLongitudes = 122.0...154.0

    private func checkCoordinates(_ record: inout NormalizedRecord, _ findingBuffer: inout [Finding]) {
        guard let latitudeIndex = plan.latitudeOutput, let longitudeIndex = plan.longitudeOutput,
            plan.presentFields.contains(latitudeIndex) || plan.presentFields.contains(longitudeIndex)
        else { return }
        let latitudeName = fieldNames[latitudeIndex]
        let longitudeName = fieldNames[longitudeIndex]
        let latitudeText = record.values[latitudeIndex]
        let longitudeText = record.values[longitudeIndex]
        let latitudeColumn = inputColumn(for: latitudeIndex) ?? latitudeName
        let longitudeColumn = inputColumn(for: longitudeIndex) ?? longitudeName
        let line = record.line

        if latitudeText.isEmpty && longitudeText.isEmpty {
            // Plane rectangular X/Y stand in for them; CivicGeo reprojects and reports.
            if record.planePoint != nil { return }
            findingBuffer.append(
                Finding(
                    .coordinatesMissing,
                    .warning,
                    line: line,
                    column: latitudeColumn,
                    field: latitudeName,
                    message: "no coordinates; the record is left out of GeoJSON"
                )
            )
            return
        }
        if latitudeText.isEmpty || longitudeText.isEmpty {
            findingBuffer.append(
                Finding(
                    .coordinatesIncomplete,
                    .error,
                    line: line,
                    column: latitudeText.isEmpty ? latitudeColumn : longitudeColumn,
                    field: latitudeText.isEmpty ? latitudeName : longitudeName,
                    message: "only one of 緯度/経度 is given; the record is left out of GeoJSON"
                )
            )
            return
        }
        var parsed: [Double] = []
        for (text, column, field) in [(latitudeText, latitudeColumn, latitudeName), (longitudeText, longitudeColumn, longitudeName)] {
            if NumberValue.isDecimal(text), let number = Double(text) {
                parsed.append(number)
            } else {
                findingBuffer.append(
                    Finding(
                        .coordinateNotNumber,
                        .error,
                        line: line,
                        column: column,
                        field: field,
                        message: "not a decimal number (degrees); the record is left out of GeoJSON",
                        before: text
                    )
                )
            }
        }
        guard parsed.count == 2 else { return }
        var (latitude, longitude) = (parsed[0], parsed[1])

        if !DatasetReader.japanLatitudes.contains(latitude) || !DatasetReader.japanLongitudes.contains(longitude) {
            if DatasetReader.japanLatitudes.contains(longitude) && DatasetReader.japanLongitudes.contains(latitude) {
                findingBuffer.append(
                    Finding(
                        .coordinatesSwapped,
                        .fixed,
                        line: line,
                        column: latitudeColumn,
                        field: latitudeName,
                        message: "緯度 and 経度 were swapped; exchanged",
                        before: latitudeText,
                        after: longitudeText
                    )
                )
                findingBuffer.append(
                    Finding(
                        .coordinatesSwapped,
                        .fixed,
                        line: line,
                        column: longitudeColumn,
                        field: longitudeName,
                        message: "緯度 and 経度 were swapped; exchanged",
                        before: longitudeText,
                        after: latitudeText
                    )
                )
                record.values[latitudeIndex] = longitudeText
                record.values[longitudeIndex] = latitudeText
                swap(&latitude, &longitude)
            } else if !(-90.0...90.0).contains(latitude) || !(-180.0...180.0).contains(longitude) {
                let badLatitude = !(-90.0...90.0).contains(latitude)
                findingBuffer.append(
                    Finding(
                        .coordinateOutOfRange,
                        .error,
                        line: line,
                        column: badLatitude ? latitudeColumn : longitudeColumn,
                        field: badLatitude ? latitudeName : longitudeName,
                        message: "\(badLatitude ? "緯度 outside −90…90" : "経度 outside −180…180"); the record is left out of GeoJSON",
                        before: badLatitude ? latitudeText : longitudeText
                    )
                )
                return
            } else {
                findingBuffer.append(
                    Finding(
                        .coordinatesOutsideJapan,
                        .error,
                        line: line,
                        column: latitudeColumn,
                        field: latitudeName,
                        message: "the point is outside Japan (緯度 20–46, 経度 122–154); the record is left out of GeoJSON",
                        before: "\(latitudeText),\(longitudeText)"
                    )
                )
                return
            }
        }
        record.latitude = latitude
        record.longitude = longitude
    }

    private func checkRequired(_ record: NormalizedRecord, _ findingBuffer: inout [Finding]) {
        for (index, severity) in requiredFields where record.values[index].isEmpty {
            findingBuffer.append(
                Finding(
                    .cellRequired,
                    severity,
                    line: record.line,
                    column: inputColumn(for: index),
                    field: fieldNames[index],
                    message: "\(fieldNames[index]) is required (◎ 必須\(severity == .warning ? ", inferred" : "")) but empty"
                )
            )
        }
    }

    /// The ID column and the `constraints.unique` columns: one hash per value seen.
    private lazy var uniqueValues = UniqueValues(plan: plan, fields: schema.fields, inputColumns: inputColumns)

    private func inputColumn(for output: Int) -> String? { inputColumns[output] }
}

@available(*, unavailable)
extension DatasetReader: Sendable {}
