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

    public init(limits: ArchiveLimits = ArchiveLimits()) {
        self.limits = limits
    }

    public func extract(_ archivePath: String, into target: String) throws(ArchiveError) -> [ExtractedFile] {
        let reader = try ArchiveReader(path: archivePath)
        let archiveBytes = max(1, (try? FileManager.default.attributesOfItem(atPath: archivePath)[.size] as? NSNumber)??.int64Value ?? 1)
        let ratioCap = archiveBytes.multipliedReportingOverflow(by: limits.maxExpansionRatio)
        let cap = min(limits.maxTotalBytes, ratioCap.overflow ? Int64.max : ratioCap.partialValue)
        var total: Int64 = 0
        var files: [ExtractedFile] = []

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
                guard let original = files.first(where: { $0.path == sourcePath }) else {
                    throw .linkEscapes(archive: archivePath, entry: entry.path, target: linkTarget)
                }
                try makeDirectories(Array(components.dropLast()), under: target, archive: archivePath)
                guard link(target + "/" + sourcePath, destination) == 0 else { throw .writeFailed(path: destination, reason: Self.errnoText()) }
                files.append(ExtractedFile(path: relative, size: original.size, sha256: original.sha256))
            case .file:
                if let declared = entry.declaredSize, declared > cap - total { total += declared; throw overLimit() }
                try makeDirectories(Array(components.dropLast()), under: target, archive: archivePath)
                let fd = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw .writeFailed(path: destination, reason: Self.errnoText()) }
                defer { close(fd) }
                let hasher = BackgroundHasher()
                var written: Int64 = 0
                try reader.readBlocks { (block, offset) throws(ArchiveError) in
                    // Zip entries arrive in order; a gap (a sparse tar entry) would break the hash.
                    guard offset == written else {
                        throw .unreadable(archive: archivePath, reason: "entry \(entry.path) is sparse, which a model archive never is")
                    }
                    total += Int64(block.count)
                    if total > cap { throw overLimit() }
                    hasher.update(block)
                    try Self.writeAll(fd, block, path: destination)
                    written += Int64(block.count)
                }
                let digest = hasher.finalize()
                files.append(ExtractedFile(path: relative, size: digest.size, sha256: digest.sha256))
            }
        }
        return files
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

    private static func writeAll(_ fd: Int32, _ block: UnsafeRawBufferPointer, path: String) throws(ArchiveError) {
        var offset = 0
        while offset < block.count {
            let written = write(fd, block.baseAddress! + offset, block.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: errnoText())
            }
            offset += written
        }
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }
}
