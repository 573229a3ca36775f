import CivicData
public import CivicStore
import Foundation
import Hummingbird
import Logging
import Synchronization

/// What the server serves at a moment: the routes built for one snapshot of the store's catalogue. When a load
/// commits (or fails), `refresh` builds the routes for the new snapshot and swaps them in; a request is answered
/// entirely by the routes it started with, so it sees one version of each dataset, never a mix, and the response
/// cache (kept per snapshot) never serves a page of the old data after the switch.
public final class Site: Sendable {
    let store: Store
    let configuration: ServerConfiguration
    let status: LoadStatus
    /// The routes, and the response cache they answer from.
    private let responder: Mutex<(routes: RouterResponder<CivicRequestContext>, delivery: Delivery)>
    /// Bumped at each refresh; for tests and logs.
    private let generation = Mutex(0)
    private let hook: RefreshHook
    /// The shelter lists' status tables, kept in step at every refresh.
    private let statusTables: StatusTables
    /// The change feed's live subscribers, told after every write.
    let hub: ChangeHub
    /// Downloads and API requests per dataset per day, kept across refreshes (docs/kpi.md).
    let usage = UsageCounter()
    /// The CSV downloads' sizes (CKAN's resource `size`), kept across refreshes.
    let sizes = DownloadSizes()

    /// A site over `store`'s current catalogue.
    public convenience init(configuration: ServerConfiguration, store: Store) throws {
        try self.init(configuration: configuration, store: store, status: LoadStatus())
    }

    init(configuration: ServerConfiguration, store: Store, status: LoadStatus) throws {
        self.store = store
        self.configuration = configuration
        self.status = status
        let hook = RefreshHook()
        self.hook = hook
        statusTables = StatusTables(store: store)
        statusTables.sync(reportingTo: status)
        let hub = ChangeHub(store: store)
        self.hub = hub
        responder = Mutex(
            try Site.routes(configuration: configuration, store: store, status: status, hook: hook, hub: hub, usage: usage, sizes: sizes)
        )
        hub.start()
        sizes.measure(store)
        hook.site.withLock { $0 = WeakSite(site: self) }
    }

    /// Lets the routes refresh the site they belong to (after a publish, after a record edit) without holding it.
    final class RefreshHook: Sendable {
        let site = Mutex<WeakSite?>(nil)
        @Sendable func callAsFunction() { try? site.withLock { $0?.site }?.refresh() }
        @Sendable func edited(_ edit: EditedRecords) { try? site.withLock { $0?.site }?.refresh(after: edit) }
    }

    struct WeakSite: Sendable {
        weak var site: Site?
    }

    /// Rebuilds the routes from the store's catalogue as it is now.
    public func refresh() throws {
        statusTables.sync(reportingTo: status)
        let routes = try Site.routes(configuration: configuration, store: store, status: status, hook: hook, hub: hub, usage: usage, sizes: sizes)
        responder.withLock { $0 = routes }
        generation.withLock { $0 += 1 }
        hub.signal()
        sizes.measure(store)
    }

    /// Rebuilds the routes after a record edit, keeping the cached responses the edit leaves right.
    func refresh(after edit: EditedRecords) throws {
        // An edit of a shelter list may add a shelter or move one: its status table follows, and then the whole
        // catalogue is new. Other edits (a status update among them) leave every list as it was.
        if ShelterStatus.shelterSchemas.contains(edit.standard), statusTables.sync(reportingTo: status) { return try refresh() }
        let old = responder.withLock { $0.delivery }
        let routes = try Site.routes(
            configuration: configuration,
            store: store,
            status: status,
            hook: hook,
            hub: hub,
            usage: usage,
            sizes: sizes,
            carrying: (old, edit)
        )
        responder.withLock { $0 = routes }
        generation.withLock { $0 += 1 }
        hub.signal()
    }

    /// How many times the routes were rebuilt.
    public var refreshes: Int { generation.withLock { $0 } }

    var current: RouterResponder<CivicRequestContext> { responder.withLock { $0.routes } }

    /// The response cache of the current routes.
    var delivery: Delivery { responder.withLock { $0.delivery } }

