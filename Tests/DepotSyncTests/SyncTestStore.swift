import DepotCore
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation

/// A private depot store whose service pulls from `endpoint`.
struct SyncTestStore {
    let home: TemporaryDirectory
    let service: DepotService

    init(endpoint: String = "http://127.0.0.1:9") throws {
        home = try TemporaryDirectory("depot-sync-store")
        service = try DepotService(config: try DepotConfig.load(environment: [
            "HOME": home.url.path, "DEPOT_HOME": home.path("depot-home").path, "HF_HOME": home.path("hf-home").path,
            "HF_ENDPOINT": endpoint]))
    }

    /// Records a one-file version of `name` without any download.
    func recordVersion(name: String, commit: String, pulledAt: Date) async throws {
        try await service.catalog.recordInstalledVersion(NewVersion(
            name: name, repo: name, kind: "diffusers", commit: commit, revision: "main",
            files: [VerifiedFile(path: "model_index.json", size: 2, sha256: String(repeating: "0", count: 64),
                                 etag: String(repeating: "1", count: 40), isLFS: false)],
            pulledAt: pulledAt))
    }
}

/// A fixture repo served by olah whose folder the test edits, one commit per `commit()`.
final class EvolvingRepo: @unchecked Sendable {
    let hub: FixtureHub
    let copy: TemporaryDirectory
    let repo = "depot-fixtures/evolving"
    private var generation = 0

    init(hub: FixtureHub) throws {
        self.hub = hub
        copy = try TemporaryDirectory("depot-sync-repo")
        try FileManager.default.copyItem(at: TestEnvironment.fixture("tiny-sd1"), to: folder)
    }

    var folder: URL { copy.path("tiny-sd1") }

    /// Changes one small file and publishes the folder as a new commit on main; returns the commit.
    @discardableResult
    func commit() throws -> String {
        generation += 1
        try Data("{\"generation\": \(generation)}\n".utf8).write(to: folder.appendingPathComponent("generation.json"))
        guard let commit = try hub.sync([repo: folder])[repo] else {
            throw TestSupportError.failed(command: "fixture-hub sync", status: 0, stderr: "no commit for \(repo)")
        }
        return commit
    }
}
