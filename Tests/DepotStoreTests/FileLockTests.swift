import DepotStore
import Foundation
import DepotTestSupport
import Testing

@Suite struct FileLockTests {
    @Test func aHeldLockExcludesASecondHolderUntilReleased() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/.locks/models--o--n/e1.lock"
        let first = try #require(try FileLock.tryAcquire(at: path))
        #expect(try FileLock.tryAcquire(at: path) == nil)

        let waited = Flag()
        let waiter = Task { try await FileLock.acquire(at: path, onWait: { waited.set() }) }
        #expect(try await eventually(within: 5) { waited.isSet })
        try await Task.sleep(nanoseconds: 100_000_000)
        first.release()
        let second = try await waiter.value
        #expect(second.isHeld)
        #expect(!first.isHeld)
        second.release()
        #expect(try FileLock.tryAcquire(at: path) != nil)
    }

    @Test func droppingTheValueReleasesTheLock() throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/x.lock"
        do {
            let held = try FileLock.tryAcquire(at: path)
            #expect(held != nil)
        }
        #expect(try FileLock.tryAcquire(at: path) != nil)
        #expect(FileManager.default.fileExists(atPath: path), "the lock file stays for other waiters")
    }

    @Test func cancellingAWaitEndsItAndDoesNotKeepTheLock() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/y.lock"
        let holder = try #require(try FileLock.tryAcquire(at: path))
        let waiter = Task { try await FileLock.acquire(at: path) }
        try await Task.sleep(nanoseconds: 100_000_000)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        holder.release()
        // The abandoned waiter thread takes and drops the lock; then it is free again.
        #expect(try await eventually(within: 5) { (try? FileLock.tryAcquire(at: path)).flatMap { $0 } != nil })
    }

    /// huggingface_hub's own lock (WeakFileLock over filelock) held by a Python process blocks depot.
    @Test func aLockHeldByHuggingFaceHubBlocksDepotUntilReleased() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/.locks/models--o--n/etag.lock"
        let locked = folder.root + "/python-locked", release = folder.root + "/python-release"
        let script = """
        import os, sys, time
        from huggingface_hub.utils import WeakFileLock
        lock_path, locked, release = sys.argv[1:4]
        os.makedirs(os.path.dirname(lock_path), exist_ok=True)
        with WeakFileLock(lock_path):
            open(locked, "w").close()
            while not os.path.exists(release):
                time.sleep(0.02)
        print("released", flush=True)
        """
        let process = try startPython(script, [path, locked, release])
        defer { if process.isRunning { process.terminate() } }
        #expect(try await eventually(within: 20) { FileManager.default.fileExists(atPath: locked) })

        #expect(try FileLock.tryAcquire(at: path) == nil)
        let acquired = Task { try await FileLock.acquire(at: path) }
        try await Task.sleep(nanoseconds: 300_000_000)
        #expect(process.isRunning, "Python still holds the lock")

        #expect(FileManager.default.createFile(atPath: release, contents: nil))
        let lock = try await acquired.value
        #expect(lock.isHeld)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// And the other way round: while depot holds the lock, Python's filelock times out.
    @Test func aLockHeldByDepotBlocksHuggingFaceHub() throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/.locks/models--o--n/etag.lock"
        let script = """
        import sys
        from filelock import FileLock, Timeout
        try:
            FileLock(sys.argv[1], mode=0o664).acquire(timeout=0.3)
            print("acquired")
        except Timeout:
            print("timeout")
        """
        let lock = try #require(try FileLock.tryAcquire(at: path))
        let blocked = try runPython(script, [path])
        #expect(blocked.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "timeout", "\(blocked.stderr)")
        lock.release()
        let free = try runPython(script, [path])
        #expect(free.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "acquired", "\(free.stderr)")
    }
}

/// A thread-safe boolean set from a `@Sendable` callback.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
