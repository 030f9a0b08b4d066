// swift-tools-version: 6.2
import PackageDescription

/// Settings shared by every target: Swift 6 language mode (strict concurrency) plus upcoming features.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "runbook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "runbook", targets: ["runbook"]),
        .library(name: "RunbookLanguage", targets: ["RunbookLanguage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
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
                "RunbookLanguage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RunbookLanguage",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "runbook-bench",
            dependencies: ["RunbookLanguage", .product(name: "Yams", package: "Yams")],
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
            name: "RunbookCLITests",
            dependencies: ["RunbookCLI", "runbook"],
            swiftSettings: swiftSettings
        ),
    ]
)
