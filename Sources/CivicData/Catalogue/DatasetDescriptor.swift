public import Foundation

/// A dataset declared by configuration: `dataset.json` next to its file (pygeoapi's providers, STYLE.md §3.2).
///
/// ```json
/// {"id": "yaizu-aed", "title": "焼津市 AED設置箇所一覧", "municipalityCode": "222127", "dataset": "aed",
///  "file": "data.csv", "crs": "EPSG:6668", "license": "CC-BY-4.0", "attribution": "出典：焼津市"}
/// ```
public struct DatasetDescriptor: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    /// 全国地方公共団体コード of the publisher (6 digits).
    public var municipalityCode: String?
    public var municipality: String?
    /// The standard dataset id (`aed` …); nil to recognise it.
    public var dataset: String?
    /// The data file, relative to the descriptor: CSV, or an .xlsx workbook.
    public var file: String
    /// For workbooks: the worksheet's name or 1-based number (default: the first visible sheet).
    public var sheet: String?
    /// The coordinates' CRS (`EPSG:6677`, `OGC:CRS84` …); nil to detect.
    public var crs: String?
    /// The file's encoding when detection is not wanted (`cp932` …).
    public var encoding: String?
    /// A schema of the dataset's own (a `*.schema.json` path relative to the descriptor): the file is read with it,
    /// added over the bundled and configured schemas (the same id overrides).
    public var schema: String?
    public var license: String?
    public var licenseNote: String?
    public var attribution: String?
    public var source: String?
    /// Last update of the data, YYYY-MM-DD.
    public var updated: String?
    /// How often the publisher updates it (`monthly`, `毎月`, an EU frequency IRI …; `UpdateFrequency`): the freshness
    /// KPI says whether it is overdue.
    public var updateFrequency: String?
    /// GeoJSON: make invalid geometries valid with GEOS (reported), as `--repair-geometry` does.
    public var repairGeometry: Bool?

    public static let fileName = "dataset.json"

    /// Reads a descriptor.
    public static func load(_ url: URL) throws -> DatasetDescriptor {
        do {
            return try JSONDecoder().decode(DatasetDescriptor.self, from: Data(contentsOf: url))
        } catch {
            throw SchemaError(code: .malformed, message: "\(url.path): not a dataset descriptor: \(error)", cause: error)
        }
    }

    /// The descriptor that declares `file` (a `dataset.json` in the same folder naming it), if any.
    public static func declaring(_ file: URL) throws -> DatasetDescriptor? {
        let candidate = file.deletingLastPathComponent().appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: candidate.path) else { return nil }
        let descriptor = try load(candidate)
        return descriptor.file == file.lastPathComponent ? descriptor : nil
    }
}
