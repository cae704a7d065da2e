import DepotPull
import DepotStore
import Foundation
import HTTPTypes
import Hummingbird

/// The Hub's read endpoints over depot's installed models, so `HF_ENDPOINT=http://host:port`
/// makes huggingface_hub (and another depot) download from this machine:
///
///     GET      /api/models/{repo}/revision/{rev}          model info: sha, siblings (sizes with ?blobs=true)
///     GET      /api/models/{repo}                         the same for main
///     GET      /api/models/{repo}/tree/{rev}[/{path}]     tree listing, ?recursive=true, pages linked by `Link: rel="next"`
///     HEAD|GET /{repo}/resolve/{rev}/{path}               file bytes; ETag, X-Repo-Commit, X-Linked-*; Range (206, 416)
///
/// `{repo}` is `org/name` or a name-only repo; `{rev}` is a full commit, a ref the cache has, or
/// `main` (the newest installed version). Unknown repos, revisions and files answer 404 with
/// `X-Error-Code` RepoNotFound, RevisionNotFound or EntryNotFound.
///
/// Usage, in any Hummingbird app: `HubMirrorRoutes(service: depotService).register(on: router)`.
/// The routes start with `/api/models/` or have `resolve` as second or third path segment, so they
/// coexist with other routes (`/v1/...`, `/healthz`); a repo whose org is a first segment another
/// route uses (`api`, `v1`) cannot be served.
public struct HubMirrorRoutes: Sendable {
    public let snapshots: InstalledSnapshots
    /// Tree entries per page (the Hub's is 1000).
    public var pageSize: Int
    /// Bytes read from disk per chunk while streaming a file.
    public var chunkSize: Int
    let fileIO = FileIO()

    public init(snapshots: InstalledSnapshots, pageSize: Int = 1000, chunkSize: Int = 1 << 20) {
        self.snapshots = snapshots
        self.pageSize = max(pageSize, 1)
        self.chunkSize = chunkSize
    }

    /// The routes over `service`'s catalog and cache.
    public init(service: DepotService, pageSize: Int = 1000, chunkSize: Int = 1 << 20) {
        self.init(snapshots: InstalledSnapshots(catalog: service.catalog, layout: service.layout), pageSize: pageSize, chunkSize: chunkSize)
    }

    /// Adds the routes to `router` (whatever its request context).
    public func register<Context: RequestContext>(on router: Router<Context>) {
        // Both repo shapes share their first capture, so the router's backtracking between them
        // never leaves a stale value behind; each route knows how many segments its repo has.
        for segments in [2, 1] {
            let repo = segments == 2 ? "{repoOwner}/{repoName}" : "{repoOwner}"
            router.get("api/models/\(repo)/revision/{revision}") { request, context in
                try await respond { try await self.revision(request, Target(context, repoSegments: segments)) }
            }
            router.get("api/models/\(repo)") { request, context in
                try await respond { try await self.revision(request, Target(context, repoSegments: segments, revision: "main")) }
            }
            for tail in ["", "/**"] {
                router.get("api/models/\(repo)/tree/{revision}\(tail)") { request, context in
                    try await respond { try await self.tree(request, Target(context, repoSegments: segments)) }
                }
            }
            router.get("\(repo)/resolve/{revision}/**") { request, context in
                try await respond { try await self.resolve(request, context, Target(context, repoSegments: segments), sendBody: true) }
            }
            router.head("\(repo)/resolve/{revision}/**") { request, context in
                try await respond { try await self.resolve(request, context, Target(context, repoSegments: segments), sendBody: false) }
            }
        }
    }

    // MARK: Handlers

    func revision(_ request: Request, _ target: Target) async throws -> Response {
        let snapshot = try await snapshots.snapshot(repo: target.repo, revision: target.revision)
        let blobs = ["1", "true"].contains(request.uri.queryParameters.get("blobs")?.lowercased() ?? "")
        let info = try HubModelInfo(snapshot: snapshot, withBlobs: blobs) { try gitOID($0, snapshot) }
        return try json(info, headers: [:])
    }

    func tree(_ request: Request, _ target: Target) async throws -> Response {
        let snapshot = try await snapshots.snapshot(repo: target.repo, revision: target.revision)
        let query = request.uri.queryParameters
        let recursive = ["1", "true"].contains(query.get("recursive")?.lowercased() ?? "")
        let folder = target.path.isEmpty ? nil : target.path
        guard let tree = try HubTree.listing(of: snapshot, folder: folder, recursive: recursive, gitOID: { try gitOID($0, snapshot) }) else {
            throw MirrorError.entryNotFound(repo: target.repo, commit: snapshot.commit, path: target.path)
        }
        let start = min(max(query.get("cursor").flatMap { Int($0) } ?? 0, 0), tree.entries.count)
        let end = min(start + pageSize, tree.entries.count)
        var headers: HTTPFields = [:]
        if end < tree.entries.count {
            let host = request.head.authority ?? "localhost"
            let next = "http://\(host)\(request.uri.path)?recursive=\(recursive)&expand=false&cursor=\(end)"
            headers[HTTPField.Name("Link")!] = "<\(next)>; rel=\"next\""
        }
        return try json(Array(tree.entries[start..<end]), headers: headers)
    }

