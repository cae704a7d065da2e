#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one funnel through which the store calls the C library for file-system work.
///
/// Each wrapper retries on `EINTR` and turns a failure into a ``FileSystemError`` that names the
/// operation and the path(s). Nothing else in DepotStore calls these C functions directly.
enum SystemCall {
    /// Runs `body` until it does not fail with `EINTR`; a `-1` result becomes a ``FileSystemError``.
    @discardableResult
    static func run<Result: BinaryInteger>(
        _ operation: String, _ path: String, _ otherPath: String? = nil, _ body: () -> Result
    ) throws(FileSystemError) -> Result {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR { continue }
            throw FileSystemError(operation: operation, path: path, otherPath: otherPath, errno: code)
        }
    }

    static func openFile(_ path: String, _ flags: Int32, mode: mode_t = 0o644) throws(FileSystemError) -> Int32 {
        try run("open", path) { open(path, flags | O_CLOEXEC, mode) }
    }

    /// `open`, or nil when nothing is at `path`.
    static func openIfPresent(_ path: String, _ flags: Int32) throws(FileSystemError) -> Int32? {
        while true {
            let fd = open(path, flags | O_CLOEXEC)
            if fd >= 0 { return fd }
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT { return nil }
            throw FileSystemError(operation: "open", path: path, errno: code)
        }
    }

    static func closeFile(_ fd: Int32, path: String) throws(FileSystemError) {
        // close must not be retried on EINTR (the descriptor is gone either way on Linux).
        if close(fd) == -1 && errno != EINTR {
            throw FileSystemError(operation: "close", path: path, errno: errno)
        }
    }

    static func renamePath(_ from: String, _ to: String) throws(FileSystemError) {
        try run("rename", from, to) { rename(from, to) }
    }

    static func makeSymlink(target: String, at path: String) throws(FileSystemError) {
        try run("symlink", path, target) { symlink(target, path) }
    }

    static func unlinkPath(_ path: String) throws(FileSystemError) {
        try run("unlink", path) { unlink(path) }
    }

    /// `unlink`; false (no error) when nothing is at `path`.
    @discardableResult
    static func unlinkIfPresent(_ path: String) throws(FileSystemError) -> Bool {
        while unlink(path) == -1 {
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT { return false }
            throw FileSystemError(operation: "unlink", path: path, errno: code)
        }
        return true
    }

    static func removeDirectory(_ path: String) throws(FileSystemError) {
        try run("rmdir", path) { rmdir(path) }
    }

    static func syncFile(_ fd: Int32, path: String) throws(FileSystemError) {
        try run("fsync", path) { fsync(fd) }
    }

    static func changeMode(_ fd: Int32, _ mode: mode_t, path: String) throws(FileSystemError) {
        try run("fchmod", path) { fchmod(fd, mode) }
    }

    static func lockFile(_ fd: Int32, _ operation: Int32, path: String) throws(FileSystemError) {
        try run("flock", path) { flock(fd, operation) }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileSystemError) {
        let outcome: Result<Void, FileSystemError> = bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written >= 0 {
                    offset += written
                } else if errno != EINTR {
                    return .failure(FileSystemError(operation: "write", path: path, errno: errno))
                }
            }
            return .success(())
        }
        try outcome.get()
    }

    /// `lstat`; nil when nothing is at `path`.
    static func linkStatus(_ path: String) throws(FileSystemError) -> stat? {
        var info = stat()
        while lstat(path, &info) == -1 {
            let code = errno
            if code == EINTR { continue }
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FileSystemError(operation: "lstat", path: path, errno: code)
        }
        return info
    }

    static func fileStatus(_ fd: Int32, path: String) throws(FileSystemError) -> stat {
        var info = stat()
        try run("fstat", path) { fstat(fd, &info) }
        return info
    }

    /// The target of the symlink at `path`; nil when nothing is there.
    static func readLink(_ path: String) throws(FileSystemError) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        if count == -1 {
            let code = errno
            if code == ENOENT { return nil }
            throw FileSystemError(operation: "readlink", path: path, errno: code)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Creates `path` and its missing parents (like `mkdir -p`).
    static func makeDirectories(_ path: String, mode: mode_t = 0o777) throws(FileSystemError) {
        if mkdir(path, mode) == 0 { return }
        switch errno {
        case EEXIST:
            guard let info = try linkStatus(path), (info.st_mode & S_IFMT) == S_IFDIR || isDirectoryViaLink(path) else {
                throw FileSystemError(operation: "mkdir", path: path, errno: ENOTDIR)
            }
        case ENOENT:
            let parent = PathString.parent(of: path)
            guard parent != path, !parent.isEmpty else {
                throw FileSystemError(operation: "mkdir", path: path, errno: ENOENT)
            }
            try makeDirectories(parent, mode: mode)
            if mkdir(path, mode) == -1 && errno != EEXIST {
                throw FileSystemError(operation: "mkdir", path: path, errno: errno)
            }
        default:
            throw FileSystemError(operation: "mkdir", path: path, errno: errno)
        }
    }

    private static func isDirectoryViaLink(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// The entries of a directory (without `.` and `..`); empty when the directory does not exist.
    static func listDirectory(_ path: String) throws(FileSystemError) -> [DirectoryEntry] {
        guard let dir = opendir(path) else {
            let code = errno
            if code == ENOENT { return [] }
            throw FileSystemError(operation: "opendir", path: path, errno: code)
        }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            let kind: DirectoryEntry.Kind
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symlink
            case Int32(DT_REG): kind = .file
            default: kind = try kindByStat(PathString.join(path, name))
            }
            entries.append(DirectoryEntry(name: name, kind: kind))
        }
        return entries.sorted { $0.name < $1.name }
    }

    private static func kindByStat(_ path: String) throws(FileSystemError) -> DirectoryEntry.Kind {
        guard let info = try linkStatus(path) else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        case S_IFREG: return .file
        default: return .other
        }
    }
}

/// One entry of a directory listing.
struct DirectoryEntry: Equatable {
    enum Kind { case file, directory, symlink, other }
    let name: String
    let kind: Kind
}
