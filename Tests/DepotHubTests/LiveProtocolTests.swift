import DepotCore
import Foundation
import Testing
@testable import DepotHub

/// The metadata endpoints against testhub.py.
@Suite struct LiveProtocolTests {
    @Test func revisionResolvesBranchesWithSlashes() async throws {
        try await withHub { hub in
            try hub.addSampleRepo(settings: #"{"refs": ["feature/new-vae"]}"#)
            let client = hub.client()
            let main = try await client.revision(repo: "org/model", revision: "main")
            #expect(main.commit.count == 40)
            #expect(Set(main.files) == Set(sampleFiles.keys))
            let branch = try await client.revision(repo: "org/model", revision: "feature/new-vae")
            #expect(branch.commit == main.commit)
            await #expect(throws: HubError.self) { try await client.revision(repo: "org/model", revision: "nope") }
            do {
                _ = try await client.revision(repo: "org/model", revision: "nope")
            } catch let error as HubError {
                guard case .revisionNotFound(_, "nope", _) = error else { Issue.record("got \(error)"); return }
            }
        }
    }

    @Test func treeListingFollowsPaginationAndReportsHashes() async throws {
        try await withHub(pageSize: 2) { hub in
            try hub.addSampleRepo()
            let client = hub.client()
            let commit = try await client.revision(repo: "org/model", revision: "main").commit
            let files = try await client.listFiles(repo: "org/model", commit: commit)
            #expect(Set(files.map(\.path)) == Set(sampleFiles.keys))
            let pages = try await hub.log().filter { $0.kind == "tree" }.count
            #expect(pages >= 3)
            let unet = try #require(files.first { $0.path == "unet/diffusion_pytorch_model.safetensors" })
            #expect(unet.size == 3 << 20)
            #expect(unet.lfs?.sha256.count == 64)
            let readme = try #require(files.first { $0.path == "README.md" })
            #expect(readme.lfs == nil)
            var hasher = ContentHasher(gitBlobSize: Int64(sampleFiles["README.md"]!.count))
            hasher.update(sampleFiles["README.md"]!)
            #expect(readme.expectedHash == .gitBlobSHA1(hasher.finalize().gitSHA1 ?? ""))
        }
    }

    @Test func metadataReadsLinkedHeadersAndNormalisesETags() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let client = hub.client()
            let commit = try await client.revision(repo: "org/model", revision: "main").commit
            let files = try await client.listFiles(repo: "org/model", commit: commit)
            let lfs = try await client.fileMetadata(repo: "org/model", revision: "main", path: "text_encoder/model.safetensors")
            #expect(lfs.commit == commit)
            #expect(lfs.size == 700 << 10)
            #expect(lfs.etag == files.first { $0.path == "text_encoder/model.safetensors" }?.lfs?.sha256)
            let small = try await client.fileMetadata(repo: "org/model", revision: "main", path: "README.md")
            #expect(small.etag == files.first { $0.path == "README.md" }?.gitOID)  // was W/"..."
            #expect(small.size == Int64(sampleFiles["README.md"]!.count))
        }
    }

    @Test func missingThingsGiveTypedErrors() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let client = hub.client()
            await #expect(throws: HubError.repoNotFound(repo: "org/absent", url: "\(hub.endpoint)/api/models/org/absent/revision/main")) {
                try await client.revision(repo: "org/absent", revision: "main")
            }
            await #expect(throws: HubError.entryNotFound(
                repo: "org/model", revision: "main", path: "missing.bin", url: "\(hub.endpoint)/org/model/resolve/main/missing.bin")
            ) {
                try await client.fileMetadata(repo: "org/model", revision: "main", path: "missing.bin")
            }
        }
    }

    @Test func privateAndGatedReposNeedAToken() async throws {
        try await withHub(token: "secret") { hub in
            try hub.addSampleRepo("org/private", settings: #"{"private": true}"#)
            try hub.addSampleRepo("org/gated", settings: #"{"gated": true}"#)
            let anonymous = hub.client()
            await #expect(throws: HubError.repoNotFound(repo: "org/private", url: "\(hub.endpoint)/api/models/org/private/revision/main")) {
                try await anonymous.revision(repo: "org/private", revision: "main")
            }
            await #expect(throws: HubError.gatedRepo(repo: "org/gated", url: "\(hub.endpoint)/api/models/org/gated/revision/main")) {
                try await anonymous.revision(repo: "org/gated", revision: "main")
            }
            let authorized = hub.client(token: "secret")
            #expect(try await authorized.revision(repo: "org/private", revision: "main").commit.count == 40)
            #expect(try await authorized.revision(repo: "org/gated", revision: "main").commit.count == 40)
        }
    }

    @Test func injectedAuthErrorsAreTyped() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            try await hub.inject(#"[{"kind": "status", "path": "revision:*", "status": 401, "headers": {"X-Error-Code": "RepoNotFound"}}, {"kind": "status", "path": "README.md", "method": "HEAD", "status": 404, "headers": {"X-Error-Code": "EntryNotFound"}}]"#)
            let client = hub.client()
            await #expect(throws: HubError.repoNotFound(repo: "org/model", url: "\(hub.endpoint)/api/models/org/model/revision/main")) {
                try await client.revision(repo: "org/model", revision: "main")
            }
            await #expect(throws: HubError.entryNotFound(
                repo: "org/model", revision: "main", path: "README.md", url: "\(hub.endpoint)/org/model/resolve/main/README.md")
            ) {
                try await client.fileMetadata(repo: "org/model", revision: "main", path: "README.md")
            }
        }
    }

    @Test func relativeRedirectsAreFollowedForMetadata() async throws {
        try await withHub { hub in
            try hub.addSampleRepo("org/renamed")
            try await hub.inject(#"[{"kind": "redirect", "path": "README.md", "method": "HEAD", "location": "/org/renamed/resolve/main/README.md"}]"#)
            let metadata = try await hub.client().fileMetadata(repo: "org/old-name", revision: "main", path: "README.md")
            #expect(metadata.url == "\(hub.endpoint)/org/renamed/resolve/main/README.md")
            #expect(metadata.size == Int64(sampleFiles["README.md"]!.count))
        }
    }

    @Test func withoutATreeEndpointFilesComeFromSiblingsAndHead() async throws {
        try await withHub { hub in
            try hub.addSampleRepo()
            let client = hub.client()
            let commit = try await client.revision(repo: "org/model", revision: "main").commit
            let listed = try await client.listFiles(repo: "org/model", commit: commit)
            try await hub.inject(#"[{"kind": "status", "path": "tree:*", "status": 404}]"#)
            let fallback = try await client.listFiles(repo: "org/model", commit: commit)
            #expect(fallback.sorted { $0.path < $1.path }.map(\.expectedHash) == listed.sorted { $0.path < $1.path }.map(\.expectedHash))
            #expect(fallback.map(\.size).reduce(0, +) == listed.map(\.size).reduce(0, +))
            let heads = try await hub.log().filter { $0.method == "HEAD" }.count
            #expect(heads == sampleFiles.count)
        }
    }

    @Test func unreachableEndpointIsRetriedThenReported() async throws {
        let client = HubClient(configuration: HubConfiguration(
            endpoint: "http://127.0.0.1:1", retry: RetryPolicy(maxRetries: 2, baseDelay: 0.01, maxDelay: 0.02)))
        do {
            _ = try await client.revision(repo: "org/model", revision: "main")
            Issue.record("a closed port answered")
        } catch let error as HubError {
            guard case .transport(let url, _) = error else { Issue.record("got \(error)"); return }
            #expect(url == "http://127.0.0.1:1/api/models/org/model/revision/main")
            #expect("\(error)".contains("HF_ENDPOINT"))
        }
    }

    @Test func crossHostRedirectWithoutLinkedHeadersIsFollowedForMetadata() async throws {
        try await withHub(token: "secret") { hub in
            try hub.addSampleRepo()
            let client = hub.client(token: "secret")
            let direct = try await client.fileMetadata(repo: "org/model", revision: "main", path: "README.md")
            let cdn = "http://localhost:\(hub.port)/org/model/resolve/main/README.md"
            try await hub.inject(#"[{"kind": "redirect", "path": "README.md", "method": "HEAD", "location": "\#(cdn)", "host": "127.0.0.1:\#(hub.port)"}]"#)
            let redirected = try await client.fileMetadata(repo: "org/model", revision: "main", path: "README.md")
            #expect(redirected.etag == direct.etag && redirected.size == direct.size && redirected.commit == direct.commit)
            #expect(redirected.url == cdn)
            let heads = try await hub.log().filter { $0.method == "HEAD" }
            #expect(heads.map(\.authorized) == [true, true, false])
        }
    }
}
