// swift-tools-version:6.0
import PackageDescription

// Layering (each module depends only on those above it; README.md, "Architecture", has the diagram):
//   C shims (COpenBLAS, CZlib, CCurl, CFaiss)
//   compute:      Numerics ─► TextModels, Imaging ─► Cohort ─► FusedEncoder; Retrieval (TextModels, CFaiss)
//   store:        Store (Cohort, TextModels, GRDB) — the only module with a database
//   answering:    Answering (LLM client, prompts, pipeline), Evaluation (metrics, BERTScore, VQA)
//   application:  Application (IndexBuilder, AskService, CaseRetriever, VQAEvaluator, paths)
//   front doors:  memoir (CLI: parse, call one service, print), Server (`memoir serve`: HTTP API + web workspace)
let package = Package(
    name: "Memoir",
    platforms: [.macOS(.v15)],
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
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Only so its `Numerics` module can be aliased: Hummingbird reaches it (swift-nio-extras → swift-algorithms),
        // and SwiftPM refuses two targets named `Numerics` in one graph.
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
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

        // MARK: Compute modules: arrays and files in, values out; no database, no HTTP.
        // Small-row GEMM against weights packed once at load, kernel chosen by CPU feature at run time.
        .target(name: "CPackedGemm", path: "Sources/CPackedGemm", cSettings: [.unsafeFlags(["-O3"])]),
        // GELU and softmax 16 lanes wide where the CPU has AVX-512 (Swift targets baseline x86-64).
        .target(name: "CVectorKernels", path: "Sources/CVectorKernels", cSettings: [.unsafeFlags(["-O3"])]),
        .target(name: "Numerics", dependencies: ["COpenBLAS", "CPackedGemm", "CVectorKernels"]),
        .target(name: "TextModels", dependencies: ["Numerics", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Imaging", dependencies: ["CZlib", "Numerics"]),
        .target(name: "Cohort", dependencies: ["Imaging", "Numerics", .product(name: "SwiftCSV", package: "SwiftCSV")]),
        .target(name: "FusedEncoder", dependencies: [
            "Numerics", "Imaging", "Cohort", "COpenBLAS", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "Retrieval", dependencies: ["CFaiss", "Numerics", "TextModels", .product(name: "Crypto", package: "swift-crypto")]),

        // MARK: The store: every table, one migrator; the only module that sees a database.
        .target(name: "Store", dependencies: ["Cohort", "Numerics", "TextModels", .product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: Answering and evaluation over the store and the compute modules.
        .target(name: "Answering", dependencies: ["CCurl", "Cohort", "FusedEncoder", "Numerics", "Retrieval", "Store", "TextModels"]),
        .target(name: "Evaluation", dependencies: [
            "Answering", "Cohort", "FusedEncoder", "Numerics", "Retrieval", "Store", "TextModels",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // MARK: Application services: what the CLI, the tests and a server call alike.
        .target(name: "Application", dependencies: [
            "Answering", "Cohort", "Evaluation", "FusedEncoder", "Numerics", "Retrieval", "Store", "TextModels",
        ]),

        // MARK: The HTTP front door: routes parse, call one Application service, respond; the web workspace is static files.
        .target(
            name: "Server",
            dependencies: [
                "Application", "Answering", "Cohort", "Evaluation", "FusedEncoder", "Imaging", "Numerics", "Retrieval", "Store",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Numerics", package: "swift-numerics", moduleAliases: ["Numerics": "SwiftNumerics"]),
            ],
            resources: [.copy("Resources/web"), .copy("Resources/openapi.json")]
        ),

        // MARK: Executables: argument parsing only, no logic.
        .executableTarget(
            name: "memoir",
            dependencies: [
                "Application", "Answering", "Cohort", "Evaluation", "FusedEncoder", "Imaging", "Numerics", "Retrieval", "Server", "Store",
                "TextModels", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "MemoirBench",
            dependencies: ["TextModels", "FusedEncoder", "Evaluation", "Answering", "Fuzzing", "Cohort", "Imaging", "Retrieval", "Store",
                           .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/MemoirBench"
        ),

        // MARK: Tests.
        .target(name: "TestSupport", dependencies: ["Cohort", "FusedEncoder", "Imaging", "Numerics", "TextModels"], path: "Tests/TestSupport"),
        // Seeded mutation fuzzers, shared by FuzzTests (bounded) and `memoir-bench fuzz` (long runs).
        .target(name: "Fuzzing", dependencies: ["Cohort", "Evaluation", "FusedEncoder", "Imaging", "Numerics", "TextModels"], path: "Tests/Fuzzing"),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics", "TestSupport"]),
        .testTarget(name: "TextModelsTests", dependencies: ["TextModels", "TestSupport"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "CZlib", "TestSupport"]),
        .testTarget(name: "CohortTests", dependencies: ["Cohort", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Cohort", "TestSupport"]),
        .testTarget(name: "RetrievalTests", dependencies: ["Retrieval", "TestSupport"]),
        .testTarget(name: "AnsweringTests", dependencies: [
            "Answering", "Application", "Cohort", "Evaluation", "FusedEncoder", "Imaging", "Numerics", "Retrieval", "Store", "TestSupport",
            "TextModels",
        ]),
        .testTarget(name: "FusedEncoderTests", dependencies: [
            "FusedEncoder", "TestSupport", .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "ApplicationTests", dependencies: ["Application", "Cohort", "FusedEncoder", "Numerics", "Store", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Store", "TestSupport"]),
        .testTarget(name: "MemoirCLITests", dependencies: ["TestSupport", "FusedEncoder", "Cohort", "Store", "Application", "Answering"]),
        .testTarget(name: "ServerTests", dependencies: [
            "Server", "Application", "Answering", "Cohort", "Imaging", "Store", "TestSupport",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "ShimTests", dependencies: ["CCurl", "CZlib"]),
        .testTarget(name: "FuzzTests", dependencies: ["Fuzzing", "Cohort", "FusedEncoder", "Imaging", "Numerics", "TextModels", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
