import CivicData
import CivicStore
import Foundation
import Synchronization

/// The size in bytes of each dataset's CSV download (UTF-8, no byte order mark: what `/datasets/{id}.csv` sends), for
/// CKAN's resource `size` and DCAT's `dcat:byteSize`. Measured in the background by writing the CSV as the download
/// does (a page of records at a time, nothing kept but the count) whenever the live revision is one not measured yet;
/// until then the size is unknown (null), never a guess. Shelter status tables, whose records change by the minute,
/// are not measured. A dataset of more than `measuredAtOnce` records is measured once its revision has stayed live
/// `settleSeconds`: one edited record by record (each edit is a new revision) would otherwise be written whole again
/// after every edit — for 1,000,000 records, six seconds of a core each time, slowing every reader and writer.
final class DownloadSizes: Sendable {
    private let sizes = Mutex<[String: Int]>([:])
    private let running = Mutex(false)
    let measuredAtOnce: Int
    let settleSeconds: TimeInterval

    init(measuredAtOnce: Int = 50_000, settleSeconds: TimeInterval = 60) {
        self.measuredAtOnce = measuredAtOnce
        self.settleSeconds = settleSeconds
    }

    /// The CSV's size of `dataset`'s revision, when measured.
    func csvBytes(_ dataset: StoredDataset) -> Int? { sizes.withLock { $0[dataset.revision] } }

    /// Measures, on a thread of its own, the live revisions of `store` not measured yet (one pass at a time: a pass
    /// asked for while one runs is the running pass's next round).
    func measure(_ store: Store) {
        let start = running.withLock { running -> Bool in
            defer { running = true }
            return !running
        }
        guard start else { return }
        let thread = Thread { [self] in
            // When this pass first saw each revision (a pass ends only when every live revision is measured).
            var firstSeen: [String: Date] = [:]
            while true {
                let datasets = (try? store.datasets()) ?? []
                let missing = sizes.withLock { sizes in
                    datasets.filter { $0.standard != ShelterStatus.schemaID && sizes[$0.revision] == nil }
                }
                if missing.isEmpty { break }
                let now = Date()
                let due = missing.filter { dataset in
                    let since = firstSeen[dataset.revision] ?? now
                    firstSeen[dataset.revision] = since
                    return dataset.recordCount <= measuredAtOnce || now.timeIntervalSince(since) >= settleSeconds
                }
                for dataset in due {
                    let bytes = (try? DownloadSizes.measure(dataset, store: store)) ?? nil
                    sizes.withLock { $0[dataset.revision] = bytes ?? -1 }
                }
                // Revisions no longer live are forgotten.
                let live = Set(datasets.map(\.revision))
                sizes.withLock { sizes in sizes = sizes.filter { live.contains($0.key) } }
                firstSeen = firstSeen.filter { live.contains($0.key) }
                // Large revisions not yet settled: looked at again shortly.
                if due.isEmpty { Thread.sleep(forTimeInterval: min(settleSeconds, 5)) }
            }
            running.withLock { $0 = false }
        }
        thread.name = "civic-sizes"
        thread.qualityOfService = .background
        thread.start()
    }

    /// The bytes of the dataset's CSV as the download writes it; nil when its version went meanwhile.
    static func measure(_ dataset: StoredDataset, store: Store) throws -> Int? {
        let output = ByteWriter()
        let writer = try CSVWriter(output: output, encoding: .utf8, byteOrderMark: false)
        try writer.writeHeader(DownloadsController.columns(dataset))
        var offset = 0
        var bytes = 0
        while true {
            let page: FeaturePage
            do {
                page = try store.features(in: .dataset(dataset), limit: 2000, offset: offset)
            } catch let error as StoreError where error.code == .versionGone {
                return nil
            }
            for feature in page.features { try writer.writeRow(DownloadsController.row(feature, dataset), line: feature.line) }
            bytes += output.takeBytes().count
            offset += page.features.count
            if page.features.isEmpty { break }
        }
        try writer.finish()
        return bytes + output.takeBytes().count
    }
}
