import DepotCore
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation

/// A private depot store (DEPOT_HOME + HF cache) with versions written directly: blobs named by
/// etag, snapshot links, catalog rows. Fast, and every byte and hash is known to the test.
final class MirrorTestStore: Sendable {
    let home: TemporaryDirectory
    let service: DepotService

    struct File {
        var path: String
        var bytes: Data
        var lfs: Bool
    }

    /// - Parameter endpoint: the Hub the store's service pulls from (nothing listens on the default).
    init(endpoint: String = "http://127.0.0.1:9") throws {
        home = try TemporaryDirectory("depot-mirror-store")
        let config = try DepotConfig.load(environment: [
            "HOME": home.url.path, "DEPOT_HOME": home.path("depot-home").path, "HF_HOME": home.path("hf-home").path,
            "HF_ENDPOINT": endpoint, "HF_HUB_DISABLE_TELEMETRY": "1"])
        service = try DepotService(config: config)
    }

    /// Installs `files` as the version `commit` of `repo` (recorded under `name`, default the repo).
    func install(repo: String, name: String? = nil, commit: String, revision: String = "main", files: [File],
                 pulledAt: Date = Date()) async throws {
        var verified: [VerifiedFile] = []
        for file in files {
            var hasher = ContentHasher(gitBlobSize: Int64(file.bytes.count))
            hasher.update(file.bytes)
            let digest = hasher.finalize()
            let etag = file.lfs ? digest.sha256 : digest.gitSHA1!
            let blob = try service.layout.blobPath(repo: repo, etag: etag)
            try FileManager.default.createDirectory(atPath: (blob as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try file.bytes.write(to: URL(fileURLWithPath: blob))
            try service.layout.linkSnapshotFile(repo: repo, commit: commit, path: file.path, etag: etag)
            verified.append(VerifiedFile(path: file.path, size: Int64(file.bytes.count), sha256: digest.sha256, etag: etag, isLFS: file.lfs))
        }
        try await service.catalog.recordInstalledVersion(NewVersion(
            name: name ?? repo, repo: repo, kind: "diffusers", commit: commit, revision: revision, files: verified, pulledAt: pulledAt))
        try service.layout.writeRef(repo: repo, revision: revision, commit: commit)
    }

    /// The store most route tests use: `org/model` at two commits (the second newer, with an LFS
    /// weight in a folder) and the name-only repo `solo`.
    static func standard() async throws -> MirrorTestStore {
        let store = try MirrorTestStore()
        try await store.install(repo: "org/model", commit: oldCommit, files: [
            File(path: "model_index.json", bytes: Data("{\"old\": true}\n".utf8), lfs: false),
        ], pulledAt: Date(timeIntervalSinceNow: -3600))
        try await store.install(repo: "org/model", commit: newCommit, files: [
            File(path: "model_index.json", bytes: Data("{\"_class_name\": \"StableDiffusionPipeline\"}\n".utf8), lfs: false),
            File(path: "unet/config.json", bytes: Data("{\"sample_size\": 64}\n".utf8), lfs: false),
            File(path: "unet/diffusion_pytorch_model.safetensors", bytes: weights, lfs: true),
            File(path: "text_encoder/sub folder/a b.txt", bytes: Data("spaces\n".utf8), lfs: false),
        ])
        try await store.install(repo: "solo", commit: soloCommit, files: [
            File(path: "README.md", bytes: Data("# solo\n".utf8), lfs: false),
        ])
        return store
    }

    static let oldCommit = String(repeating: "a", count: 40)
    static let newCommit = String(repeating: "b", count: 40)
    static let soloCommit = String(repeating: "c", count: 40)
    static let weights = pseudoRandomBytes(300_000, seed: 7)
}
