import Foundation

/// A client of one Hugging Face Hub endpoint, over libcurl.
///
/// Every call retries transient failures (connection errors, stalls, 408, 429, 5xx) with
/// exponential backoff and jitter, and throws `HubError` otherwise.
public struct HubClient: Sendable {
    public let configuration: HubConfiguration
    let urls: HubURLs
    let transport: HubTransport

    public init(configuration: HubConfiguration) {
        self.configuration = configuration
        self.urls = HubURLs(endpoint: configuration.endpoint)
        self.transport = HubTransport(configuration: configuration)
    }

    /// Resolves a branch, tag or commit of a model repository to its commit and file list.
    public func revision(repo: String, revision: String) async throws -> RepoRevision {
        let url = urls.revision(repo: repo, revision: revision)
        let response = try await transport.sendWithRetries(
            .get, url: url, subject: RequestSubject(repo: repo, revision: revision))
        struct Payload: Decodable {
            struct Sibling: Decodable { var rfilename: String }
            var sha: String
            var siblings: [Sibling]?
        }
        let payload = try decode(Payload.self, from: response)
        return RepoRevision(commit: payload.sha, files: payload.siblings?.map(\.rfilename) ?? [])
    }

    /// Every file of the repository at `commit`, with sizes and hashes.
    ///
    /// Reads the recursive tree listing, following `Link: <...>; rel="next"` pages. A server without
    /// the tree endpoint gets the revision's file list and one `HEAD` per file instead.
    public func listFiles(repo: String, commit: String) async throws -> [RemoteFile] {
        let subject = RequestSubject(repo: repo, revision: commit)
        var next: String? = urls.tree(repo: repo, revision: commit)
        var files: [RemoteFile] = []
        var visited = Set<String>()
        while let url = next {
            guard visited.insert(url).inserted else {
                throw HubError.invalidResponse(url: url, reason: "the tree pagination loops")
            }
            let response = try await transport.sendWithRetries(
                .get, url: url, subject: subject, passThrough: [404, 405, 501])
            if response.status >= 400 {
                guard files.isEmpty, response.headers["X-Error-Code"] == nil else {
                    throw HubTransport.error(for: response, subject: subject, tokenSent: configuration.token != nil)
                }
                return try await listFilesByHead(repo: repo, commit: commit)
            }
            files += try decode([TreeEntry].self, from: response).compactMap(\.remoteFile)
            next = response.headers["Link"].flatMap(HeaderValues.nextLink).flatMap { HubURLs.resolve($0, against: url) }
        }
        return files
    }

    /// Metadata of one file from `HEAD /{repo}/resolve/{revision}/{path}`.
    ///
    /// Relative redirects (a renamed repository) are followed; a redirect to another host (a CDN)
    /// only when the Hub's own answer lacks the `X-Linked-*` headers.
    public func fileMetadata(repo: String, revision: String, path: String) async throws -> FileMetadata {
        let url = urls.resolve(repo: repo, revision: revision, path: path)
        let subject = RequestSubject(repo: repo, revision: revision, path: path)
        var response = try await transport.sendWithRetries(.head, url: url, subject: subject, followCrossHost: false)
        let hubCommit = response.headers["X-Repo-Commit"]
        if (300..<400).contains(response.status),
           response.headers["X-Linked-Etag"] == nil || response.headers["X-Linked-Size"] == nil,
           let location = response.headers["Location"], let target = HubURLs.resolve(location, against: response.url) {
            response = try await transport.sendWithRetries(.head, url: target, subject: subject)
        }
        var headers = response.headers
        if headers["X-Repo-Commit"] == nil { headers["X-Repo-Commit"] = hubCommit }
        guard let rawETag = headers["X-Linked-Etag"] ?? headers["ETag"] else {
            throw HubError.invalidResponse(url: response.url, reason: "no ETag for '\(path)'")
        }
        guard let size = (headers["X-Linked-Size"] ?? headers["Content-Length"]).flatMap({ Int64($0) }) else {
            throw HubError.invalidResponse(url: response.url, reason: "no size for '\(path)'")
        }
        return FileMetadata(
            commit: headers["X-Repo-Commit"], etag: HeaderValues.normalizedETag(rawETag), size: size, url: response.url)
    }

    private func listFilesByHead(repo: String, commit: String) async throws -> [RemoteFile] {
        let paths = try await revision(repo: repo, revision: commit).files
        var files: [RemoteFile] = []
        for path in paths {
            let metadata = try await fileMetadata(repo: repo, revision: commit, path: path)
            switch metadata.expectedHash {
            case .sha256(let hex)?:
                files.append(RemoteFile(path: path, size: metadata.size, gitOID: nil, lfs: .init(sha256: hex, size: metadata.size)))
            case .gitBlobSHA1(let hex)?:
                files.append(RemoteFile(path: path, size: metadata.size, gitOID: hex, lfs: nil))
            case nil:
                files.append(RemoteFile(path: path, size: metadata.size, gitOID: nil, lfs: nil))
            }
        }
        return files
    }

    private func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw HubError.invalidResponse(url: response.url, reason: "unreadable JSON (\(error))")
        }
    }
}

/// One entry of `/api/models/{repo}/tree/{rev}`.
private struct TreeEntry: Decodable {
    struct LFS: Decodable { var oid: String; var size: Int64 }
    var type: String
    var path: String
    var oid: String?
    var size: Int64?
    var lfs: LFS?

    var remoteFile: RemoteFile? {
        guard type == "file" else { return nil }
        return RemoteFile(
            path: path, size: lfs?.size ?? size ?? 0, gitOID: oid,
            lfs: lfs.map { .init(sha256: $0.oid.lowercased(), size: $0.size) })
    }
}
