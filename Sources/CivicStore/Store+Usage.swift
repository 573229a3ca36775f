public import Foundation
import GRDB

/// A dataset's usage (a day's, or summed over days): downloads, API requests, and how many of them were answered
/// 304 Not Modified.
public struct UsageCount: Sendable, Equatable, Codable {
    public var downloads = 0
    public var apiRequests = 0
    public var notModified = 0

    public init(downloads: Int = 0, apiRequests: Int = 0, notModified: Int = 0) {
        self.downloads = downloads
        self.apiRequests = apiRequests
        self.notModified = notModified
    }

    public mutating func add(_ other: UsageCount) {
        downloads += other.downloads
        apiRequests += other.apiRequests
        notModified += other.notModified
    }
}

/// One dataset's usage on one day.
public struct UsageRow: Sendable, Equatable {
    /// YYYY-MM-DD (Japan's day).
    public var day: String
    public var dataset: String
    public var count: UsageCount

    public init(day: String, dataset: String, count: UsageCount) {
        self.day = day
        self.dataset = dataset
        self.count = count
    }
}

/// Usage counts by day and dataset (migration v13's `usage_daily`): no personal data, only counts.
public protocol UsageStore: Sendable {
    /// Adds counts to what the store holds, in one transaction.
    func addUsage(_ rows: [UsageRow]) throws
    /// The counts of every day since `day` (YYYY-MM-DD, inclusive), oldest first.
    func usage(since day: String) throws -> [UsageRow]
}

extension Store: UsageStore {
    public func addUsage(_ rows: [UsageRow]) throws {
        guard !rows.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO usage_daily (day, dataset_id, downloads, api_requests, not_modified) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (day, dataset_id) DO UPDATE SET downloads = downloads + excluded.downloads,
                        api_requests = api_requests + excluded.api_requests, not_modified = not_modified + excluded.not_modified
                    """
            )
            for row in rows {
                try statement.execute(arguments: [row.day, row.dataset, row.count.downloads, row.count.apiRequests, row.count.notModified])
            }
        }
    }

    public func usage(since day: String) throws -> [UsageRow] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT day, dataset_id, downloads, api_requests, not_modified FROM usage_daily WHERE day >= ? ORDER BY day, dataset_id",
                arguments: [day]
            ).map { UsageRow(day: $0[0], dataset: $0[1], count: UsageCount(downloads: $0[2], apiRequests: $0[3], notModified: $0[4])) }
        }
    }
}
