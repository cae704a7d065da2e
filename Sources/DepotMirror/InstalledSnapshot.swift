import DepotStore
import Foundation

/// What the mirror serves of one repo at one commit: the union of the files of every installed
/// version of it (two variants of a repo may each hold part of the same commit).
public struct InstalledSnapshot: Sendable {
    public var repo: String
    public var commit: String
    /// When the newest of those versions was pulled.
    public var lastModified: Date
    /// Files by repo path.
    public var files: [String: CatalogFile]

    public init(repo: String, commit: String, lastModified: Date, files: [String: CatalogFile]) {
        self.repo = repo
        self.commit = commit
        self.lastModified = lastModified
        self.files = files
    }

    /// Files sorted by path.
    public var sortedFiles: [CatalogFile] { files.values.sorted { $0.path < $1.path } }

    public func file(_ path: String) throws(MirrorError) -> CatalogFile {
        guard let file = files[path] else { throw .entryNotFound(repo: repo, commit: commit, path: path) }
        return file
    }
}

/// Finds installed snapshots in depot's catalog and the HF cache.
public struct InstalledSnapshots: Sendable {
    public let catalog: Catalog
    public let layout: CacheLayout

    public init(catalog: Catalog, layout: CacheLayout) {
        self.catalog = catalog
        self.layout = layout
    }

    /// The snapshot of `repo` at `revision`: a full commit; a ref the cache has (`refs/{revision}`)
    /// or a revision a version was pulled at, pointing at an installed commit; or `main`, which falls
    /// back to the newest installed version. Broken versions (a failed `depot verify`) are not served.
    public func snapshot(repo: String, revision: String) async throws -> InstalledSnapshot {
        let versions = try await catalog.findVersions(nameOrRepo: repo).filter { $0.repo == repo && $0.state == .installed }
        guard !versions.isEmpty else { throw MirrorError.repoNotFound(repo: repo) }
        guard let commit = try chooseCommit(revision: revision, repo: repo, versions: versions) else {
            throw MirrorError.revisionNotFound(repo: repo, revision: revision)
        }
        let atCommit = versions.filter { $0.commit == commit }
        var files: [String: CatalogFile] = [:]
        for version in atCommit {
            for file in try await catalog.files(ofVersion: version.id) { files[file.path] = file }
        }
        return InstalledSnapshot(repo: repo, commit: commit, lastModified: atCommit.map(\.pulledAt).max() ?? Date(), files: files)
    }

    /// Where the bytes of `file` are: its blob, named by etag.
    public func blobPath(of file: CatalogFile, in snapshot: InstalledSnapshot) throws -> String {
        try layout.blobPath(repo: snapshot.repo, etag: file.etag)
    }

    private func chooseCommit(revision: String, repo: String, versions: [InstalledVersion]) throws -> String? {
        let installed = Set(versions.map(\.commit))
        if revision.count == 40, revision.allSatisfy(\.isHexDigit) {
            return installed.contains(revision.lowercased()) ? revision.lowercased() : nil
        }
        if let ref = try? layout.readRef(repo: repo, revision: revision), installed.contains(ref) {
            return ref
        }
        let newestFirst = versions.sorted { $0.pulledAt > $1.pulledAt }
        if let pulledAtRevision = newestFirst.first(where: { $0.revision == revision }) {
            return pulledAtRevision.commit
        }
        return revision == "main" ? newestFirst.first?.commit : nil
    }
}
