// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every Swift target: Swift 6 language mode (strict concurrency) plus upcoming features.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "runbook",
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookLanguage", targets: ["RunbookLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .executableTarget(
            name: "runbook",
            dependencies: ["RunbookCLI"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookCLI",
            dependencies: [
                "RunbookLanguage", "RunbookEngine", "RunbookStore", "RunbookActions", "RunbookReport", "RunbookServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookEngine",
            dependencies: ["RunbookLanguage", "RunbookStore", "RunbookActions"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookServer",
            dependencies: [
                "RunbookEngine", "RunbookAlerts", "RunbookStore", "RunbookLanguage", "RunbookActions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookAlerts",
            dependencies: ["RunbookLanguage", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookReport",
            dependencies: [
                "RunbookLanguage", "RunbookStore",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookActions",
            dependencies: [
                "RunbookLanguage", "RunbookPostgres", "CCurl", "CSpawn",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookStore",
            dependencies: [
                "RunbookLanguage", "RunbookPostgres", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // libpq behind one Swift type (PostgresConnection), shared by the pg.* actions and the PostgreSQL store.
        .target(
            name: "RunbookPostgres",
            dependencies: ["CLibPQ"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookLanguage",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // libcurl's headers at build time (libcurl4-openssl-dev); the library itself is loaded with dlopen on first use.
        .target(name: "CCurl"),
        // posix_spawn of a step's command in a session of its own.
        .target(name: "CSpawn"),
        // libpq's headers at build time (libpq-dev); the library itself is loaded with dlopen on first use.
        .target(name: "CLibPQ"),
        .executableTarget(
            name: "runbook-bench",
            dependencies: [
                "RunbookLanguage", "RunbookStore", "RunbookReport", "RunbookPostgres", "CSQLite",
                .product(name: "Yams", package: "Yams"),
            ],
            path: "Benchmarks/runbook-bench",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookLanguageTests",
            dependencies: ["RunbookLanguage"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookAlertsTests",
            dependencies: ["RunbookAlerts", "RunbookServer", "RunbookEngine", "RunbookLanguage"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookEngineTests",
            dependencies: ["RunbookEngine", "RunbookStore", "RunbookLanguage", "RunbookActions", "RunbookTestPeers"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookServerTests",
            dependencies: [
                "RunbookServer", "RunbookEngine", "RunbookStore", "RunbookLanguage", "RunbookTestPeers",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookStoreTests",
            dependencies: ["RunbookStore", "RunbookPostgres", "RunbookTestPeers"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookTestPeers",
            dependencies: ["CSpawn", .product(name: "Yams", package: "Yams")],
            path: "Tests/RunbookTestPeers",
            exclude: ["kubernetes_fake_apiserver.py", "Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookActionsTests",
            dependencies: ["RunbookActions", "RunbookPostgres", "RunbookTestPeers"],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RunbookCLITests",
            dependencies: [
                "RunbookCLI", "RunbookEngine", "RunbookActions", "RunbookReport", "RunbookStore", "runbook",
                "RunbookTestPeers",
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
