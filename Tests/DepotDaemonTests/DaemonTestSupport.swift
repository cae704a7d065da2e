import DepotDaemon
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation
import Hummingbird
import Testing

/// A daemon's parts over a temporary DEPOT_HOME and HF_HOME and a test hub holding `org/small`.
struct DaemonHarness {
    let directory: TemporaryDirectory
    let hub: TestHubServer
    let config: DepotConfig
    let queue: JobQueue
    let metrics = DaemonMetrics()

    static let smallFiles: [String: Data] = [
        "model_index.json": Data("{\"_class_name\": \"StableDiffusionPipeline\"}\n".utf8),
        "unet/config.json": Data("{\"sample_size\": 8}\n".utf8),
        "unet/diffusion_pytorch_model.safetensors": pseudoRandomBytes(300_000, seed: 3),
    ]

    init(maxJobs: Int = 2) throws {
        directory = try TemporaryDirectory("depot-daemon")
        hub = try TestHubServer()
        try hub.addRepo("org/small", files: Self.smallFiles)
        config = try DepotConfig.load(environment: Self.environment(home: directory.url, endpoint: hub.endpoint))
        queue = JobQueue(service: try DepotService(config: config), maxJobs: maxJobs, metrics: metrics)
    }

    static func environment(home: URL, endpoint: String) -> [String: String] {
        ["HOME": home.path, "DEPOT_HOME": home.appendingPathComponent("depot").path,
         "HF_HOME": home.appendingPathComponent("hf").path, "HF_ENDPOINT": endpoint]
    }

    func router(token: String? = nil) -> Router<BasicRequestContext> {
        DaemonServer.router(routes: DaemonRoutes(queue: queue, metrics: metrics, address: .unixSocket(path: config.daemonSocket)),
                            token: token)
    }
}

extension ByteBuffer {
    func decoded<T: Decodable>(as type: T.Type) throws -> T {
        try DaemonJSON.decoder().decode(type, from: Data(readableBytesView))
    }

    var text: String { String(buffer: self) }
}

func jsonBody(_ value: some Encodable) throws -> ByteBuffer {
    ByteBuffer(bytes: try DaemonJSON.encoder().encode(value))
}

/// Polls `condition` until it holds or `seconds` pass.
func waitUntil(seconds: Double = 30, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return false
}

/// One request the test hub served (its `/_control/log`).
struct HubLogEntry: Decodable {
    var method: String
    var path: String
    var range: String?
    var status: Int?
}

extension DaemonHarness {
    func hubLog() throws -> [HubLogEntry] { try hub.requestLog() }
}

extension TestHubServer {
    func requestLog() throws -> [HubLogEntry] {
        let result = try runChecked(URL(fileURLWithPath: "/usr/bin/curl"), ["-fsS", endpoint + "/_control/log"], timeout: 10)
        return try JSONDecoder().decode([HubLogEntry].self, from: result.stdoutData)
    }
}

/// Every file of a fixture folder (Tests/Fixtures/NAME), by its path inside it, for a test hub repo.
func fixtureFiles(_ name: String) throws -> [String: Data] {
    try folderFiles(TestEnvironment.fixture(name))
}

/// Every file under `folder`, by its path inside it.
func folderFiles(_ folder: URL) throws -> [String: Data] {
    let root = folder.resolvingSymlinksInPath().standardizedFileURL
    var files: [String: Data] = [:]
    let walker = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
    for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
        files[String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))] = try Data(contentsOf: url)
    }
    return files
}
