import Foundation

/// What one harvest of a source did, file by file: the per-source report (`civic harvest` prints it; the store keeps
/// it with the run).
public struct HarvestReport: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// A new local dataset, its release 1 from the file.
        case new
        /// The file changed: a new release.
        case changed
        /// The source answered 304, or the same bytes.
        case unchanged
        /// Not harvested this time (its last good release stays): why says what failed, and where.
        case failed
        /// A listed dataset with no table file (CSV, TSV, Excel, GeoJSON) the pipeline reads.
        case skipped
        /// No longer listed by the source; removed when the grace period ends.
        case missing
        /// Removed after the grace period (a tombstone in the catalogue's change feed).
        case deleted
    }

    public struct Item: Sendable, Codable, Equatable {
        public var outcome: Outcome
        /// The local dataset (nil when none was made).
        public var dataset: String?
        public var title: String?
        public var url: String?
        public var municipalityCode: String?
        /// Why it failed, was skipped, or when it will be removed.
        public var reason: String?
        /// What the pipeline found, for a file read: the standard dataset, layout, encoding, records, errors, warnings.
        public var standard: String?
        public var layout: String?
        public var encoding: String?
        public var format: String?
        public var records: Int?
        public var errors: Int?
        public var warnings: Int?
        /// The release made (new, changed).
        public var release: Int?
        /// Files of the dataset not harvested (a PDF, the same table as Excel when there is a CSV).
        public var leftAside: [String]?
        /// An unchanged file whose dataset's title, licence or source changed at the source: the live release took them.
        public var metadataUpdated: Bool?

        public init(outcome: Outcome, dataset: String? = nil, title: String? = nil, url: String? = nil, reason: String? = nil) {
            self.outcome = outcome
            self.dataset = dataset
            self.title = title
            self.url = url
            self.reason = reason
        }
    }

    public var source: String
    public var type: String
    public var url: String
    public var started: String
    public var finished: String
    public var seconds: Double
    /// The catalogue could not be read whole: nothing was marked missing or removed.
    public var gatherError: String?
    /// Datasets the source listed.
    public var listed: Int
    /// Requests made: catalogue pages and files.
    public var requests: Int
    /// Files downloaded whole (200), and answered 304 Not Modified.
    public var downloaded: Int
    public var notModified: Int
    public var bytes: Int
    public var counts: [String: Int]
    public var items: [Item]

    public func count(_ outcome: Outcome) -> Int { counts[outcome.rawValue] ?? 0 }

    /// True when the run wrote to the catalogue: a release, a removal, new metadata.
    public var changedCatalogue: Bool {
        count(.new) + count(.changed) + count(.deleted) > 0 || items.contains { $0.metadataUpdated == true }
    }

    /// One line a file and a summary, for the terminal.
    public var text: String {
        var lines = ["\(source) (\(type) \(url)): " + Outcome.allCases.map { "\(count($0)) \($0.rawValue)" }.joined(separator: ", ")]
        lines.append(
            "  listed \(listed), requests \(requests), downloaded \(downloaded), 304 \(notModified), \(bytes) bytes, "
                + String(format: "%.2f s", seconds)
        )
        if let gatherError { lines.append("  catalogue not read whole (nothing marked missing): \(gatherError)") }
        for item in items where item.outcome != .unchanged {
            var line = "  \(item.outcome.rawValue) \(item.dataset ?? "-")"
            if let standard = item.standard { line += " [\(standard)\(item.layout.map { " \($0)" } ?? "")]" }
            if let records = item.records { line += " \(records) records, \(item.errors ?? 0) errors, \(item.warnings ?? 0) warnings" }
            if let release = item.release { line += ", release \(release)" }
            if let reason = item.reason { line += ": \(reason)" }
            if let url = item.url { line += " <\(url)>" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
