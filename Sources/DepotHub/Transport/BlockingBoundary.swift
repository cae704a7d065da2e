import DepotThreads

/// The one place where DepotHub runs blocking work: libcurl transfers and file hashing, each on
/// a thread of its own (1 MB of stack is plenty for them).
enum BlockingBoundary {
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await BlockingThread.run(name: "depot.hub", stackSize: 1 << 20, work)
    }
}
