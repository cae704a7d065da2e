import DepotThreads
import Foundation
import Synchronization
import Testing

@Suite struct BlockingThreadTests {
    /// More blocked calls than the cooperative pool has threads: other tasks still run meanwhile.
    @Test(.timeLimit(.minutes(1))) func blockedWorkLeavesTheCooperativePoolFree() async throws {
        let gate = DispatchSemaphore(value: 0)
        let blocked = ProcessInfo.processInfo.activeProcessorCount + 2
        let works = (0..<blocked).map { index in Task { await BlockingThread.run(name: "depot.test") { gate.wait(); return index } } }
        try await Task.sleep(for: .milliseconds(50))
        let other = Task { (1...1000).reduce(0, +) }
        #expect(await other.value == 500_500)
        for _ in 0..<blocked { gate.signal() }
        var results: [Int] = []
        for work in works { results.append(await work.value) }
        #expect(results == Array(0..<blocked))
    }

    @Test func resultsAndErrorsComeBack() async throws {
        struct Failure: Error, Equatable {}
        #expect(try await BlockingThread.runAbandoningOnCancel(name: "depot.test") { 42 } == 42)
        await #expect(throws: Failure()) { try await BlockingThread.runAbandoningOnCancel(name: "depot.test") { throw Failure() } }
    }

    /// A blocked call (here: a semaphore no one signals yet) does not hold the cancelled task; its
    /// late value goes to `abandoned`.
    @Test func cancellingReturnsAtOnceAndTheLateValueIsAbandoned() async throws {
        let release = DispatchSemaphore(value: 0)
        let abandoned = Mutex<[Int]>([])
        let finished = DispatchSemaphore(value: 0)
        let task = Task {
            try await BlockingThread.runAbandoningOnCancel(name: "depot.test", {
                release.wait()
                return 7
            }, abandoned: { value in
                abandoned.withLock { $0.append(value) }
                finished.signal()
            })
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(abandoned.withLock { $0 }.isEmpty, "the work is still blocked")
        release.signal()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(abandoned.withLock { $0 } == [7])
    }

    @Test func workOfAnAlreadyCancelledTaskDoesNotStart() async {
        let started = Mutex(false)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await BlockingThread.runAbandoningOnCancel(name: "depot.test") { started.withLock { $0 = true } }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(!started.withLock { $0 })
    }
}
