public import CivicData
public import CivicStore
import Foundation
public import Hummingbird
public import Logging
import NIOCore
import NIOPosix

/// The server's application for a store: routes, CORS, request logs, errors as JSON. Tests call this with
/// `app.test(.router)`; `runServer` runs it.
public func buildApplication(
    configuration: ServerConfiguration,
    store: Store,
    logger: Logger = Logger(label: "civic")
) throws -> some ApplicationProtocol {
    buildApplication(site: try Site(configuration: configuration, store: store), logger: logger)
}

/// The application over a site whose routes may be swapped while it runs (background loads).
public func buildApplication(site: Site, logger: Logger = Logger(label: "civic")) -> some ApplicationProtocol {
    Application(
        responder: HeadAsGet(wrapped: SiteResponder(site: site)),
        // Handlers made for each connection (DirectAnswers keeps the connection's state).
        server: .http1(
            configuration: .init(additionalChannelHandlers: [
                ExpectContinueHandler(maximumBodyBytes: site.configuration.maximumUploadBytes), DirectAnswers(site: site, logger: logger),
            ])
        ),
        configuration: .init(address: .hostname(site.configuration.host, port: site.configuration.port), serverName: "Civic"),
        logger: logger
    )
}

/// Opens the store and serves it at once, loading the data folder's new and changed datasets in the background
/// (each switches to its new version when its load commits), until SIGINT/SIGTERM.
///
/// A data folder that cannot be used (missing, unreadable, empty) removes nothing: with datasets in the store the
/// server serves them and reports the error on `/health`; with an empty store it stops with the error.
public func runServer(configuration: ServerConfiguration) async throws {
    // Handlers run on Swift's concurrency pool, not on NIO's event loops installed as the global executor: that
    // saved a hop per request (about 11 % of an uncached page's CPU) but made swift-async-algorithms' `merge` (which
    // holds a lock across `withUnsafeThrowingContinuation`; Hummingbird's date cache and graceful shutdown use it)
    // deadlock an event loop — a server that did not stop on SIGTERM (docs/performance.md; swift-nio#3454 describes
    // the pattern). Work that blocks long — loads, uploads — runs on threads of its own.
    var logger = Logger(label: "civic")
    logger.logLevel = configuration.logLevel
    let store = try configuration.databasePath.map { try Store(path: $0) } ?? Store.inMemory()
    let catalog = try configuration.schemaCatalog()
    let status = LoadStatus()
    var sync = DataFolderSync(directory: configuration.dataDirectory, store: store, catalog: catalog, status: status, logger: logger)
    sync.catalogDigest = DataFolderSync.digest(ofSchemaFolder: configuration.schemasDirectory)
    do {
        _ = try sync.scan()
    } catch {
        if try store.datasets().isEmpty { throw error }
        logger.error("data folder not usable; serving the datasets in the store", metadata: ["reason": .string("\(error)")])
    }
    let site = try Site(configuration: configuration, store: store, status: status)
    status.update { $0.syncing = true }
    let grace = configuration.retiredVersionGrace
    let syncLogger = logger
    // Loading is CPU work that blocks: a thread of its own, not the concurrency pool the requests run on.
    let thread = Thread { [sync] in
        // Versions left by a crash are unreachable: collect them first.
        _ = try? store.collectGarbage()
        sync.run {
            do { try site.refresh() } catch { syncLogger.error("catalogue not refreshed", metadata: ["reason": .string("\(error)")]) }
        }
        try? site.refresh()
        let summary = status.current
        syncLogger.info(
            "data folder loaded",
            metadata: [
                "loaded": .stringConvertible(summary.loaded.count), "removed": .stringConvertible(summary.removed.count),
                "failed": .stringConvertible(summary.failures.count),
            ]
        )
        // Replaced versions stay readable a while for requests (long downloads) that started before the switch.
        Thread.sleep(forTimeInterval: grace)
        _ = try? store.collectGarbage()
    }
    thread.name = "civic-load"
    thread.start()
    if let harvest = configuration.harvest {
        let schedule = HarvestSchedule(
            configuration: harvest,
            interval: configuration.harvestInterval,
            grace: grace,
            store: store,
            catalog: catalog,
            logger: logger
        )
        Task { await schedule.run(refreshing: site) }
    }
    let served = try store.datasets().count
    logger.notice("serving", metadata: ["datasets": .stringConvertible(served)])
    // Usage counts go to the store every half minute, and when the server stops.
    let usage = Task {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(UsageCounter.flushInterval * 1e9))
            site.usage.flush(to: store)
        }
    }
    defer {
        usage.cancel()
        site.usage.flush(to: store)
    }
    try await buildApplication(site: site, logger: logger).runService()
}