    func resolve<Context: RequestContext>(_ request: Request, _ context: Context, _ target: Target, sendBody: Bool) async throws -> Response {
        let snapshot = try await snapshots.snapshot(repo: target.repo, revision: target.revision)
        let file = try snapshot.file(target.path)
        let blob = try snapshots.blobPath(of: file, in: snapshot)
        guard let onDisk = try? FileManager.default.attributesOfItem(atPath: blob)[.size] as? Int64, onDisk == file.size else {
            throw MirrorBlobMissing(repo: snapshot.repo, path: file.path, blob: blob)
        }
        var headers: HTTPFields = [
            .acceptRanges: "bytes",
            .contentType: "application/octet-stream",
            .eTag: "\"\(file.etag)\"",
            Self.repoCommit: snapshot.commit,
        ]
        if file.isLFS {
            headers[HTTPField.Name("X-Linked-Etag")!] = "\"\(file.etag)\""
            headers[HTTPField.Name("X-Linked-Size")!] = String(file.size)
        }
        switch ByteRange(header: request.headers[.range], size: file.size) {
        case .unsatisfiable:
            headers[.contentRange] = "bytes */\(file.size)"
            headers[.contentLength] = "0"
            return Response(status: .rangeNotSatisfiable, headers: headers)
        case .whole:
            headers[.contentLength] = String(file.size)
            guard sendBody, file.size > 0 else { return Response(status: .ok, headers: headers) }
            let body = try await fileIO.loadFile(path: blob, context: context, chunkLength: chunkSize)
            return Response(status: .ok, headers: headers, body: body)
        case .partial(let range):
            headers[.contentRange] = "bytes \(range.lowerBound)-\(range.upperBound)/\(file.size)"
            headers[.contentLength] = String(range.count)
            guard sendBody else { return Response(status: .partialContent, headers: headers) }
            let body = try await fileIO.loadFile(path: blob, range: Int(range.lowerBound)...Int(range.upperBound),
                                                 context: context, chunkLength: chunkSize)
            return Response(status: .partialContent, headers: headers, body: body)
        }
    }

    // MARK: Helpers

    static let repoCommit = HTTPField.Name("X-Repo-Commit")!

    private func gitOID(_ file: CatalogFile, _ snapshot: InstalledSnapshot) throws -> String {
        try HubTree.gitOID(of: file, blobPath: try snapshots.blobPath(of: file, in: snapshot))
    }

    private func json(_ value: some Encodable, headers: HTTPFields) throws -> Response {
        let data = try JSONEncoder().encode(value)
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Turns depot's errors into the Hub's answers: 404 with X-Error-Code for what is not installed.
    private func respond(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as MirrorError {
            var headers: HTTPFields = [HTTPField.Name(HubErrorCode.headerName)!: error.code.rawValue,
                                       HTTPField.Name(HubErrorCode.messageHeaderName)!: String(describing: error)]
            if case .entryNotFound(_, let commit, _) = error { headers[Self.repoCommit] = commit }
            return try errorResponse(.notFound, headers: headers, message: String(describing: error))
        } catch let error as MirrorBlobMissing {
            return try errorResponse(.internalServerError, headers: [:], message: error.description)
        }
    }

    private func errorResponse(_ status: HTTPResponse.Status, headers: HTTPFields, message: String) throws -> Response {
        var response = try json(["error": message], headers: headers)
        response.status = status
        return response
    }
}

/// The repo, revision and path of a request, percent-decoded (huggingface_hub quotes the
/// revision, so `refs/pr/1` arrives as one segment).
struct Target {
    var repo: String
    var revision: String
    var path: String

    init(_ context: some RequestContext, repoSegments: Int, revision fixedRevision: String? = nil) throws(MirrorError) {
        let parameters = context.parameters
        let owner = Self.decode(parameters.get("repoOwner") ?? "")
        repo = repoSegments == 2 ? owner + "/" + Self.decode(parameters.get("repoName") ?? "") : owner
        revision = fixedRevision ?? Self.decode(parameters.get("revision") ?? "")
        path = parameters.getCatchAll().map { Self.decode(String($0)) }.joined(separator: "/")
        guard (try? CacheLayout.folderName(repo: repo)) != nil else { throw .repoNotFound(repo: repo) }
    }

    static func decode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }
}

/// The catalog lists a file whose blob is gone or has the wrong size: the store was changed behind depot's back.
struct MirrorBlobMissing: Error, CustomStringConvertible {
    var repo: String
    var path: String
    var blob: String

    var description: String {
        "\(repo): the blob of \(path) (\(blob)) is missing or has the wrong size; run `depot verify \(repo)` on the serving machine"
    }
}
