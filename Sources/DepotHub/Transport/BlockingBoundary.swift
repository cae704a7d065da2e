import Foundation

/// The one place where DepotHub runs blocking work: libcurl transfers and file hashing.
///
/// Each job gets a dedicated thread, so `curl_easy_perform` and `pread` never occupy a thread of
/// Swift's cooperative pool; the caller suspends on a continuation until the job returns.
enum BlockingBoundary {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }
}
