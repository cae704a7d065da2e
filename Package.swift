// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "depot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "depot", targets: ["depot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C shims over system libraries: typed wrappers for variadic calls.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // libarchive and OpenBLAS are opened on first use through CDynamicLibrary, not linked (headers: libarchive-dev, libopenblas-dev).
        .target(name: "CArchive", dependencies: ["CDynamicLibrary"]),
        .target(name: "COpenBLAS", dependencies: ["CDynamicLibrary"]),
        .target(name: "CDynamicLibrary"),

        // Shared vocabulary: paths, environment, configuration, errors, hashing.
        // Blocking calls on threads of their own, out of Swift's cooperative pool.
        .target(name: "DepotThreads"),
        .target(name: "DepotCore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The Hub protocol over libcurl.
        .target(name: "DepotHub", dependencies: ["CCurl", "DepotCore", "DepotThreads",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // SQLite catalog and the blob store in the HF cache layout.
        .target(name: "DepotStore", dependencies: ["DepotCore", "DepotThreads",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Short model names -> repos, revisions, variants, globs.
        .target(name: "DepotRegistry", dependencies: ["DepotCore"]),
        // Pull, verify, rm, gc: the hub, the store and the registry together.
        .target(name: "DepotPull", dependencies: ["DepotCore", "DepotHub", "DepotStore", "DepotRegistry", "DepotInspect",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // File formats: safetensors (the one reader), diffusers folders.
        .target(name: "DepotFormats", dependencies: ["CHalfPrecision"]),
        // Hardware (F16C) half-to-float conversion for DepotFormats, chosen at run time.
        .target(name: "CHalfPrecision"),
        // CLIP BPE tokenizer.
        .target(name: "DepotTokenizer", dependencies: []),
        // CPU inference on OpenBLAS: tensors, CLIP, UNet, VAE, schedulers, PNG.
        .target(name: "DepotRunner", dependencies: ["COpenBLAS", "CRunnerKernels", "DepotFormats", "DepotTokenizer", "DepotThreads"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release)),
                                .unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The runner's AVX-512 kernels (softmax...), each compiled for its instruction set and chosen at run time.
        .target(name: "CRunnerKernels"),
        // Resource folders for Apple's Core ML Stable Diffusion CLI: bundle, check, safe zip extraction.
        .target(name: "DepotBundle", dependencies: ["CArchive", "DepotCore", "DepotCoreML", "DepotPull", "DepotStore", "DepotRegistry"]),
        // Helpers shared by the test targets: fixtures, temporary folders, child processes, the olah fixture hub.
        .target(name: "DepotTestSupport", dependencies: []),
        // Core ML models on disk: model.mil, weight.bin, metadata.json, .mlpackage (protobuf), resource-folder consistency.
        .target(name: "DepotCoreML", dependencies: ["DepotCore", "DepotFormats"]),
        // Structural verification and weight reports: safetensors, diffusers folders, Core ML (`depot inspect`, `verify --deep`).
        .target(name: "DepotInspect", dependencies: ["DepotCore", "DepotFormats", "DepotCoreML"]),
        // Hub-compatible read endpoints over installed models (a team points HF_ENDPOINT at a depot daemon).
        .target(name: "DepotMirror", dependencies: ["DepotCore", "DepotStore", "DepotPull",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        // Tracked models: remote revision checks on a schedule, keep-N retention, pins.
        .target(name: "DepotSync", dependencies: ["DepotCore", "DepotStore", "DepotPull",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // `depot serve`: job queue, JSON API, events, metrics; and the client the CLI uses to reach it.
        .target(name: "DepotDaemon", dependencies: ["CCurl", "DepotCore", "DepotThreads", "DepotStore", "DepotPull", "DepotRegistry",
            "DepotBundle", "DepotRunner", "DepotMirror", "DepotSync",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The CLI: thin.
        .executableTarget(name: "depot", dependencies: [
            "DepotCore", "DepotPull", "DepotStore", "DepotRegistry", "DepotBundle", "DepotRunner", "DepotTokenizer", "DepotFormats",
            "DepotCoreML", "DepotInspect", "DepotDaemon", "DepotSync",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Scripts/bench/pull's stand-in for `depot pull` of one file (HubClient.download alone).
        .executableTarget(name: "depot-pull-driver", dependencies: ["DepotHub", "DepotStore"], path: "Scripts/bench/pull-driver"),
        // Scripts/bench/catalog-list's stand-in for `depot list` (the catalog alone).
        .executableTarget(name: "depot-catalog-driver", dependencies: ["DepotStore"], path: "Scripts/bench/catalog-driver"),
        // Scripts/bench/verify-coreml's stand-in for `depot inspect` of a Core ML model (DepotCoreML alone).
        .executableTarget(name: "depot-coreml-driver", dependencies: ["DepotCoreML"], path: "Scripts/bench/coreml-driver"),
        // Runner benchmark (Scripts/bench/runner): synthetic SD 1.5 checkpoints and UNet throughput.
        .executableTarget(name: "depot-bench", dependencies: ["DepotRunner", "DepotFormats"], path: "Scripts/bench/runner-bench",
                          swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),

        .testTarget(name: "DepotThreadsTests", dependencies: ["DepotThreads"]),
        .testTarget(name: "DepotCoreTests", dependencies: ["DepotTestSupport", "DepotCore"]),
        .testTarget(name: "DepotHubTests", dependencies: ["DepotTestSupport", "DepotHub", "DepotCore"]),
        .testTarget(name: "DepotStoreTests", dependencies: ["DepotTestSupport", "DepotStore", "DepotCore"]),
        .testTarget(name: "DepotRegistryTests", dependencies: ["DepotTestSupport", "DepotRegistry"]),
        .testTarget(name: "DepotPullTests", dependencies: ["DepotTestSupport", "DepotPull", "DepotStore", "DepotHub", "DepotCore"]),
        .testTarget(name: "DepotFormatsTests", dependencies: ["DepotTestSupport", "DepotFormats"]),
        .testTarget(name: "DepotTokenizerTests", dependencies: ["DepotTestSupport", "DepotTokenizer"]),
        .testTarget(name: "DepotRunnerTests", dependencies: ["DepotTestSupport", "DepotRunner", "DepotFormats", "DepotTokenizer"]),
        .testTarget(name: "DepotBundleTests", dependencies: ["DepotTestSupport", "DepotBundle", "DepotPull", "DepotStore", "DepotCore"]),
        .testTarget(name: "DepotCoreMLTests", dependencies: ["DepotTestSupport", "DepotCoreML", "DepotFormats"]),
        .testTarget(name: "DepotInspectTests", dependencies: ["DepotTestSupport", "DepotInspect", "DepotCoreML", "DepotFormats"]),
        .testTarget(name: "DepotMirrorTests", dependencies: ["DepotTestSupport", "DepotMirror", "DepotPull", "DepotStore", "DepotCore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "DepotSyncTests", dependencies: ["DepotTestSupport", "DepotSync", "DepotPull", "DepotStore", "DepotCore"]),
        .testTarget(name: "DepotDaemonTests", dependencies: ["DepotTestSupport", "DepotDaemon", "DepotPull", "DepotStore", "DepotCore",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        .testTarget(name: "DepotCLITests", dependencies: ["DepotTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
