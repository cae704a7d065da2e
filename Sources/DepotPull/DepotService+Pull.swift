import DepotCore
import DepotHub
import DepotRegistry
import DepotStore
import Foundation


extension DepotService {
    /// Installs `model` at its revision: resolve the commit, list and filter the files, fetch every
    /// file as a verified blob (reusing what the cache holds), link the snapshot, then record the
    /// version in one catalog transaction — only after every file verified — and write the ref last.
    public func pull(_ model: ResolvedModel, events: @escaping @Sendable (PullEvent) -> Void = { _ in }) async throws -> PullReport {
        let started = Date()
        if offline {
            return try await offlinePull(model, started: started)
        }
        let revision = try await hub.revision(repo: model.repo, revision: model.revision)
        let commit = revision.commit
        if let installed = try await installedVersion(name: model.name, commit: commit) {
            try layout.writeRef(repo: model.repo, revision: model.revision, commit: commit)
            return try await report(for: installed, model: model, started: started)
        }

        let listing = try await hub.listFiles(repo: model.repo, commit: commit)
        let files = listing.filter { model.filter.accepts($0.path) }.sorted { $0.path < $1.path }
        guard !files.isEmpty else {
            throw PullError.noFilesMatched(repo: model.repo, commit: commit, filter: model.filter.layers.map { "include \($0.include) exclude \($0.exclude)" }.joined(separator: ", then "))
        }
        let totalBytes = files.reduce(Int64(0)) { $0 + $1.size }
        events(.planned(repo: model.repo, commit: commit, files: files.count, bytes: totalBytes))

        let fetcher = BlobFetcher(hub: hub, layout: layout)
        let pulled = try await fetchAll(files, repo: model.repo, commit: commit, fetcher: fetcher, events: events)

        for file in pulled {
            if let known = model.expectedSHA256[file.path], known != file.sha256 {
                throw PullError.knownHashMismatch(repo: model.repo, path: file.path, expected: known, actual: file.sha256)
            }
        }
        let snapshot = try layout.snapshotFolder(repo: model.repo, commit: commit)
        let structure = checksStructure
            ? try PulledStructure.check(snapshot: snapshot, repo: model.repo, commit: commit,
                                        filteredOut: listing.filter { !model.filter.accepts($0.path) }.map(\.path))
            : nil
        try await catalog.recordInstalledVersion(
            NewVersion(name: model.name, repo: model.repo, kind: model.kind?.rawValue ?? "unknown", commit: commit, revision: model.revision,
                       files: pulled.map { VerifiedFile(path: $0.path, size: $0.size, sha256: $0.sha256, etag: $0.etag, isLFS: $0.lfs) },
                       pulledAt: Date()))
        try layout.writeRef(repo: model.repo, revision: model.revision, commit: commit)
        return PullReport(name: model.name, repo: model.repo, revision: model.revision, commit: commit,
                          snapshot: snapshot, files: pulled,
                          bytesTotal: totalBytes,
                          bytesTransferred: pulled.reduce(0) { $0 + $1.transferred },
                          bytesReused: pulled.filter { $0.status == .reused }.reduce(0) { $0 + $1.size },
                          durationSeconds: Date().timeIntervalSince(started), structure: structure)
    }

    /// Fetches files a few at a time: small files overlap their round trips, large ones split into
    /// ranged parts inside the hub client.
    private func fetchAll(_ files: [RemoteFile], repo: String, commit: String, fetcher: BlobFetcher,
                          events: @escaping @Sendable (PullEvent) -> Void) async throws -> [PulledFile] {
        try await withThrowingTaskGroup(of: PulledFile.self) { group in
            var pending = files[...]
            var results: [PulledFile] = []
            func startNext() {
                guard let file = pending.popFirst() else { return }
                group.addTask {
                    let outcome = try await fetcher.fetch(repo: repo, commit: commit, file: file, events: events)
                    let pulled = PulledFile(path: file.path, size: file.size, sha256: outcome.digest.sha256,
                                            etag: file.etag ?? outcome.digest.sha256, lfs: file.lfs != nil,
                                            status: outcome.status, transferred: outcome.transferred)
                    events(.fileFinished(path: file.path, size: file.size, status: outcome.status))
                    return pulled
                }
            }
            for _ in 0..<max(1, filesAtOnce) { startNext() }
            while let pulled = try await group.next() {
                results.append(pulled)
                startNext()
            }
            return results.sorted { $0.path < $1.path }
        }
    }

    /// HF_HUB_OFFLINE=1: the ref (or commit) must resolve to an installed version.
    private func offlinePull(_ model: ResolvedModel, started: Date) async throws -> PullReport {
        let commit = model.revision.count == 40 && model.revision.allSatisfy(\.isHexDigit)
            ? model.revision : try layout.readRef(repo: model.repo, revision: model.revision)
        guard let commit, let installed = try await installedVersion(name: model.name, commit: commit) else {
            throw PullError.offlineNotInstalled(name: model.name, revision: model.revision)
        }
        return try await report(for: installed, model: model, started: started)
    }

    /// The report of a pull that found everything installed already.
    private func report(for version: InstalledVersion, model: ResolvedModel, started: Date) async throws -> PullReport {
        let files = try await catalog.files(ofVersion: version.id).map {
            PulledFile(path: $0.path, size: $0.size, sha256: $0.sha256, etag: $0.etag, lfs: $0.isLFS, status: .reused, transferred: 0)
        }
        let total = files.reduce(Int64(0)) { $0 + $1.size }
        return PullReport(name: model.name, repo: model.repo, revision: model.revision, commit: version.commit,
                          snapshot: try layout.snapshotFolder(repo: model.repo, commit: version.commit), files: files,
                          bytesTotal: total, bytesTransferred: 0, bytesReused: total,
                          durationSeconds: Date().timeIntervalSince(started))
    }
}
