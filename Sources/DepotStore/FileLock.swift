import DepotThreads
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock(2)` on a lock file, taken the way huggingface_hub's `filelock` takes it, so
/// depot and Python processes exclude each other on the same `.locks/.../{etag}.lock`.
///
/// The lock file is created (mode 0664, like huggingface_hub) if missing and never deleted:
/// waiters must all lock the same inode. The lock is released by ``release()`` or when the value
/// is deinitialised (closing the descriptor drops the flock).
public final class FileLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: LockedDescriptor

    private init(path: String, fd: Int32) {
        self.path = path
        self.descriptor = LockedDescriptor(fd)
    }

    deinit { release() }

    /// Waits until the lock is free and takes it.
    ///
    /// The wait (a blocking `flock`) runs on its own thread, off Swift's cooperative pool.
    /// Cancelling the task ends the wait with `CancellationError`; a lock obtained after that is
    /// dropped at once.
    /// - Parameter onWait: called once, before waiting, when another process holds the lock (to
    ///   tell the user why nothing happens).
    public static func acquire(at path: String, onWait: (@Sendable () -> Void)? = nil) async throws -> FileLock {
        if let lock = try tryAcquire(at: path) { return lock }
        onWait?()
        let fd = try await BlockingThread.runAbandoningOnCancel(name: "depot.flock", { try blockingLock(at: path) },
                                                                abandoned: { fd in
            try? SystemCall.lockFile(fd, LOCK_UN, path: path)
            try? SystemCall.closeFile(fd, path: path)
        })
        return FileLock(path: path, fd: fd)
    }

    /// Takes the lock if nobody holds it; nil when another process (or another `FileLock`) does.
    public static func tryAcquire(at path: String) throws -> FileLock? {
        while true {
            let fd = try openLockFile(at: path)
            do {
                try SystemCall.lockFile(fd, LOCK_EX | LOCK_NB, path: path)
            } catch {
                try? SystemCall.closeFile(fd, path: path)
                if [EWOULDBLOCK, EAGAIN, EACCES].contains(error.errno) { return nil }
                throw error
            }
            if try stillLinked(fd, path: path) { return FileLock(path: path, fd: fd) }
        }
    }

    /// Whether this value still holds the lock.
    public var isHeld: Bool { descriptor.isOpen }

    /// Releases the lock; calling it again does nothing.
    public func release() {
        guard let fd = descriptor.take() else { return }
        try? SystemCall.lockFile(fd, LOCK_UN, path: path)
        try? SystemCall.closeFile(fd, path: path)
    }

    // MARK: Blocking part (runs on the waiter thread)

    private static func blockingLock(at path: String) throws -> Int32 {
        while true {
            let fd = try openLockFile(at: path)
            do {
                try SystemCall.lockFile(fd, LOCK_EX, path: path)
            } catch {
                try? SystemCall.closeFile(fd, path: path)
                throw error
            }
            if try stillLinked(fd, path: path) { return fd }
        }
    }

    /// Opens (creating with mode 0664 if needed) the lock file, never following a symlink.
    private static func openLockFile(at path: String) throws -> Int32 {
        try SystemCall.makeDirectories(PathString.parent(of: path))
        while true {
            if let fd = try openFile(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, unlessErrno: EEXIST) {
                // The umask may have dropped the group bit; ask for it explicitly, as huggingface_hub does.
                try? SystemCall.changeMode(fd, 0o664, path: path)
                return fd
            }
            // Removed between the two opens (ENOENT): create it again.
            if let fd = try openFile(path, O_RDWR | O_NOFOLLOW, unlessErrno: ENOENT) { return fd }
        }
    }

    /// `open`, or nil when it fails with `tolerated`.
    private static func openFile(_ path: String, _ flags: Int32, unlessErrno tolerated: Int32) throws -> Int32? {
        do {
            return try SystemCall.openFile(path, flags, mode: 0o664)
        } catch {
            if error.errno == tolerated { return nil }
            throw error
        }
    }

    /// A lock taken on a file someone unlinked meanwhile protects nothing: drop it and retry.
    private static func stillLinked(_ fd: Int32, path: String) throws -> Bool {
        let linked = try SystemCall.fileStatus(fd, path: path).st_nlink > 0
        if !linked { try? SystemCall.closeFile(fd, path: path) }
        return linked
    }
}

/// The descriptor of a held lock; taken exactly once on release.
private final class LockedDescriptor: @unchecked Sendable {
    private let mutex = NSLock()
    private var fd: Int32?

    init(_ fd: Int32) { self.fd = fd }

    var isOpen: Bool { mutex.withLock { fd != nil } }

    func take() -> Int32? {
        mutex.withLock {
            defer { fd = nil }
            return fd
        }
    }
}

