// swift-tools-version:6.0
import PackageDescription

// Layering (each module depends only on those above it):
//   C shims (COpenBLAS, CZlib, CCurl, CFaiss)
//   Numerics ─► TextModels ─────────────────────► Retrieval ─┐
//   Numerics ─► Imaging ─► Cohort ─► FusedEncoder ───────────┼─► Answering ─► Evaluation ─► memoir (CLI)
//   CCurl ───────────────────────────────────────────────────┘
let package = Package(
    name: "Memoir",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "memoir", targets: ["memoir"]),
        .executable(name: "memoir-bench", targets: ["MemoirBench"]),
        .library(name: "TextModels", targets: ["TextModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: Native shims: the only unsafe edges.
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl"),
        .target(
            name: "CFaiss",
            path: "Sources/CFaiss",
            
            // libfaiss is static-only on Debian; it needs BLAS and OpenMP after it.
            linkerSettings: [
                .linkedLibrary("faiss"), .linkedLibrary("openblas"), .linkedLibrary("gomp"),
                .linkedLibrary("m"), .linkedLibrary("stdc++"),
            ]
        ),

        // MARK: Domain modules.
        .target(name: "Numerics", dependencies: ["COpenBLAS"]),
        .target(name: "TextModels", dependencies: ["Numerics", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Imaging", dependencies: ["CZlib", "Numerics"]),
        .target(name: "Cohort", dependencies: [
            "Imaging", "Numerics", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "SwiftCSV", package: "SwiftCSV"),
        ]),
        .target(name: "Retrieval", dependencies: ["CFaiss", "Numerics", "TextModels"]),
        .target(name: "Answering", dependencies: [
            "CCurl", "Cohort", "FusedEncoder", "Retrieval", "TextModels", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .target(name: "Evaluation", dependencies: [
            "Answering", "Cohort", "FusedEncoder", "Numerics", "Retrieval", "TextModels",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "FusedEncoder", dependencies: [
            "Numerics", "Imaging", "Cohort", "COpenBLAS",
            .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // MARK: Executables: argument parsing only, no logic.
        .executableTarget(
            name: "memoir",
            dependencies: [
                "TextModels", "Imaging", "Cohort", "Retrieval", "Answering", "FusedEncoder", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "MemoirBench",
            dependencies: ["TextModels", "FusedEncoder", "Evaluation", "Fuzzing", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/MemoirBench"
        ),

        // MARK: Tests.
        .target(name: "TestSupport", dependencies: ["TextModels"], path: "Tests/TestSupport"),
        // Seeded mutation fuzzers, shared by FuzzTests (bounded) and `memoir-bench fuzz` (long runs).
        .target(name: "Fuzzing", dependencies: ["Cohort", "FusedEncoder", "Imaging", "Numerics", "TextModels"], path: "Tests/Fuzzing"),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics", "TestSupport"]),
        .testTarget(name: "TextModelsTests", dependencies: ["TextModels", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "CohortTests", dependencies: ["Cohort", "TestSupport"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "TestSupport"]),
        .testTarget(name: "AnsweringTests", dependencies: [
            "Answering", "Cohort", "FusedEncoder", "Retrieval", "TestSupport", "TextModels", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "FusedEncoderTests", dependencies: [
            "FusedEncoder", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        .testTarget(name: "MemoirCLITests", dependencies: [
            "TestSupport", "FusedEncoder", "Cohort", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ShimTests", dependencies: ["CCurl", "CZlib"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "Cohort", "FusedEncoder", "Imaging", "Numerics", "TextModels", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
