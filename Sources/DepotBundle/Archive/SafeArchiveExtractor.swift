import DepotCore
import DepotStore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Limits an archive must stay within.
public struct ArchiveLimits: Sendable {
    /// Expanded bytes per archive byte at most.
    public var maxExpansionRatio: Int64 = 100
    /// Expanded bytes in total at most.
    public var maxTotalBytes: Int64 = 64 << 30

    public init(maxExpansionRatio: Int64 = 100, maxTotalBytes: Int64 = 64 << 30) {
        self.maxExpansionRatio = maxExpansionRatio
        self.maxTotalBytes = maxTotalBytes
    }
}

/// Extracts an archive into an empty folder, streaming, refusing anything that could write outside
/// it (absolute paths, `..`, links pointing out, writes through links), special files, and bombs.
/// On a refusal the caller removes the folder; nothing was written anywhere else.
public struct SafeArchiveExtractor: Sendable {
    public var limits: ArchiveLimits
    /// Whether zip entries' CRC-32 is computed and checked. Only an archive verified as a whole
    /// (a pulled blob, checked against its SHA-256) may skip it: about a tenth of the decoding time.
    public var checksEntryCRC: Bool

    public init(limits: ArchiveLimits = ArchiveLimits(), checksEntryCRC: Bool = true) {
        self.limits = limits
        self.checksEntryCRC = checksEntryCRC
    }

    public func extract(_ archivePath: String, into target: String) throws(ArchiveError) -> [ExtractedFile] {
        let reader = try ArchiveReader(path: archivePath, checkEntryCRC: checksEntryCRC)
        let archiveBytes = max(1, (try? FileManager.default.attributesOfItem(atPath: archivePath)[.size] as? NSNumber)??.int64Value ?? 1)
        let ratioCap = archiveBytes.multipliedReportingOverflow(by: limits.maxExpansionRatio)
        let cap = min(limits.maxTotalBytes, ratioCap.overflow ? Int64.max : ratioCap.partialValue)
        var total: Int64 = 0
        // Each extracted file and the index of its digest among the sink's (a hard link shares its target's).
        var entries: [(path: String, digest: Int)] = []
        var filesWritten = 0
        let sink = ExtractionSink()
        defer { sink.shutdown() }

        func overLimit() -> ArchiveError {
            cap == limits.maxTotalBytes && total > limits.maxTotalBytes
                ? .totalTooLarge(archive: archivePath, limit: limits.maxTotalBytes)
                : .expansionRatio(archive: archivePath, archiveBytes: archiveBytes, expandedBytes: total, limit: limits.maxExpansionRatio)
        }

        while let entry = try reader.next() {
            let components = try Self.safeComponents(entry.path, archive: archivePath)
            guard !components.isEmpty else { continue }
            let relative = components.joined(separator: "/")
            let destination = target + "/" + relative
            switch entry.type {
            case .special:
                throw .specialFile(archive: archivePath, entry: entry.path)
            case .directory:
                try makeDirectories(components, under: target, archive: archivePath)
            case .symlink(let linkTarget):
                try Self.checkLinkStaysInside(entry: entry.path, components: components, target: linkTarget, archive: archivePath)
                try makeDirectories(Array(components.dropLast()), under: target, archive: archivePath)
                guard symlink(linkTarget, destination) == 0 else { throw .writeFailed(path: destination, reason: Self.errnoText()) }
            case .hardlink(let linkTarget):
                guard !linkTarget.hasPrefix("/"), let source = try? Self.safeComponents(linkTarget, archive: archivePath), !source.isEmpty else {
                    throw .linkEscapes(archive: archivePath, entry: entry.path, target: linkTarget)
                }
                let sourcePath = source.joined(separator: "/")
                guard let original = entries.first(where: { $0.path == sourcePath }) else {
                    throw .linkEscapes(archive: archivePath, entry: entry.path, target: linkTarget)
                }
                try makeDirectories(Array(components.dropLast()), under: target, archive: archivePath)
                guard link(target + "/" + sourcePath, destination) == 0 else { throw .writeFailed(path: destination, reason: Self.errnoText()) }
                entries.append((relative, original.digest))
            case .file:
                if let declared = entry.declaredSize, declared > cap - total { total += declared; throw overLimit() }
                try makeDirectories(Array(components.dropLast()), under: target, archive: archivePath)
                let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw .writeFailed(path: destination, reason: Self.errnoText()) }
                sink.begin(fd: fd, path: destination)
                var written: Int64 = 0
                try reader.readBlocks { (block, offset) throws(ArchiveError) in
                    // Zip entries arrive in order; a gap (a sparse tar entry) would break the hash.
                    guard offset == written else {
                        throw .unreadable(archive: archivePath, reason: "entry \(entry.path) is sparse, which a model archive never is")
                    }
                    total += Int64(block.count)
                    if total > cap { throw overLimit() }
                    try sink.append(block)
                    written += Int64(block.count)
                }
                sink.end()
                entries.append((relative, filesWritten))
                filesWritten += 1
            }
        }
        let digests = sink.finish()
        return entries.map { ExtractedFile(path: $0.path, size: digests[$0.digest].size, sha256: digests[$0.digest].sha256) }
    }

    /// Path components of an entry, with `.` and empty parts dropped; absolute paths and `..` refused.
    static func safeComponents(_ path: String, archive: String) throws(ArchiveError) -> [String] {
        if path.hasPrefix("/") || path.hasPrefix("\\") || (path.count >= 2 && path.dropFirst().first == ":") {
            throw .absolutePath(archive: archive, entry: path)
        }
        let parts = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).map(String.init).filter { $0 != "." }
        if parts.contains("..") { throw .parentTraversal(archive: archive, entry: path) }
        return parts
    }

    /// A symlink at `components` pointing at `target` must resolve inside the extraction folder.
    static func checkLinkStaysInside(entry: String, components: [String], target: String, archive: String) throws(ArchiveError) {
        guard !target.isEmpty, !target.hasPrefix("/") else { throw .linkEscapes(archive: archive, entry: entry, target: target) }
        var depth = components.count - 1
        for part in target.split(separator: "/") where part != "." {
            depth += part == ".." ? -1 : 1
            if depth < 0 { throw .linkEscapes(archive: archive, entry: entry, target: target) }
        }
    }

    /// Creates each folder of `components` under `root`, refusing to pass through anything that is
    /// not a real folder (a symlink an earlier entry planted).
    private func makeDirectories(_ components: [String], under root: String, archive: String) throws(ArchiveError) {
        var path = root
        for part in components {
            path += "/" + part
            var info = stat()
            if lstat(path, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw .linkEscapes(archive: archive, entry: path, target: "a link or file where a folder should be")
                }
                continue
            }
            guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw .writeFailed(path: path, reason: Self.errnoText()) }
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
