import DepotTestSupport
import Foundation
@testable import DepotHub

/// Runs `body` with a fresh test hub and stops it afterwards, even when `body` throws.
func withHub<T>(pageSize: Int = 1000, token: String? = nil, _ body: (TestHub) async throws -> T) async throws -> T {
    let hub = try TestHub(pageSize: pageSize, token: token)
    do {
        let result = try await body(hub)
        hub.stop()
        return result
    } catch {
        hub.stop()
        throw error
    }
}

/// A repository `org/model` holding a small text file, a 3 MiB LFS file and a 700 KiB LFS file.
let sampleFiles: [String: Data] = [
    "README.md": Data("# sample\n".utf8),
    "unet/diffusion_pytorch_model.safetensors": pseudoRandomBytes(3 << 20, seed: 1),
    "text_encoder/model.safetensors": pseudoRandomBytes(700 << 10, seed: 2),
    "scheduler/scheduler_config.json": Data(#"{"num_train_timesteps": 1000}"#.utf8),
]

extension TestHub {
    func addSampleRepo(_ repo: String = "org/model", settings: String? = nil) throws {
        try addRepo(repo, files: sampleFiles, settings: settings)
    }

    func localFile(_ repo: String, _ path: String) -> URL {
        root.appendingPathComponent(repo).appendingPathComponent(path)
    }
}

/// Lists `repo` at main and downloads `path` into `directory/<name>.incomplete`.
func downloadListed(
    _ client: HubClient, repo: String = "org/model", path: String, into directory: URL,
    progress: (@Sendable (DownloadProgress) -> Void)? = nil
) async throws -> DownloadResult {
    let request = try await downloadRequest(client, repo: repo, path: path, into: directory)
    return try await client.download(request, progress: progress)
}

func downloadRequest(_ client: HubClient, repo: String = "org/model", path: String, into directory: URL) async throws -> DownloadRequest {
    let commit = try await client.revision(repo: repo, revision: "main").commit
    let files = try await client.listFiles(repo: repo, commit: commit)
    guard let file = files.first(where: { $0.path == path }), let expected = file.expectedHash else {
        throw TestHubError(description: "\(path) is not listed with a hash")
    }
    let partial = directory.appendingPathComponent(path.replacingOccurrences(of: "/", with: "_") + ".incomplete")
    return DownloadRequest(repo: repo, commit: commit, path: path, size: file.size, expectedHash: expected, partialFile: partial)
}
