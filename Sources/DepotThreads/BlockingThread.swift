import Foundation
import Synchronization

/// Blocking work (a libcurl transfer, a flock wait, a generation) on a thread of its own, so it
/// never occupies one of the few threads of Swift's cooperative pool; the calling task suspends
/// until the work is done. depot's one way to leave async code for a blocking call.
public enum BlockingThread {
    /// Runs `work` on a new thread and returns its result. Cancellation is up to the work (a
    /// transfer checks a flag its task's cancellation handler sets).
    public static func run<T: Sendable>(name: String, stackSize: Int? = nil, _ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            start(name: name, stackSize: stackSize) { continuation.resume(returning: work()) }
        }
    }

    /// Like `run`, but cancelling the task returns at once with `CancellationError` for work that
    /// cannot be interrupted; the work then finishes on its own and its late result goes to
    /// `abandoned` (a lock to release, a file to close). Work not started yet is not started.
    public static func runAbandoningOnCancel<T: Sendable>(name: String, stackSize: Int? = nil,
                                                          _ work: @escaping @Sendable () throws -> T,
                                                          abandoned: @escaping @Sendable (T) -> Void = { _ in }) async throws -> T {
        let handoff = Handoff<T>(abandoned: abandoned)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard handoff.register(continuation) else { return }
                start(name: name, stackSize: stackSize) { handoff.deliver(Result { try work() }) }
            }
        } onCancel: {
            handoff.deliver(.failure(CancellationError()))
        }
    }

    private static func start(name: String, stackSize: Int?, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.name = name
        if let stackSize { thread.stackSize = stackSize }
        thread.start()
    }
}

/// The one result a waiting task gets: the work's, or the cancellation's if that comes first.
private final class Handoff<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var delivered = false
    }

    private enum Next { case resume(CheckedContinuation<T, any Error>), keep, abandon }

    private let state = Mutex(State())
    private let abandoned: @Sendable (T) -> Void

    init(abandoned: @escaping @Sendable (T) -> Void) { self.abandoned = abandoned }

    /// Stores the waiter; false (after resuming it) when a cancellation came first.
    func register(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let early = state.withLock { state -> Result<T, any Error>? in
            if state.early == nil { state.continuation = continuation }
            return state.early
        }
        guard let early else { return true }
        continuation.resume(with: early)
        return false
    }

    /// Hands the first result to the waiter; a value that comes after goes to `abandoned`.
    func deliver(_ result: Result<T, any Error>) {
        let next = state.withLock { state -> Next in
            guard !state.delivered else { return .abandon }
            state.delivered = true
            guard let continuation = state.continuation else {
                state.early = result
                return .keep
            }
            state.continuation = nil
            return .resume(continuation)
        }
        switch next {
        case .resume(let continuation): continuation.resume(with: result)
        case .keep: break
        case .abandon: if case .success(let value) = result { abandoned(value) }
        }
    }
}