    static func routes(
        configuration: ServerConfiguration,
        store: Store,
        status: LoadStatus,
        hook: RefreshHook,
        hub: ChangeHub,
        usage: UsageCounter,
        sizes: DownloadSizes,
        carrying: (Delivery, EditedRecords)? = nil
    ) throws -> (routes: RouterResponder<CivicRequestContext>, delivery: Delivery) {
        let refresh = hook.callAsFunction
        let catalogue = Catalogue(datasets: try store.datasets(), failures: status.failureMessages, changes: store, sizes: sizes)
        let delivery = carrying.map { Delivery(loadedAt: catalogue.loadedAt, carrying: $0.0, after: $0.1) } ?? Delivery(loadedAt: catalogue.loadedAt)
        let router = Router(context: CivicRequestContext.self)
        router.add(middleware: LogRequestsMiddleware(.info))
        router.add(middleware: APIMiddleware())
        router.add(middleware: UsageMiddleware(counter: usage))
        // The map libraries from local folders, so that the maps work offline: Leaflet (Debian's libjs-leaflet by
        // default) and MapLibre GL JS (bundled), cached by browsers for a day.
        for (folder, path) in [(configuration.mapLibraryDirectory, "/static/leaflet"), (configuration.mapLibreDirectory, "/static/maplibre")] {
            guard let folder else { continue }
            router.add(
                middleware: FileMiddleware(folder, urlBasePath: path, cacheControl: .init([(MediaType(type: .any), [.maxAge(86400), .public])]))
            )
        }
        if configuration.cors {
            router.add(
                middleware: CORSMiddleware(
                    allowOrigin: .all,
                    allowHeaders: [.accept, .contentType, .ifNoneMatch, .ifMatch, .authorization, .ckanAPIKey],
                    allowMethods: [.get, .head, .post, .put, .patch, .delete, .options]
                )
            )
        }
        router.get("/health") { request, _ in
            try delivery.respond(request, cacheable: false) { try jsonPayload(Site.health(catalogue: catalogue, status: status.current)) }
        }
        let authenticator = Authenticator(accounts: store)
        FeaturesController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery, authenticator: authenticator)
            .addRoutes(to: router)
        DownloadsController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery, authenticator: authenticator)
            .addRoutes(to: router)
        TilesController(store: store, catalogue: catalogue, configuration: configuration, delivery: delivery, authenticator: authenticator)
            .addRoutes(to: router)
        CKANController(
            store: store,
            catalogue: catalogue,
            configuration: configuration,
            delivery: delivery,
            authenticator: authenticator,
            refresh: refresh
        ).addRoutes(to: router)
        DCATController(catalogue: catalogue, configuration: configuration, delivery: delivery, changes: store).addRoutes(to: router)
        AdminController(authenticator: authenticator, delivery: delivery).addRoutes(to: router)
        KPIController(catalogue: catalogue, configuration: configuration, delivery: delivery, store: store, usage: usage).addRoutes(to: router)
        HarvestController(store: store, delivery: delivery).addRoutes(to: router)
        ReleasesController(store: store, authenticator: authenticator, configuration: configuration, refresh: refresh).addRoutes(to: router)
        PublishingPageController(
            store: store,
            catalogue: catalogue,
            authenticator: authenticator,
            configuration: configuration,
            delivery: delivery
        ).addRoutes(to: router)
        StatusPageController(configuration: configuration, delivery: delivery).addRoutes(to: router)
        EditsController(
            store: store,
            catalogue: catalogue,
            authenticator: authenticator,
            configuration: configuration,
            delivery: delivery,
            refresh: refresh,
            edited: hook.edited,
            hub: hub
        ).addRoutes(to: router)
        return (router.buildResponder(), delivery)
    }

    /// `/health`: "ok", or "degraded" when the data folder or a dataset failed to load (the last good versions are
    /// served); "loading" while the first pass over the data folder runs.
    static func health(catalogue: Catalogue, status: LoadStatus.State) -> [String: Any] {
        let formatter = ISO8601DateFormatter()
        var health: [String: Any] = [
            "status": status.folderError != nil || !status.failures.isEmpty ? "degraded" : (status.syncing ? "loading" : "ok"),
            "datasets": catalogue.datasets.count,
            "collections": catalogue.collections.count,
            "loading": status.syncing,
        ]
        if let loading = status.loading { health["loadingDataset"] = loading }
        if let folderError = status.folderError { health["dataFolderError"] = folderError }
        if let lastSync = status.lastSync { health["lastLoad"] = formatter.string(from: lastSync) }
        health["failures"] = status.failures.keys.sorted().map { id -> [String: Any] in
            let failure = status.failures[id]!
            return ["dataset": id, "folder": failure.origin, "error": failure.message, "at": formatter.string(from: failure.at)]
        }
        return health
    }
}

/// Hands each request to the routes current when it arrived.
struct SiteResponder: HTTPResponder {
    typealias Context = CivicRequestContext
    let site: Site

    func respond(to request: Request, context: Context) async throws -> Response {
        try await site.current.respond(to: request, context: context)
    }
}
