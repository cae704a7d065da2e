import Foundation
import Testing
import DepotTestSupport

/// `depot pull|list|show|rm|verify` against olah, a real Hub mirror serving the tiny fixtures.
@Suite("pull against olah", .serialized)
struct PullCommandTests {
    let hub: FixtureHub

    init() throws {
        hub = try FixtureHub()
    }

    @Test("pull by name and by repo id installs verified files in the HF cache layout")
    func pullByNameAndRepoID() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let first = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        #expect(first.string("repo") == "depot-fixtures/tiny-sd1")
        let commit = try #require(first.string("commit"))
        #expect(commit.count == 40)
        let fixtureBytes = try Self.folderSize(TestEnvironment.fixture("tiny-sd1"))
        let pulledBytes = Self.totalSize(first)
        // Every fixture file arrives (the mirror repo adds only .gitattributes), and all of it was transferred.
        #expect(pulledBytes >= fixtureBytes && pulledBytes < fixtureBytes + 1024)
        #expect(first.int("bytes_transferred") == pulledBytes)
        #expect(first.int("bytes_reused") == 0)

        let snapshot = sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd1/snapshots/\(commit)")
        let unet = snapshot.appendingPathComponent("unet/diffusion_pytorch_model.safetensors")
        let linkTarget = try FileManager.default.destinationOfSymbolicLink(atPath: unet.path)
        #expect(linkTarget.hasPrefix("../../../blobs/"))
        #expect(try Data(contentsOf: unet) == Data(contentsOf: TestEnvironment.fixture("tiny-sd1/unet/diffusion_pytorch_model.safetensors")))
        let ref = try String(contentsOf: sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd1/refs/main"), encoding: .utf8)
        #expect(ref == commit)

        let second = try #require(try sandbox.json("pull", "depot-fixtures/tiny-sd2") as? [String: Any])
        #expect(second.string("repo") == "depot-fixtures/tiny-sd2")

        let list = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(Set(list.compactMap { $0.string("repo") }) == ["depot-fixtures/tiny-sd1", "depot-fixtures/tiny-sd2"])
        let row = try #require(list.first { $0.string("repo") == "depot-fixtures/tiny-sd1" })
        #expect(row.string("name") == "tiny-sd1")
        #expect(row.string("commit") == commit)
        #expect(row.string("revision") == "main")
        #expect(row.int("bytes") == pulledBytes)
        #expect(row.int("files") == (first["files"] as? [Any])?.count)

        let again = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        #expect(again.int("bytes_transferred") == 0)
        #expect(again.string("commit") == commit)
    }

