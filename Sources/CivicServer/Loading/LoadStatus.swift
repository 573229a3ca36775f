import Foundation
import Synchronization

/// What the server's loads are doing and what went wrong, for `/health`, the log and the dataset pages. Shared
/// between the loading thread and the request handlers.
final class LoadStatus: Sendable {
    struct Failure: Sendable, Equatable {
        /// The dataset's folder, relative to the data folder.
        var origin: String
        var message: String
        var at: Date
    }

    struct State: Sendable {
        /// The data folder cannot be used (missing, empty, unreadable): nothing was loaded or removed.
        var folderError: String?
        /// The dataset being loaded now.
        var loading: String?
        /// Datasets whose last load failed, by id (or by folder when the descriptor could not be read).
        var failures: [String: Failure] = [:]
        var syncing = false
        var lastSync: Date?
        var loaded: [String] = []
        var removed: [String] = []
    }

    private let state = Mutex(State())

    var current: State { state.withLock { $0 } }

    func update(_ change: (inout State) -> Void) { state.withLock { change(&$0) } }

    /// The failures by dataset id, as the pages show them.
    var failureMessages: [String: String] { state.withLock { $0.failures.mapValues(\.message) } }
}
