public import CivicStore
import Foundation
public import Hummingbird
public import Logging

/// The server's application for a store: routes, CORS, request logs, errors as JSON. Tests call this with
/// `app.test(.router)`; `runServer` runs it.
public func buildApplication(
    configuration: ServerConfiguration,
    store: Store,
    logger: Logger = Logger(label: "civic")
) throws -> some ApplicationProtocol {
    let catalogue = Catalogue(datasets: try store.datasets())
    let delivery = Delivery(loadedAt: catalogue.datasets.compactMap { ISO8601DateFormatter().date(from: $0.loadedAt) }.max() ?? Date())
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: APIMiddleware())
    if let leaflet = configuration.mapLibraryDirectory {
        // Leaflet from a local folder (Debian's libjs-leaflet by default), so the map works offline.
        router.add(
            middleware: FileMiddleware(
                leaflet,
                urlBasePath: "/static/leaflet",
                cacheControl: .init([(MediaType(type: .any), [.maxAge(86400), .public])])
            )
        )
    }
    if configuration.cors {
        router.add(
            middleware: CORSMiddleware(
                allowOrigin: .all,
                allowHeaders: [.accept, .contentType, .ifNoneMatch],
                allowMethods: [.get, .head, .post, .options]
            )
        )
    }
    router.get("/health") { request, _ in
        try delivery.respond(request, cacheable: false) {
            try jsonPayload(["status": "ok", "datasets": catalogue.datasets.count, "collections": catalogue.collections.count])
        }
    }
    FeaturesController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery).addRoutes(to: router)
    DownloadsController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery).addRoutes(to: router)
    CKANController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery).addRoutes(to: router)
    DCATController(catalogue: catalogue, configuration: configuration, delivery: delivery).addRoutes(to: router)
    return Application(
        responder: HeadAsGet(wrapped: router.buildResponder()),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Civic"),
        logger: logger
    )
}

/// Loads the datasets into the store (skipping unchanged ones) and serves until SIGINT/SIGTERM.
public func runServer(configuration: ServerConfiguration) async throws {
    var logger = Logger(label: "civic")
    logger.logLevel = configuration.logLevel
    let store = try configuration.databasePath.map { try Store(path: $0) } ?? Store.inMemory()
    let started = Date()
    let summary = try store.load(directory: configuration.dataDirectory)
    logger.info(
        "datasets loaded",
        metadata: [
            "loaded": .stringConvertible(summary.loaded.count),
            "unchanged": .stringConvertible(summary.unchanged.count),
            "removed": .stringConvertible(summary.removed.count),
            "failed": .stringConvertible(summary.failed.count),
            "seconds": .stringConvertible((Date().timeIntervalSince(started) * 1000).rounded() / 1000),
        ]
    )
    for (id, reason) in summary.failed { logger.error("dataset not loaded", metadata: ["dataset": .string(id), "reason": .string(reason)]) }
    let app = try buildApplication(configuration: configuration, store: store, logger: logger)
    try await app.runService()
}
