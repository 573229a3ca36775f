public import CivicData
public import CivicExcel
public import CivicGeo
public import Foundation

/// How `Ingest` reads one file: what it is (dataset, encoding, sheet, schemas), where its coordinates come from,
/// and what to make of them.
public struct IngestOptions: Sendable {
    /// The dataset, encoding, delimiter and the schemas to recognise it with.
    public var read: ReadOptions
    /// The worksheet, for workbooks.
    public var sheet: Workbook.SheetSelector
    public var limits: WorkbookLimits
    /// Coordinates are georeferenced into `georeferencing.target` (CRS84 for GeoJSON); nil leaves them as read.
    public var georeferencing: Georeferencer.Options?
    /// When set (a projected CRS), two columns X座標/Y座標 in it are added to every record.
    public var projection: CRS?
    /// Geometries GEOS finds invalid are made valid (`GEOSMakeValid`) and the repair reported, instead of only being
    /// reported (`--repair-geometry`).
    public var repairGeometry = false

    public init(
        read: ReadOptions = ReadOptions(),
        sheet: Workbook.SheetSelector = .first,
        limits: WorkbookLimits = WorkbookLimits(),
        georeferencing: Georeferencer.Options? = Georeferencer.Options(),
        projection: CRS? = nil
    ) {
        self.read = read
        self.sheet = sheet
        self.limits = limits
        self.georeferencing = georeferencing
        self.projection = projection
    }

    /// The options a dataset's `dataset.json` declares: dataset, encoding, sheet, CRS, municipality, and its own
    /// schema (a file relative to the descriptor, added over `catalog`). `directory` is the descriptor's folder.
    public init(descriptor: DatasetDescriptor, directory: URL, catalog: SchemaCatalog = .bundled) throws {
        var read = ReadOptions(dataset: descriptor.dataset, catalog: catalog)
        if let encoding = descriptor.encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw IngestError(
                    code: .badDescriptor,
                    message: "\"encoding\": \"\(encoding)\" is not an encoding; use utf-8, cp932, utf-16le or utf-16be",
                    file: DatasetDescriptor.fileName
                )
            }
            read.encoding = parsed
        }
        if let schemaPath = descriptor.schema {
            let url = directory.appendingPathComponent(schemaPath)
            let schema: Schema
            do {
                schema = try Schema.decode(json: Data(contentsOf: url))
            } catch {
                throw IngestError(
                    code: .badDescriptor,
                    message: "\"schema\": \"\(schemaPath)\": \(error)",
                    file: DatasetDescriptor.fileName,
                    cause: error
                )
            }
            read.catalog = read.catalog.adding(schema)
            if read.dataset == nil { read.dataset = schema.id }
        }
        var georeferencing = Georeferencer.Options(municipalityCode: descriptor.municipalityCode, target: .crs84)
        if let crs = descriptor.crs {
            do {
                georeferencing.declared = try CRS(parsing: crs)
            } catch {
                throw IngestError(code: .badDescriptor, message: "\"crs\": \"\(crs)\": \(error)", file: DatasetDescriptor.fileName, cause: error)
            }
            georeferencing.declaredBy = "dataset.json"
        }
        self.init(read: read, sheet: descriptor.sheet.map(Workbook.SheetSelector.init) ?? .first, georeferencing: georeferencing)
        repairGeometry = descriptor.repairGeometry ?? false
    }
}

/// A descriptor's setting is unusable.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case badDescriptor, unreadableRecord }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// A `dataset.json` value that cannot be used.
        public static let badDescriptor = Code(.badDescriptor)
        /// A record written through the API that the pipeline cannot read as a row of its dataset.
        public static let unreadableRecord = Code(.unreadableRecord)
        public var description: String { wrapped.rawValue }
    }

    public var code: Code
    public var message: String
    public var file: String
    public var cause: (any Error)?

    public init(code: Code, message: String, file: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.cause = cause
    }

    public var description: String { "\(file): \(code): \(message)" }
}
