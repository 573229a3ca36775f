import ArgumentParser
import CivicData
import CivicExcel
import CivicGeo
import CivicIngest
import Foundation

/// Options every reading command takes.
struct InputOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "標準データセット Standard dataset id (aed, evacuation_space, public_toilet …; see `civic datasets`). Default: recognised from the header.",
            valueName: "id"
        )
    )
    var dataset: String?

    @Option(
        name: .long,
        help: ArgumentHelp("文字コード Input encoding: utf-8, cp932 (Shift_JIS), utf-16le, utf-16be. Default: detected.", valueName: "encoding")
    )
    var encoding: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "座標参照系 The coordinates' CRS: EPSG:6668 (JGD2011), EPSG:4301 (日本測地系), EPSG:6669…6687 (平面直角座標系 I–XIX), OGC:CRS84 …. Default: from dataset.json, a 座標系/測地系 column (row by row), the municipality, else JGD2011.",
            valueName: "crs"
        )
    )
    var fromCRS: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "シート For .xlsx/.xls workbooks: the worksheet's name or number (default: the first visible sheet).",
            valueName: "name|index"
        )
    )
    var sheet: String?

    @OptionGroup var schemaOptions: SchemaOptions

    @Flag(
        name: .long,
        help: "ジオメトリ修復 GeoJSON: make geometries GEOS finds invalid valid (GEOSMakeValid), each repair reported; without it they are only reported."
    )
    var repairGeometry = false
    @Option(
        name: .long,
        help: ArgumentHelp(
            "スレッド数 1 reads on one thread; 2 (default) decodes and parses CSV on a second thread, beside validation and writing. The output and the report are the same.",
            valueName: "n"
        )
    )
    var threads = 2

    @Flag(name: .long, help: "セルの値をレポートに含める Put cell values in the report (they may hold personal data).")
    var showValues = false

    /// How to read `path`: its `dataset.json` (when one in its folder names it), with the flags over it. `target`
    /// is the CRS coordinates are georeferenced into.
    func ingestOptions(for path: String, target: CRS = .crs84) throws -> IngestOptions {
        let catalog = try schemaOptions.catalog()
        var options = IngestOptions(read: ReadOptions(catalog: catalog))
        if path != "-" {
            let url = URL(fileURLWithPath: path)
            if let descriptor = try DatasetDescriptor.declaring(url) {
                options = try IngestOptions(descriptor: descriptor, directory: url.deletingLastPathComponent(), catalog: catalog)
            }
        }
        guard threads >= 1 else { throw ValidationError("--threads \(threads): give 1 or more") }
        options.read.readAhead = threads > 1
        if let dataset { options.read.dataset = dataset }
        if let encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw ValidationError("unknown encoding '\(encoding)'; use utf-8, cp932, utf-16le or utf-16be")
            }
            options.read.encoding = parsed
        }
        if let sheet { options.sheet = Workbook.SheetSelector(sheet) }
        var georeferencing = options.georeferencing ?? Georeferencer.Options()
        georeferencing.target = target
        if let fromCRS {
            georeferencing.declared = try CRS(parsing: fromCRS)
            georeferencing.declaredBy = "--from-crs"
        }
        options.georeferencing = georeferencing
        options.repairGeometry = repairGeometry
        return options
    }
}

/// `--schemas DIR`, on every command that reads or serves datasets.
struct SchemaOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "スキーマ A folder of *.schema.json merged over the bundled schemas (the same id overrides): local datasets, stricter rules.",
            valueName: "dir"
        )
    )
    var schemas: String?

    /// The folder, when given.
    var directory: URL? { schemas.map { URL(fileURLWithPath: $0) } }

    /// The schemas to recognise files with: the bundled ones, with --schemas merged over them.
    func catalog() throws -> SchemaCatalog {
        try directory.map { try SchemaCatalog.bundled.merging(directory: $0) } ?? .bundled
    }
}

/// Exit statuses: 0 valid, 1 invalid, 2 could not read.
enum Status {
    static let valid = ExitCode(0)
    static let invalid = ExitCode(1)
    static let unreadable = ExitCode(2)
}
