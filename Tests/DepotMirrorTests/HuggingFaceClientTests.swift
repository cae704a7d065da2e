import DepotCore
import DepotMirror
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The real clients against depot's Hub endpoints: huggingface_hub's `snapshot_download` and a
/// second depot (the built binary), both downloading a model this depot pulled from olah.
@Suite("huggingface_hub and a second depot against the mirror", .serialized)
struct HuggingFaceClientTests {
    /// Pulls tiny-sd1 from the olah fixture hub into a private store.
    static func pulledStore() async throws -> (MirrorTestStore, FixtureHub, PullReport) {
        let hub = try FixtureHub()
        let store = try MirrorTestStore(endpoint: hub.endpoint)
        let report = try await store.service.pull(try store.service.resolve("tiny-sd1"))
        return (store, hub, report)
    }

    static let clientScript = """
        import hashlib, json, os, sys
        from huggingface_hub import snapshot_download, hf_hub_download, scan_cache_dir
        from huggingface_hub.errors import EntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError
        repo = sys.argv[1]
        folder = snapshot_download(repo)
        hashes = {}
        for root, _, names in os.walk(folder):
            for name in names:
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    hashes[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
        errors = {}
        for label, call in [("entry", lambda: hf_hub_download(repo, "no/such.json")),
                            ("repo", lambda: hf_hub_download("depot-fixtures/absent", "model_index.json")),
                            ("revision", lambda: hf_hub_download(repo, "model_index.json", revision="v9"))]:
            try:
                call()
                errors[label] = "none"
            except Exception as error:
                errors[label] = type(error).__name__
        scan = scan_cache_dir()
        cached = [r for r in scan.repos if r.repo_id == repo]
        print(json.dumps({"folder": folder, "hashes": hashes, "errors": errors, "warnings": [str(w) for w in scan.warnings],
                          "refs": sorted(cached[0].refs) if cached else [], "revisions": len(cached[0].revisions) if cached else 0}))
        """

    @Test("snapshot_download gets identical files; errors map to huggingface_hub's types; scan_cache_dir is clean")
    func snapshotDownload() async throws {
        let (store, hub, report) = try await Self.pulledStore()
        defer { hub.stop() }
        let client = try TemporaryDirectory("depot-mirror-client")
        let python = try TestEnvironment.python()
        let result = try await Self.app(store).test(.live) { http in
            let endpoint = "http://127.0.0.1:\(try #require(http.port))"
            return try await offCooperativePool {
                try runChecked(python, ["-c", Self.clientScript, report.repo], environment: [
                    "HF_ENDPOINT": endpoint, "HF_HOME": client.path("hf").path, "HF_HUB_DISABLE_TELEMETRY": "1",
                    "HF_HUB_DISABLE_PROGRESS_BARS": "1"], timeout: 180)
            }
        }
        let output = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let hashes = try #require(output["hashes"] as? [String: String])
        let installed = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0.sha256) })
        #expect(hashes == installed)
        #expect(hashes["unet/diffusion_pytorch_model.safetensors"]
                == (try ContentHasher.digest(ofFileAt: TestEnvironment.fixture("tiny-sd1/unet/diffusion_pytorch_model.safetensors").path).sha256))
        #expect(output["errors"] as? [String: String] == [
            "entry": "RemoteEntryNotFoundError", "repo": "RepositoryNotFoundError", "revision": "RevisionNotFoundError"])
        #expect(output["warnings"] as? [String] == [])
        #expect(output["refs"] as? [String] == ["main"])
        #expect(output["revisions"] as? Int == 1)
        #expect((output["folder"] as? String)?.hasSuffix("snapshots/\(report.commit)") == true)
    }

    @Test("a second depot pulls through the first, in ranged parts, with the same commit and hashes")
    func secondDepotPullsThrough() async throws {
        let (store, hub, report) = try await Self.pulledStore()
        defer { hub.stop() }
        let second = try TemporaryDirectory("depot-mirror-second")
        let binary = try TestEnvironment.depotBinary()
        let ranged = RequestCounter()
        let result = try await Self.app(store, counting: ranged).test(.live) { http in
            let endpoint = "http://127.0.0.1:\(try #require(http.port))"
            return try await offCooperativePool {
                try runChecked(binary, ["pull", "tiny-sd1", "--json"], environment: [
                    "HOME": second.url.path, "DEPOT_HOME": second.path("depot").path, "HF_HOME": second.path("hf").path,
                    "HF_ENDPOINT": endpoint, "DEPOT_PARALLEL_THRESHOLD": "1048576", "DEPOT_CHUNK_SIZE": "65536", "NO_COLOR": "1"],
                               timeout: 180)
            }
        }
        let pulled = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        #expect(pulled["commit"] as? String == report.commit)
        let files = try #require(pulled["files"] as? [[String: Any]])
        let hashes = Dictionary(uniqueKeysWithValues: files.compactMap { file in
            (file["path"] as? String).flatMap { path in (file["sha256"] as? String).map { (path, $0) } }
        })
        #expect(hashes == Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0.sha256) }))
        #expect(pulled["bytes_transferred"] as? Int == Int(report.bytesTotal))
        // The 2.8 MB UNet weight is above the 1 MiB threshold: it came as 64 KiB ranged parts.
        #expect(ranged.count >= 40)
    }

    static func app(_ store: MirrorTestStore, counting ranged: RequestCounter? = nil) -> some ApplicationProtocol {
        let router = Router()
        if let ranged { router.add(middleware: RangeRequestCounting(counter: ranged)) }
        HubMirrorRoutes(service: store.service).register(on: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }
}

/// Counts requests that carry a `Range` header.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    var count: Int { lock.withLock { value } }
    func increment() { lock.withLock { value += 1 } }
}

struct RangeRequestCounting<Context: RequestContext>: RouterMiddleware {
    let counter: RequestCounter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.headers[.range] != nil { counter.increment() }
        return try await next(request, context)
    }
}

/// Runs a blocking call (a child process) on its own thread, so the server under test keeps the
/// cooperative pool's threads.
func offCooperativePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}
