import DepotStore
import Foundation

/// Archives extracted once into `{DEPOT_HOME}/extracted/{archive sha256}/` and reused after. The
/// folder appears by rename when complete and is then recorded in the catalog against the
/// archive's blob, with every file's size and SHA-256. One process extracts a given archive at a
/// time (a flock on `{sha256}.lock` beside it); another waits, then reuses the result.
public struct ExtractedArchives: Sendable {
    public let root: String
    public let catalog: Catalog
    public var extractor: SafeArchiveExtractor

    public init(depotHome: String, catalog: Catalog, limits: ArchiveLimits = ArchiveLimits()) {
        root = (depotHome as NSString).appendingPathComponent("extracted")
        self.catalog = catalog
        // Every archive extracted here is an installed version's blob, verified against its SHA-256 when pulled.
        extractor = SafeArchiveExtractor(limits: limits, checksEntryCRC: false)
    }

    public struct Extraction: Sendable {
        public var folder: String
        public var files: [ExtractedFile]
        public var reused: Bool
    }

    public func folder(for sha256: String) -> String { (root as NSString).appendingPathComponent(sha256) }

    func lockPath(for sha256: String) -> String { folder(for: sha256) + ".lock" }

    /// The extraction of the archive at `path` whose content hash is `sha256` (the blob of an
    /// installed version's file), made now if missing. `onWait` is called when another process
    /// holds the archive's lock, before waiting for it; `onExtract` when this call extracts.
    public func extraction(of path: String, sha256: String, onWait: (@Sendable () -> Void)? = nil,
                           onExtract: () -> Void = {}) async throws -> Extraction {
        if let reused = try await recorded(sha256) { return reused }
        let lock = try await FileLock.acquire(at: lockPath(for: sha256), onWait: onWait)
        defer { lock.release() }
        // Whoever held the lock may have just finished it.
        if let reused = try await recorded(sha256) { return reused }

        onExtract()
        let folder = folder(for: sha256)
        let staging = folder + ".partial-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        let files: [ExtractedFile]
        do {
            files = try extractor.extract(path, into: staging)
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.moveItem(atPath: staging, toPath: folder)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        try await catalog.recordExtraction(archiveSHA256: sha256, folder: folder, files: files)
        return Extraction(folder: folder, files: files, reused: false)
    }

    /// The recorded extraction, if its folder is still there.
    private func recorded(_ sha256: String) async throws -> Extraction? {
        guard let record = try await catalog.extraction(ofArchive: sha256),
              FileManager.default.fileExists(atPath: record.folder) else { return nil }
        return Extraction(folder: record.folder, files: record.files, reused: true)
    }

    /// For `depot gc`: removes every extraction folder the catalog does not record (its zip's last
    /// version was removed, which dropped the record), leftover partial extractions and lock files,
    /// and records whose folder is gone. An archive being extracted right now (its lock held) is
    /// left alone. Returns how many extraction folders (complete or partial) went.
    @discardableResult
    public func collect() async throws -> Int {
        let recorded = try await catalog.extractedArchives()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var removed = 0
        for name in names {
            let sha = String(name.prefix { $0 != "." })
            let isFolder = name == sha, isLock = name.hasSuffix(".lock")
            if isFolder, recorded.contains(sha) { continue }
            if isLock, recorded.contains(sha) || names.contains(sha) { continue }
            guard let lock = try FileLock.tryAcquire(at: lockPath(for: sha)) else { continue }
            defer { lock.release() }
            // Recorded since the listing (an extraction that just finished): keep it.
            if isFolder, try await catalog.extraction(ofArchive: sha) != nil { continue }
            try FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
            if isFolder || name.contains(".partial-") { removed += 1 }
            // Waiters on the unlinked lock file notice and take a fresh one (see FileLock).
            if isFolder { try? FileManager.default.removeItem(atPath: lockPath(for: sha)) }
        }
        for sha in recorded where !names.contains(sha) {
            try await catalog.removeExtractionRecord(archiveSHA256: sha)
        }
        return removed
    }
}
