import ArgumentParser
import CivicData
import CivicExcel
import CivicGeo
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
            "座標参照系 The coordinates' CRS: EPSG:6668 (JGD2011), EPSG:4301 (日本測地系), EPSG:6669…6687 (平面直角座標系 I–XIX), OGC:CRS84 …. Default: from dataset.json, a 座標系番号/測地系 column, the municipality, else JGD2011.",
            valueName: "crs"
        )
    )
    var fromCRS: String?

    @Option(
        name: .long,
        help: ArgumentHelp("シート For .xlsx workbooks: the worksheet's name or number (default: the first visible sheet).", valueName: "name|index")
    )
    var sheet: String?

    @Flag(name: .long, help: "セルの値をレポートに含める Put cell values in the report (they may hold personal data).")
    var showValues = false

    /// The `dataset.json` next to the file that names it, if any (not for standard input).
    func descriptor(for path: String) throws -> DatasetDescriptor? {
        path == "-" ? nil : try DatasetDescriptor.declaring(URL(fileURLWithPath: path))
    }

    /// Georeferencing options: --from-crs, else the descriptor's crs and municipality.
    func georeferencing(for path: String, target: CRS = .crs84) throws -> Georeferencer.Options {
        let descriptor = try descriptor(for: path)
        var options = Georeferencer.Options(municipalityCode: descriptor?.municipalityCode, target: target)
        if let fromCRS {
            options.declared = try CRS(parsing: fromCRS)
            options.declaredBy = "--from-crs"
        } else if let crs = descriptor?.crs {
            options.declared = try CRS(parsing: crs)
            options.declaredBy = "dataset.json"
        }
        return options
    }

    /// The worksheet to read: --sheet, else the descriptor's, else the first visible one.
    func sheetSelector(for path: String) throws -> Workbook.SheetSelector {
        if let sheet { return Workbook.SheetSelector(sheet) }
        return try descriptor(for: path)?.sheet.map(Workbook.SheetSelector.init) ?? .first
    }

    func readOptions(for path: String = "-") throws -> ReadOptions {
        let descriptor = try descriptor(for: path)
        var options = ReadOptions(dataset: dataset ?? descriptor?.dataset)
        if let encoding = encoding ?? descriptor?.encoding {
            guard let parsed = TextEncoding(name: encoding) else {
                throw ValidationError("unknown encoding '\(encoding)'; use utf-8, cp932, utf-16le or utf-16be")
            }
            options.encoding = parsed
        }
        return options
    }
}

/// Exit statuses: 0 valid, 1 invalid, 2 could not read.
enum Status {
    static let valid = ExitCode(0)
    static let invalid = ExitCode(1)
    static let unreadable = ExitCode(2)
}
