import Foundation

/// OpenBLAS's thread pool and thread count belong to the process: threaded products started from
/// several threads at once contend for the same workers and spin, and a region that turns OpenBLAS
/// threading off (`BLAS.singleThreaded`) turns it off for every caller. So a process computes one
/// generation at a time, and a second one (the daemon asked for two smokes) waits for the first.
enum ComputeExclusion {
    private static let lock = NSLock()

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
