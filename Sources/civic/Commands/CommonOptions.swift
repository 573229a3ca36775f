import ArgumentParser
import CivicData

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

    @Flag(name: .long, help: "セルの値をレポートに含める Put cell values in the report (they may hold personal data).")
    var showValues = false

    func readOptions() throws -> ReadOptions {
        var options = ReadOptions(dataset: dataset)
        if let encoding {
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
