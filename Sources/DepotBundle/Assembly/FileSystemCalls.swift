import CArchive
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The C file-system calls the bundler makes (hard links, renames, exchanges), each retried on
/// EINTR and turned into a ``BundleError`` naming the path. Nothing else in DepotBundle calls them.
enum FileSystemCalls {
    /// The file a snapshot symlink points at (the blob), so a link shares the blob's inode.
    static func resolvedFile(_ path: String) throws(BundleError) -> String {
        guard let resolved = realpath(path, nil) else { throw .failure("resolve", path, errno) }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `link(2)`; returns the errno when the file system refuses a hard link here (another device, no support, too many links).
    static func hardLink(_ source: String, _ destination: String) throws(BundleError) -> Int32? {
        while true {
            if link(source, destination) == 0 { return nil }
            let code = errno
            if code == EINTR { continue }
            if [EXDEV, EPERM, EMLINK, ENOTSUP, EOPNOTSUPP].contains(code) { return code }
            throw .failure("hard-link \(source) to", destination, code)
        }
    }

    static func copyFile(_ source: String, _ destination: String) throws(BundleError) {
        do {
            try FileManager.default.copyItem(atPath: source, toPath: destination)
        } catch {
            throw .fileSystem(operation: "copy \(source) to", path: destination, reason: error.localizedDescription)
        }
    }

    static func makeFolder(_ path: String) throws(BundleError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .fileSystem(operation: "create folder", path: path, reason: error.localizedDescription)
        }
    }

    static func rename(_ source: String, _ destination: String) throws(BundleError) {
        while true {
            if Foundation.rename(source, destination) == 0 { return }
            let code = errno
            if code == EINTR { continue }
            throw .failure("rename \(source) to", destination, code)
        }
    }

    /// Swaps two paths atomically; false where the kernel or file system cannot (then the caller falls back).
    static func exchange(_ first: String, _ second: String) throws(BundleError) -> Bool {
        #if os(Linux)
        while true {
            if depot_rename_exchange(first, second) == 0 { return true }
            let code = errno
            if code == EINTR { continue }
            if code == EINVAL || code == ENOSYS { return false }
            throw .failure("exchange \(first) with", second, code)
        }
        #else
        return false
        #endif
    }

    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

extension BundleError {
    static func failure(_ operation: String, _ path: String, _ code: Int32) -> BundleError {
        .fileSystem(operation: operation, path: path, reason: "\(String(cString: strerror(code))) (errno \(code))")
    }
}
