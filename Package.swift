// swift-tools-version: 6.1
import PackageDescription

/// One set of settings for every target (STYLE.md §3.2): explicit imports, explicit existentials.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Civic",
    // macOS 15: Synchronization.Mutex (the server's shared state) needs it.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "CivicData", targets: ["CivicData"]),
        .library(name: "CivicGeo", targets: ["CivicGeo"]),
        .library(name: "CivicExcel", targets: ["CivicExcel"]),
        .library(name: "CivicIngest", targets: ["CivicIngest"]),
        .executable(name: "civic", targets: ["civic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.5.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.21.0"),
    ],
    targets: [
        // The core: records, text decoding, CSV, schemas, recognition, validation, normalisation, writers.
        // Foundation (and the C library) only: no server, no PROJ.
        .target(name: "CivicData", swiftSettings: swiftSettings),
        // PROJ and GEOS from the system (Debian: libproj-dev, libgeos-dev); only CivicGeo imports them.
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"]), .brew(["proj"])]),
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"]), .brew(["geos"])]),
        // Coordinates and geometry: CRS, reprojection (PROJ, with the GSI grids), detection, geometry (GEOS).
        .target(name: "CivicGeo", dependencies: ["CivicData", "CPROJ", "CGEOS"], swiftSettings: swiftSettings),
        // libxml2 from the system (Debian: libxml2-dev): its SAX2 push parser, for workbook parts.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        // zlib's raw inflate (Debian: zlib1g-dev), to inflate workbook parts within their entries' bounds.
        .systemLibrary(name: "CivicZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        // FreeXL from the system (Debian: libfreexl-dev): legacy .xls workbooks (BIFF8), as GDAL's XLS driver reads them.
        .systemLibrary(name: "CFreeXL", pkgConfig: "freexl", providers: [.apt(["libfreexl-dev"]), .brew(["freexl"])]),
        // Excel workbooks (.xlsx, and .xls through FreeXL): read as rows for the core's reader (streamed: ZIPFoundation + libxml2), with the
        // machine-readability findings; written with text, numbers and dates typed.
        .target(
            name: "CivicExcel",
            dependencies: ["CivicData", "CLibXML2", "CivicZlib", "CFreeXL", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
        // The pipeline every caller uses: file (CSV/TSV, .xlsx, .xls) → records (recognised, validated, normalised,
        // georeferenced) → sinks (CSV, GeoJSON, .xlsx writers, the store), with the report built as it runs.
        .target(name: "CivicIngest", dependencies: ["CivicData", "CivicGeo", "CivicExcel"], swiftSettings: swiftSettings),
        // The embedded store: datasets in versions, records (with an R*Tree) and reports in SQLite (GRDB). It is a
        // sink of the pipeline; it does not read files itself.
        .target(
            name: "CivicStore",
            dependencies: [
                "CivicData", "CivicGeo", .product(name: "GRDB", package: "GRDB.swift"),
                // gzip of PMTiles archives' tiles and directories.
                "CivicZlib",
                // SQLite's C API, for the one statement on the load's hot path (binding without boxing each value).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                // SHA-256 of API token secrets.
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The harvester: datasets of other catalogues (CKAN, DCAT-AP in JSON-LD or Turtle, lists of URLs) into the
        // store through the pipeline, with conditional requests, politeness and deletions after a grace period.
        .target(
            name: "CivicHarvest",
            dependencies: [
                "CivicData", "CivicGeo", "CivicIngest", "CivicStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // SHA-256 of harvested files (a source that answers no conditional request).
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The feed server: OGC API Features, downloads, CKAN API, DCAT, HTML (Hummingbird 2).
        .target(
            name: "CivicServer",
            dependencies: [
                "CivicData", "CivicGeo", "CivicStore", "CivicExcel", "CivicIngest", "CivicHarvest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                // Multipart uploads as ckanapi sends them (resource_create upload=@file), parsed as they stream.
                .product(name: "MultipartKit", package: "multipart-kit"),
                // NIOSingletons: the server's event loops as the concurrency executor (`runServer`).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The change events end on graceful shutdown (their streams would otherwise hold the server open).
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // MapLibre GL JS, vendored from a PyPI wheel (Resources/maplibre/SOURCE.md), served at /static/maplibre.
            resources: [.copy("Resources/maplibre")],
            swiftSettings: swiftSettings
        ),
        // The thin command line over the libraries.
        .executableTarget(
            name: "civic",
            dependencies: [
                "CivicData",
                "CivicGeo",
                "CivicExcel",
                "CivicIngest",
                "CivicStore",
                "CivicServer",
                "CivicHarvest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            // jemalloc (Debian libjemalloc-dev) as the program's allocator: the read-ahead threads free what another
            // thread allocated, which glibc's malloc serialises on its arena locks (measured in docs/performance.md).
            linkerSettings: [.linkedLibrary("jemalloc")]
        ),
        // The README's library example, compiled (and run by `make test`).
        .executableTarget(
            name: "civic-example",
            dependencies: ["CivicData"],
            path: "examples/QuickStart",
            swiftSettings: swiftSettings
        ),
        // Benchmark driver for bench/geo (release builds only; never part of the tests).
        .executableTarget(
            name: "civic-bench",
            dependencies: ["CivicData", "CivicGeo"],
            path: "bench/Sources/civic-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicDataTests",
            dependencies: ["CivicData"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicGeoTests",
            dependencies: ["CivicGeo", "CivicIngest"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicExcelTests",
            dependencies: ["CivicExcel"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicIngestTests",
            dependencies: ["CivicIngest"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicStoreTests",
            dependencies: ["CivicStore", "CivicIngest", "CivicGeo", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicServerTests",
            dependencies: ["CivicServer", "CivicExcel", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicHarvestTests",
            dependencies: ["CivicHarvest", "CivicServer", "CivicStore", .product(name: "HummingbirdTesting", package: "hummingbird")],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "civicTests",
            dependencies: ["civic", "CivicStore", "CivicData"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
