#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed system call on the file system: which operation, on which path, and the errno it gave.
///
/// Every syscall of the store goes through ``SystemCall`` and fails with this error, so a message
/// always names the file involved and what was being done to it.
public struct FileSystemError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed, e.g. `rename` or `flock`.
    public let operation: String
    /// The path the operation was applied to.
    public let path: String
    /// The second path of two-path operations (the destination of `rename`, the target of `symlink`).
    public let otherPath: String?
    /// The `errno` value the call returned.
    public let errno: Int32

    public init(operation: String, path: String, otherPath: String? = nil, errno: Int32) {
        self.operation = operation
        self.path = path
        self.otherPath = otherPath
        self.errno = errno
    }

    /// True when the error means the path (or a parent of it) does not exist.
    public var isNotFound: Bool { errno == ENOENT }

    public var description: String {
        let subject = otherPath.map { "\(path) -> \($0)" } ?? path
        let reason = String(cString: strerror(errno))
        return "\(operation) failed for \(subject): \(reason) (errno \(errno)). \(advice)"
    }

    private var advice: String {
        switch errno {
        case EACCES, EPERM:
            return "Check the permissions of that path and its parent folders, or point HF_HUB_CACHE / DEPOT_HOME elsewhere."
        case ENOSPC, EDQUOT:
            return "The disk is full: free space (`depot gc` removes unused blobs) and try again."
        case EROFS:
            return "The file system is read-only: point HF_HUB_CACHE / DEPOT_HOME to a writable place."
        case ENOENT:
            return "A folder on the way is missing; it may have been removed while depot was running."
        case ENOTDIR, EISDIR, EEXIST:
            return "Something unexpected occupies that path; move it away and try again."
        case ENOSYS, EOPNOTSUPP:
            return "The file system does not support this operation (e.g. flock or symlinks); use a local disk for the cache."
        default:
            return "Try again; if it persists, inspect that path."
        }
    }
}