    @Test("a new commit gives a second version; rm of one keeps the other's files")
    func twoVersionsAndRemove() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let copy = try TemporaryDirectory("depot-fixture-copy")
        let folder = copy.path("tiny-sd1")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: folder)
        let repos = ["depot-fixtures/evolving": folder]
        let firstCommit = try #require(try hub.sync(repos)["depot-fixtures/evolving"])
        try sandbox.depot("pull", "depot-fixtures/evolving")

        let scheduler = folder.appendingPathComponent("scheduler/scheduler_config.json")
        var text = try String(contentsOf: scheduler, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"steps_offset\": 1", with: "\"steps_offset\": 0")
        try text.write(to: scheduler, atomically: true, encoding: .utf8)
        let secondCommit = try #require(try hub.sync(repos)["depot-fixtures/evolving"])
        #expect(secondCommit != firstCommit)
        let pulled = try #require(try sandbox.json("pull", "depot-fixtures/evolving") as? [String: Any])
        #expect(pulled.string("commit") == secondCommit)
        // Only the changed file travels: every other blob is shared with the first version.
        let changedSize = try FileManager.default.attributesOfItem(atPath: scheduler.path)[.size] as? Int
        #expect(pulled.int("bytes_transferred") == changedSize)

        let list = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(Set(list.compactMap { $0.string("commit") }) == [firstCommit, secondCommit])

        try sandbox.depot("rm", "depot-fixtures/evolving@\(String(firstCommit.prefix(10)))")
        let after = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(after.compactMap { $0.string("commit") } == [secondCommit])
        let repoFolder = sandbox.hubCache.appendingPathComponent("models--depot-fixtures--evolving")
        #expect(!FileManager.default.fileExists(atPath: repoFolder.appendingPathComponent("snapshots/\(firstCommit)").path))
        let kept = repoFolder.appendingPathComponent("snapshots/\(secondCommit)/unet/diffusion_pytorch_model.safetensors")
        #expect(try Data(contentsOf: kept) == Data(contentsOf: folder.appendingPathComponent("unet/diffusion_pytorch_model.safetensors")))
        try sandbox.depot("verify", "depot-fixtures/evolving")
    }

    @Test("verify catches a flipped byte and names the file")
    func verifyCatchesCorruption() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let pulled = try #require(try sandbox.json("pull", "tiny-sd1") as? [String: Any])
        let commit = try #require(pulled.string("commit"))
        try sandbox.depot("verify", "tiny-sd1")

        let file = sandbox.hubCache.appendingPathComponent("models--depot-fixtures--tiny-sd1/snapshots/\(commit)/vae/diffusion_pytorch_model.safetensors")
        let handle = try FileHandle(forUpdating: file)
        try handle.seek(toOffset: 5000)
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: 5000)
        try handle.write(contentsOf: Data([byte ^ 0x01]))
        try handle.close()

        let result = try sandbox.run(["verify", "tiny-sd1"])
        #expect(result.status != 0)
        #expect((result.stdout + result.stderr).contains("vae/diffusion_pytorch_model.safetensors"))
        let report = try sandbox.run(["verify", "tiny-sd1", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: report.stdoutData) as? [String: Any])
        #expect(json["ok"] as? Bool == false)
    }

    @Test("an unknown name is refused with close names; a missing repo says so")
    func unknownNames() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let typo = try sandbox.run(["pull", "tiny-sd3"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("tiny-sd1"))
        let missing = try sandbox.run(["pull", "depot-fixtures/no-such-model"])
        #expect(missing.status != 0)
        #expect(missing.stderr.localizedCaseInsensitiveContains("not found"))
        #expect(missing.stderr.contains("depot-fixtures/no-such-model"))
        let list = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(list.isEmpty)
    }

    @Test("offline mode answers from the store only")
    func offline() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let notYet = try sandbox.run(["pull", "tiny-sd1"], extraEnvironment: ["HF_HUB_OFFLINE": "1"])
        #expect(notYet.status != 0)
        #expect(notYet.stderr.localizedCaseInsensitiveContains("offline"))
        try sandbox.depot("pull", "tiny-sd1")
        let offline = try sandbox.run(["pull", "tiny-sd1", "--json"], extraEnvironment: ["HF_HUB_OFFLINE": "1", "HF_ENDPOINT": "http://127.0.0.1:9"])
        #expect(offline.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: offline.stdoutData) as? [String: Any])
        #expect(json.int("bytes_transferred") == 0)
    }

    @Test("two pulls of the same model at once: both succeed, the bytes travel once")
    func concurrentPulls() throws {
        let sandbox = try DepotSandbox(hub: hub)
        let binary = try TestEnvironment.depotBinary()
        let results = try [0, 1].map { _ in
            let out = try TemporaryDirectory("depot-concurrent")
            let process = Process()
            process.executableURL = binary
            process.arguments = ["pull", "tiny-sd2", "--json"]
            process.environment = ProcessInfo.processInfo.environment.merging(sandbox.environment) { _, new in new }
            FileManager.default.createFile(atPath: out.path("out").path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: out.path("out"))
            process.standardError = FileHandle.nullDevice
            try process.run()
            return (process, out)
        }.map { process, out in
            process.waitUntilExit()
            return (process.terminationStatus, try Data(contentsOf: out.path("out")))
        }
        #expect(results.allSatisfy { $0.0 == 0 })
        let reports = try results.map { _, data in
            try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
        let transferred = reports.map { $0.int("bytes_transferred") ?? -1 }
        #expect(transferred.reduce(0, +) == Self.totalSize(reports[0]))
        let list = try #require(try sandbox.json("list") as? [[String: Any]])
        #expect(list.count == 1)
    }

    /// The sum of the sizes in a `pull --json` report's files.
    static func totalSize(_ report: [String: Any]) -> Int {
        ((report["files"] as? [[String: Any]]) ?? []).reduce(0) { $0 + ($1.int("size") ?? 0) }
    }

    static func folderSize(_ folder: URL) throws -> Int {
        var total = 0
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let values = try url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values.isRegularFile == true { total += values.fileSize ?? 0 }
        }
        return total
    }
}
