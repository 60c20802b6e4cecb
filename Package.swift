// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "relops",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "relops", targets: ["relops"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, each behind a module map (Debian: libsqlite3-dev, libedit-dev, zlib1g-dev, libssl-dev).
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        .target(name: "Store", dependencies: ["CSQLite"]),
        .target(name: "Ingest", dependencies: ["Store", "Analysis", "CZlib", "CCrypto", "Yams"]),
        .target(name: "Query", dependencies: ["Store"]),
        .target(name: "Analysis"),
        // HTTP for the openai replay runner: libcurl, loaded on first use (Debian: libcurl4-openssl-dev to build).
        .target(name: "CHTTP", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "Replay", dependencies: ["Store", "Ingest", "Query", "Analysis", "CHTTP"]),
        .target(name: "Investigate", dependencies: ["Store", "Query", "Analysis"]),
        .target(name: "Demo", dependencies: ["Store", "Ingest"]),
        .target(name: "Notebook", dependencies: ["Store", "Ingest", "Query", "Analysis", "Replay", "Investigate", "Yams"]),
        .target(name: "Shell", dependencies: ["Store", "Ingest", "Query", "Analysis", "Replay", "Investigate", "Notebook", "Demo", "CEditLine"]),
        .executableTarget(name: "relops", dependencies: ["Shell"]),

        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Store", "Analysis"]),
        .testTarget(name: "QueryTests", dependencies: ["Query", "Store", "Ingest", "Demo"], exclude: ["Golden", "Errors", "Saved"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Demo", "Yams"], exclude: ["Transcripts", "Golden"]),
        .testTarget(name: "DemoTests", dependencies: ["Demo"]),
        .testTarget(name: "InvestigateTests", dependencies: ["Investigate", "Analysis", "Store", "Query", "Ingest", "Demo"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"], exclude: ["oracle", "Drift/Expected"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "Store", "Ingest", "Query", "Replay", "Investigate", "Analysis", "Demo", "Yams"], exclude: ["Golden"]),
        .testTarget(name: "ReplayTests", dependencies: ["Replay", "Investigate", "Store", "Ingest", "Query", "Analysis"], exclude: ["Fixtures"]),
    ]
)
