import DepotCore
import DepotTestSupport
import Foundation
import Testing
@testable import DepotHub

/// Against olah, a real and independent Hub mirror: it redirects the tree listing, sends the LFS
/// SHA-256 in a plain ETag without X-Linked-* headers, and ignores Range.
@Suite struct LiveOlahTests {
    @Test func listsMetadataAndDownloadsFromOlah() async throws {
        let hub = try FixtureHub()
        defer { hub.stop() }
        let client = HubClient(configuration: HubConfiguration(
            endpoint: hub.endpoint, retry: RetryPolicy(maxRetries: 2, baseDelay: 0.02, maxDelay: 0.1)))
        let repo = "depot-fixtures/tiny-sd1"
        let commit = try await client.revision(repo: repo, revision: "main").commit
        let files = try await client.listFiles(repo: repo, commit: commit)
        let weights = try #require(files.first { $0.path == "text_encoder/model.safetensors" })
        let local = TestEnvironment.fixture("tiny-sd1/text_encoder/model.safetensors")
        let expectedSHA = try ContentHasher.digest(ofFileAt: local.path).sha256
        #expect(weights.lfs?.sha256 == expectedSHA)
        let config = try #require(files.first { $0.path == "model_index.json" })
        #expect(config.lfs == nil && config.gitOID?.count == 40)

        let metadata = try await client.fileMetadata(repo: repo, revision: commit, path: weights.path)
        #expect(metadata.etag == expectedSHA)  // plain ETag, no X-Linked-Etag
        #expect(metadata.size == weights.size)
        #expect(metadata.commit == commit)

        let scratch = try TemporaryDirectory("depot-hub-olah")
        for file in [weights, config] {
            let request = DownloadRequest(
                repo: repo, commit: commit, path: file.path, size: file.size,
                expectedHash: try #require(file.expectedHash), partialFile: scratch.path(file.path.replacingOccurrences(of: "/", with: "_")))
            let result = try await client.download(request)
            #expect(try Data(contentsOf: result.partialFile) == Data(contentsOf: TestEnvironment.fixture("tiny-sd1/" + file.path)))
        }

        // A partial to resume: olah answers the Range request with 200, so the download starts over.
        let request = DownloadRequest(
            repo: repo, commit: commit, path: weights.path, size: weights.size,
            expectedHash: try #require(weights.expectedHash), partialFile: scratch.path("resumed"))
        var sidecar = ResumeSidecar.plan(etag: request.expectedHash.hex, size: request.size, chunkSize: nil)
        sidecar.chunks[0].done = 1000
        try Data(try Data(contentsOf: local).prefix(1000)).write(to: request.partialFile)
        try sidecar.save(for: request.partialFile)
        let result = try await client.download(request)
        #expect(result.bytesResumed == 0 && result.bytesTransferred == weights.size)
        #expect(result.sha256 == expectedSHA)
    }
}
