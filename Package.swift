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
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CivicData", targets: ["CivicData"]),
        .executable(name: "civic", targets: ["civic"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The core: records, text decoding, CSV, schemas, recognition, validation, normalisation, writers.
        // Foundation (and the C library) only: no server, no PROJ.
        .target(name: "CivicData", swiftSettings: swiftSettings),
        // The thin command line over CivicData.
        .executableTarget(
            name: "civic",
            dependencies: [
                "CivicData",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // The README's library example, compiled (and run by `make test`).
        .executableTarget(
            name: "civic-example",
            dependencies: ["CivicData"],
            path: "examples/QuickStart",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CivicDataTests",
            dependencies: ["CivicData"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "civicTests",
            dependencies: ["civic"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)
