import DepotDaemon
import DepotStore
import DepotTestSupport
import Foundation
import Testing

/// A pull through the daemon, the daemon killed with SIGKILL in the middle of a large file, the
/// daemon started again: the job resumes from the partial file and completes.
@Suite("daemon restart")
struct DaemonRestartTests {
    struct Sidecar: Decodable {
        struct Chunk: Decodable { var done: Int64 }
        var chunks: [Chunk]
        var bytesDone: Int64 { chunks.reduce(0) { $0 + $1.done } }
    }

    static let bigPath = "unet/diffusion_pytorch_model.safetensors"

    @Test("the job resumes after the daemon stops mid-file and re-downloads at most the unfinished parts",
          arguments: [SIGKILL, SIGTERM])
    func resumesAfterStop(signal: Int32) async throws {
        let directory = try TemporaryDirectory("depot-restart")
        let hub = try TestHubServer()
        let big = pseudoRandomBytes(80 << 20, seed: 11)  // above the 64 MiB parallel threshold: ranged parts
        try hub.addRepo("org/big", files: ["model_index.json": Data("{}\n".utf8), Self.bigPath: big])
        // Every request of the big file stalls after 3 MiB, long enough to kill the daemon meanwhile.
        try hub.inject(#"[{"kind": "stall", "path": "\#(Self.bigPath)", "after": 3145728, "seconds": 120, "times": 100}]"#)
        let environment = DaemonHarness.environment(home: directory.url, endpoint: hub.endpoint)
            .merging(["DEPOT_STALL_TIMEOUT": "60"]) { _, new in new }
        let socket = environment["DEPOT_HOME"]! + "/depot.sock"

        let first = try DaemonProcess(environment: environment, address: .unixSocket(path: socket), logFile: directory.path("first.log"))
        #expect(try await first.waitUntilReady(), "\(first.log)")
        let job = try await first.client.pull(PullJobRequest(name: "org/big"))

        let blobs = directory.url.appendingPathComponent("hf/hub/models--org--big/blobs")
        var done: Int64 = 0
        _ = try await waitUntil(seconds: 60) {
            let sidecars = (try? FileManager.default.contentsOfDirectory(atPath: blobs.path))?.filter { $0.hasSuffix(".resume.json") } ?? []
            if let name = sidecars.first,
               let sidecar = try? JSONDecoder().decode(Sidecar.self, from: Data(contentsOf: blobs.appendingPathComponent(name))) {
                done = sidecar.bytesDone
            }
            return done >= 4 * (3 << 20)
        }
        #expect(done >= 4 * (3 << 20), "the first daemon never got 4 parts going: \(first.log)")
        #expect(try await first.client.job(id: job.id).state == .running)
        first.signal(signal)
        let status = try await first.exitStatus(within: signal == SIGTERM ? 5 : 10)
        if signal == SIGTERM {
            #expect(status == 0, "SIGTERM: the daemon did not exit 0 within 5 s: \(first.log)")
            let catalog = try Catalog(path: environment["DEPOT_HOME"]! + "/catalog.sqlite")
            #expect(try await catalog.job(id: job.id)?.state == .queued, "a job stopped by SIGTERM waits for the next start")
        }

        try hub.resetFaults()
        let second = try DaemonProcess(environment: environment, address: .unixSocket(path: socket), logFile: directory.path("second.log"))
        #expect(try await second.waitUntilReady(), "\(second.log)")
        let finished = try await waitUntil(seconds: 120) { try await second.client.job(id: job.id).isFinished }
        let view = try await second.client.job(id: job.id)
        #expect(finished && view.state == .done, "\(view) \(second.log)")

        let served = try hub.requestLog().filter { $0.method == "GET" && $0.path.hasSuffix("/" + Self.bigPath) }
        let bytesServed = served.reduce(Int64(0)) { $0 + Self.length(of: $1.range, size: Int64(big.count)) }
        #expect(bytesServed > 0)
        #expect(bytesServed <= Int64(big.count) - done, "served \(bytesServed) bytes again after \(done) were saved")

        let installed = try await second.client.installed()
        let commit = try #require(installed.first { $0.repo == "org/big" }?.commit)
        let file = directory.url.appendingPathComponent("hf/hub/models--org--big/snapshots/\(commit)/\(Self.bigPath)")
        #expect(try Data(contentsOf: file) == big)
        second.signal(SIGTERM)
        #expect(try await second.exitStatus(within: 5) == 0)
        hub.stop()
    }

    /// Bytes a request asked for: its `Range: bytes=a-b`, or the whole file.
    static func length(of range: String?, size: Int64) -> Int64 {
        guard let range, range.hasPrefix("bytes=") else { return size }
        let bounds = range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard bounds.count == 2, let start = Int64(bounds[0]) else { return size }
        let end = Int64(bounds[1]) ?? (size - 1)
        return min(end, size - 1) - start + 1
    }
}
