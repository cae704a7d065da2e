import Foundation

/// A thread of its own that runs commands in the order they were sent. Blocking work (write(2),
/// hashing) runs here, off Swift's cooperative pool; a condition variable hands commands over,
/// so an idle worker sleeps instead of spinning.
final class SerialWorker<Command>: @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var queue: [Command] = []
    private var next = 0
    private var busy = false
    private var stopping = false
    private var finished = false

    init(name: String, handle: @escaping @Sendable (Command) -> Void) {
        let thread = Thread { [self] in run(handle) }
        thread.name = name
        thread.start()
    }

    func send(_ command: Command) {
        condition.withLock {
            queue.append(command)
            condition.broadcast()
        }
    }

    /// Waits until every command sent so far has run.
    func drain() {
        condition.withLock {
            while next < queue.count || busy { condition.wait() }
        }
    }

    /// Runs what is queued, then ends the thread; returns once it has ended.
    func stop() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while !finished { condition.wait() }
        }
    }

    private func run(_ handle: @Sendable (Command) -> Void) {
        while true {
            let command: Command? = condition.withLock {
                busy = false
                condition.broadcast()
                while next == queue.count, !stopping { condition.wait() }
                guard next < queue.count else {
                    finished = true
                    condition.broadcast()
                    return nil
                }
                defer {
                    next += 1
                    // Compact now and then so the queue does not grow with the archive.
                    if next == queue.count { queue.removeAll(keepingCapacity: true); next = 0 }
                }
                busy = true
                return queue[next]
            }
            guard let command else { return }
            handle(command)
        }
    }
}
