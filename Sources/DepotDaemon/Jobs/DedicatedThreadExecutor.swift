import Foundation

/// A thread of its own as a Swift task executor. Bundle jobs run there: the bundler links or
/// copies the resource folder's files synchronously (gigabytes with `copy`), which would
/// otherwise hold one of the few threads of Swift's cooperative pool that answer the API.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// Guards `waiting`; the thread sleeps on it while there is nothing to run.
    private let condition = NSCondition()
    private var waiting: [UnownedJob] = []
    private var thread: pthread_t?

    init(name: String) {
        let thread = Thread { self.runJobs() }  // the thread keeps the executor for the life of the process
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        waiting.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Whether the caller runs on this executor's thread.
    var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Runs jobs in order for the life of the process (the daemon keeps one executor).
    private func runJobs() -> Never {
        condition.lock()
        thread = pthread_self()
        condition.unlock()
        while true {
            condition.lock()
            while waiting.isEmpty { condition.wait() }
            let job = waiting.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
