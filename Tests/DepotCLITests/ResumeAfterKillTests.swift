import Foundation
import Testing
import DepotTestSupport

/// `depot pull` killed with SIGKILL in the middle of a large file, then run again.
@Suite("pull resumes after kill -9")
struct ResumeAfterKillTests {
    struct Sidecar: Decodable {
        struct Chunk: Decodable { var done: Int64 }
        var chunks: [Chunk]
        var bytesDone: Int64 { chunks.reduce(0) { $0 + $1.done } }
    }

    @Test("the second pull transfers at most the unfinished parts and installs a verified file")
    func resumesAfterKill() throws {
        let hub = try TestHubServer()
        let big = pseudoRandomBytes(80 << 20, seed: 7)  // above the 64 MiB parallel threshold: ranged parts
        try hub.addRepo("org/big", files: ["model_index.json": Data("{}\n".utf8), "unet/diffusion_pytorch_model.safetensors": big])
        // Every ranged request of the big file stalls after 3 MiB, long enough to be killed meanwhile.
        try hub.inject(#"[{"kind": "stall", "path": "unet/diffusion_pytorch_model.safetensors", "after": 3145728, "seconds": 120, "times": 100}]"#)

        let sandbox = try DepotSandbox(hub: nil)
        let environment = sandbox.environment.merging(["HF_ENDPOINT": hub.endpoint, "DEPOT_STALL_TIMEOUT": "60"]) { _, new in new }
        let process = Process()
        process.executableURL = try TestEnvironment.depotBinary()
        process.arguments = ["pull", "org/big"]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        let blobs = sandbox.hubCache.appendingPathComponent("models--org--big/blobs")
        var done: Int64 = 0
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let sidecars = (try? FileManager.default.contentsOfDirectory(atPath: blobs.path))?.filter { $0.hasSuffix(".resume.json") } ?? []
            if let name = sidecars.first,
               let sidecar = try? JSONDecoder().decode(Sidecar.self, from: Data(contentsOf: blobs.appendingPathComponent(name))),
               sidecar.bytesDone >= 4 * (3 << 20) {
                done = sidecar.bytesDone
                break
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(done >= 4 * (3 << 20), "the first pull never got 4 parts going")
        let listedWhileBroken = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(listedWhileBroken.isEmpty, "a half-pulled version must not be listed")

        try hub.resetFaults()
        let result = try runProcess(try TestEnvironment.depotBinary(), ["pull", "org/big", "--json"], environment: environment, timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let files = try #require(report["files"] as? [[String: Any]])
        let bigFile = try #require(files.first { $0.string("path") == "unet/diffusion_pytorch_model.safetensors" })
        #expect(bigFile.string("status") == "resumed")
        let transferred = try #require(bigFile.int("transferred"))
        #expect(transferred <= big.count - Int(done))
        #expect(transferred > 0)
        let commit = try #require(report.string("commit"))
        let installed = sandbox.hubCache.appendingPathComponent("models--org--big/snapshots/\(commit)/unet/diffusion_pytorch_model.safetensors")
        #expect(try Data(contentsOf: installed) == big)
        try sandbox.depot("verify", "org/big")
        hub.stop()
    }
}
