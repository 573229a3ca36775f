/// What a caller can set so that a file that could not be read as it was can be read: the library names the setting
/// and a value to try, and each caller phrases it in its own terms — the command line as a flag (`--encoding cp932`),
/// the server as a key of the dataset's `dataset.json` (`"encoding": "cp932"`).
public struct Remedy: Sendable, Hashable, CustomStringConvertible {
    /// A setting of a read.
    public struct Setting: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable { case dataset, encoding, sourceCRS, sheet }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }
        /// The standard dataset the file is (`ReadOptions.dataset`).
        public static let dataset = Setting(.dataset)
        /// The text encoding (`ReadOptions.encoding`).
        public static let encoding = Setting(.encoding)
        /// The CRS of the coordinates (`Georeferencer.Options.declared`).
        public static let sourceCRS = Setting(.sourceCRS)
        /// The worksheet of a workbook.
        public static let sheet = Setting(.sheet)
        public var description: String { wrapped.rawValue }
    }

    public var setting: Setting
    /// A value to try, when one is known (`cp932`, `EPSG:6677`).
    public var value: String?
    /// Values to choose from, when the setting takes one of a list (dataset ids, sheet names).
    public var choices: [String]

    public init(_ setting: Setting, value: String? = nil, choices: [String] = []) {
        self.setting = setting
        self.value = value
        self.choices = choices
    }

    /// In neutral words: "set the encoding to cp932", "name the dataset (one of aed, …)".
    public var description: String {
        let what: String
        switch setting {
        case .dataset: what = "name the standard dataset"
        case .encoding: what = "set the encoding"
        case .sourceCRS: what = "declare the coordinates' CRS"
        default: what = "choose the sheet"
        }
        return what + (value.map { " (\($0))" } ?? "") + (choices.isEmpty ? "" : " (one of \(choices.joined(separator: ", ")))")
    }
}

extension Remedy {
    /// The remedy in a caller's words: `names` gives its name for each setting (a flag, a descriptor key), `value`
    /// how it says "set this to that", `choices` how it says "set this to one of these".
    public func phrased(names: [Setting: String], value: (String, String) -> String, choices: (String, [String]) -> String) -> String {
        let name = names[setting] ?? setting.description
        if let known = self.value { return value(name, known) }
        if !self.choices.isEmpty { return choices(name, self.choices) }
        return value(name, "…")
    }
}

/// An error that says which setting would let the read go through.
public protocol RemedySuggesting: Error {
    var remedy: Remedy? { get }
}
