import DepotCore
import DepotMirror
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The Hub endpoints in-process (HummingbirdTesting's router framework) and over a live socket.
@Suite struct HubMirrorRoutesTests {
    static func app(_ store: MirrorTestStore, pageSize: Int = 1000) -> some ApplicationProtocol {
        let router = Router()
        HubMirrorRoutes(service: store.service, pageSize: pageSize).register(on: router)
        return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
    }

    static func json(_ response: TestResponse) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
    }

    static func header(_ response: TestResponse, _ name: String) -> String? {
        response.headers[HTTPField.Name(name)!]
    }

    @Test("revision: sha of the newest installed version for main, an older one by commit, siblings with blobs=true")
    func revision() async throws {
        let store = try await MirrorTestStore.standard()
        try await Self.app(store).test(.router) { client in
            try await client.execute(uri: "/api/models/org/model/revision/main", method: .get) { response in
                #expect(response.status == .ok)
                let info = try #require(try Self.json(response) as? [String: Any])
                #expect(info["id"] as? String == "org/model")
                #expect(info["sha"] as? String == MirrorTestStore.newCommit)
                let siblings = try #require(info["siblings"] as? [[String: Any]])
                #expect(siblings.compactMap { $0["rfilename"] as? String } == [
                    "model_index.json", "text_encoder/sub folder/a b.txt", "unet/config.json", "unet/diffusion_pytorch_model.safetensors"])
                #expect(siblings.allSatisfy { $0["size"] == nil })
                #expect((info["lastModified"] as? String)?.hasSuffix("Z") == true)
            }
            try await client.execute(uri: "/api/models/org/model/revision/\(MirrorTestStore.oldCommit)?blobs=true", method: .get) { response in
                let info = try #require(try Self.json(response) as? [String: Any])
                #expect(info["sha"] as? String == MirrorTestStore.oldCommit)
                let siblings = try #require(info["siblings"] as? [[String: Any]])
                #expect(siblings.count == 1)
                #expect(siblings.first?["size"] as? Int == 14)
                #expect((siblings.first?["blobId"] as? String)?.count == 40)
            }
            try await client.execute(uri: "/api/models/org/model", method: .get) { response in
                let info = try #require(try Self.json(response) as? [String: Any])
                #expect(info["sha"] as? String == MirrorTestStore.newCommit)
            }
            try await client.execute(uri: "/api/models/solo/revision/main", method: .get) { response in
                let info = try #require(try Self.json(response) as? [String: Any])
                #expect(info["sha"] as? String == MirrorTestStore.soloCommit)
            }
        }
    }

    @Test("tree: recursive listing paged by Link rel=next, a sub-folder, LFS metadata")
    func treePages() async throws {
        let store = try await MirrorTestStore.standard()
        try await Self.app(store, pageSize: 2).test(.router) { client in
            var uri: String? = "/api/models/org/model/tree/main?recursive=true&expand=false"
            var paths: [String] = []
            var entries: [[String: Any]] = []
            var pages = 0
            while let next = uri {
                try await client.execute(uri: next, method: .get) { response in
                    #expect(response.status == .ok)
                    let page = try #require(try Self.json(response) as? [[String: Any]])
                    #expect(page.count <= 2)
                    entries += page
                    paths += page.compactMap { $0["path"] as? String }
                    uri = Self.header(response, "Link").flatMap { link in
                        link.split(separator: ";").first.map { String($0.dropFirst().dropLast()) }
                            .flatMap { URL(string: $0) }.map { $0.path + "?" + ($0.query ?? "") }
                    }
                    if uri != nil { #expect(Self.header(response, "Link")?.hasSuffix("rel=\"next\"") == true) }
                }
                pages += 1
            }
            #expect(pages == 4)
            #expect(paths == ["model_index.json", "text_encoder", "text_encoder/sub folder", "text_encoder/sub folder/a b.txt",
                              "unet", "unet/config.json", "unet/diffusion_pytorch_model.safetensors"])
            let weight = try #require(entries.first { $0["path"] as? String == "unet/diffusion_pytorch_model.safetensors" })
            let lfs = try #require(weight["lfs"] as? [String: Any])
            #expect(lfs["oid"] as? String == ContentHasher.digest(of: MirrorTestStore.weights))
            #expect(lfs["size"] as? Int == MirrorTestStore.weights.count)
            #expect(weight["size"] as? Int == MirrorTestStore.weights.count)

            try await client.execute(uri: "/api/models/org/model/tree/main/text_encoder%2Fsub%20folder", method: .get) { response in
                let page = try #require(try Self.json(response) as? [[String: Any]])
                #expect(page.compactMap { $0["path"] as? String } == ["text_encoder/sub folder/a b.txt"])
            }
            try await client.execute(uri: "/api/models/org/model/tree/main/text_encoder/sub%20folder", method: .get) { response in
                let page = try #require(try Self.json(response) as? [[String: Any]])
                #expect(page.compactMap { $0["type"] as? String } == ["file"])
            }
        }
    }

    @Test("resolve: HEAD and GET with ETag (sha256 for LFS, git sha1 otherwise), X-Linked-*, X-Repo-Commit")
    func resolveHeaders() async throws {
        let store = try await MirrorTestStore.standard()
        try await Self.app(store).test(.router) { client in
            let weightURI = "/org/model/resolve/main/unet/diffusion_pytorch_model.safetensors"
            try await client.execute(uri: weightURI, method: .head) { response in
                #expect(response.status == .ok)
                let sha = ContentHasher.digest(of: MirrorTestStore.weights)
                #expect(Self.header(response, "ETag") == "\"\(sha)\"")
                #expect(Self.header(response, "X-Linked-Etag") == "\"\(sha)\"")
                #expect(Self.header(response, "X-Linked-Size") == String(MirrorTestStore.weights.count))
                #expect(Self.header(response, "Content-Length") == String(MirrorTestStore.weights.count))
                #expect(Self.header(response, "X-Repo-Commit") == MirrorTestStore.newCommit)
                #expect(Self.header(response, "Accept-Ranges") == "bytes")
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: weightURI, method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == MirrorTestStore.weights)
            }
            try await client.execute(uri: "/org/model/resolve/\(MirrorTestStore.oldCommit)/model_index.json", method: .get) { response in
                let bytes = Data("{\"old\": true}\n".utf8)
                #expect(Data(response.body.readableBytesView) == bytes)
                var hasher = ContentHasher(gitBlobSize: Int64(bytes.count))
                hasher.update(bytes)
                #expect(Self.header(response, "ETag") == "\"\(hasher.finalize().gitSHA1!)\"")
                #expect(Self.header(response, "X-Linked-Etag") == nil)
                #expect(Self.header(response, "X-Repo-Commit") == MirrorTestStore.oldCommit)
            }
            try await client.execute(uri: "/org/model/resolve/main/text_encoder/sub%20folder/a%20b.txt", method: .get) { response in
                #expect(String(buffer: response.body) == "spaces\n")
            }
            try await client.execute(uri: "/solo/resolve/main/README.md", method: .get) { response in
                #expect(String(buffer: response.body) == "# solo\n")
            }
        }
    }

    @Test("resolve: Range gives 206 with Content-Range, a range past the end 416")
    func ranges() async throws {
        let store = try await MirrorTestStore.standard()
        let uri = "/org/model/resolve/main/unet/diffusion_pytorch_model.safetensors"
        let weights = MirrorTestStore.weights
        try await Self.app(store).test(.router) { client in
            for (header, expected) in [("bytes=100-199", 100...199), ("bytes=-10", (weights.count - 10)...(weights.count - 1)),
                                       ("bytes=299990-", 299_990...(weights.count - 1))] {
                try await client.execute(uri: uri, method: .get, headers: [.range: header]) { response in
                    #expect(response.status == .partialContent)
                    #expect(Self.header(response, "Content-Range") == "bytes \(expected.lowerBound)-\(expected.upperBound)/\(weights.count)")
                    #expect(Data(response.body.readableBytesView) == weights[expected])
                }
            }
            try await client.execute(uri: uri, method: .get, headers: [.range: "bytes=300000-"]) { response in
                #expect(response.status == .rangeNotSatisfiable)
                #expect(Self.header(response, "Content-Range") == "bytes */\(weights.count)")
            }
        }
    }

    @Test("404 with X-Error-Code: RepoNotFound, RevisionNotFound, EntryNotFound (with X-Repo-Commit)")
    func errorCodes() async throws {
        let store = try await MirrorTestStore.standard()
        try await Self.app(store).test(.router) { client in
            let cases: [(String, HTTPRequest.Method, String)] = [
                ("/api/models/org/missing/revision/main", .get, "RepoNotFound"),
                ("/org/missing/resolve/main/x.json", .head, "RepoNotFound"),
                ("/api/models/org/model/revision/v9", .get, "RevisionNotFound"),
                ("/api/models/org/model/tree/\(String(repeating: "d", count: 40))", .get, "RevisionNotFound"),
                ("/org/model/resolve/v9/model_index.json", .get, "RevisionNotFound"),
                ("/org/model/resolve/main/vae/config.json", .head, "EntryNotFound"),
                ("/org/model/resolve/main/vae/config.json", .get, "EntryNotFound"),
                ("/api/models/org/model/tree/main/vae", .get, "EntryNotFound"),
            ]
            for (uri, method, code) in cases {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .notFound, "\(uri)")
                    #expect(Self.header(response, "X-Error-Code") == code, "\(uri)")
                    if code == "EntryNotFound" {
                        #expect(Self.header(response, "X-Repo-Commit") == MirrorTestStore.newCommit)
                    }
                }
            }
        }
    }

    @Test("over a live socket: a whole file, a range, and a ref other than main")
    func liveSocket() async throws {
        let store = try await MirrorTestStore.standard()
        try await store.install(repo: "org/model", commit: String(repeating: "e", count: 40), revision: "v1.0", files: [
            .init(path: "model_index.json", bytes: Data("tagged\n".utf8), lfs: false)], pulledAt: Date(timeIntervalSinceNow: -7200))
        try await Self.app(store).test(.live) { client in
            #expect(client.port != nil)
            try await client.execute(uri: "/org/model/resolve/main/unet/diffusion_pytorch_model.safetensors", method: .get) { response in
                #expect(response.status == .ok)
                #expect(Data(response.body.readableBytesView) == MirrorTestStore.weights)
            }
            try await client.execute(uri: "/org/model/resolve/main/unet/diffusion_pytorch_model.safetensors", method: .get,
                                     headers: [.range: "bytes=0-7"]) { response in
                #expect(response.status == .partialContent)
                #expect(Data(response.body.readableBytesView) == MirrorTestStore.weights.prefix(8))
            }
            try await client.execute(uri: "/org/model/resolve/v1.0/model_index.json", method: .get) { response in
                #expect(String(buffer: response.body) == "tagged\n")
                #expect(Self.header(response, "X-Repo-Commit") == String(repeating: "e", count: 40))
            }
        }
    }
}

extension ContentHasher {
    static func digest(of data: Data) -> String {
        var hasher = ContentHasher()
        hasher.update(data)
        return hasher.finalize().sha256
    }
}
