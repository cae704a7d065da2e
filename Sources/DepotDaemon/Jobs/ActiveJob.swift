import DepotBundle
import DepotPull
import DepotRegistry
import DepotStore
import Foundation
import Synchronization

/// What makes two requests the same job: joining instead of pulling twice, or of two bundles
/// racing for one folder.
enum JobKey: Hashable, Sendable {
    case pull(name: String, revision: String, filters: JobFilters)
    case bundle(output: String)

    var output: String? {
        if case .bundle(let output) = self { return output }
        return nil
    }

    var filters: JobFilters {
        if case .pull(_, _, let filters) = self { return filters }
        return JobFilters()
    }
}

/// What a job runs.
enum JobWork: Sendable {
    case pull(ResolvedModel)
    case bundle(BundleRequest)
}

/// Why a running job's task was cancelled.
enum StopReason: Sendable {
    /// `DELETE /v1/jobs/{id}`: the job ends `cancelled`.
    case cancelledByUser
    /// The daemon is stopping: the job stays queued and resumes from its partials at the next start.
    case daemonStopping
}

/// A queued or running job in memory: its progress, fed by the pull's events from many tasks at
/// once, and the clients following its events.
final class ActiveJob: Sendable {
    let id: Int64
    let key: JobKey
    let work: JobWork

    private struct FileProgress {
        var done: Int64
        var total: Int64
        var lastSent: ContinuousClock.Instant
    }

    private struct State {
        var record: Job
        var commit: String?
        var planned: WirePullEvent?
        var files: [String: FileProgress] = [:]
        var finishedBytes: Int64 = 0
        var rate = RateMeter()
        var subscribers: [Int: AsyncStream<JobEvent>.Continuation] = [:]
        var nextSubscriber = 0
        var last: JobEvent?
        var stopReason: StopReason?
    }

    private let state: Mutex<State>
    /// Progress events of one file closer together than this are not forwarded (the totals still count them).
    private static let progressInterval = Duration.milliseconds(100)

    init(record: Job, key: JobKey, work: JobWork) {
        id = record.id
        self.key = key
        self.work = work
        state = Mutex(State(record: record))
    }

    var view: JobView { state.withLock { Self.view(of: $0, key: key) } }

    var stopReason: StopReason? {
        get { state.withLock { $0.stopReason } }
        set { state.withLock { $0.stopReason = newValue } }
    }

    func setState(_ jobState: JobState, error: String? = nil) {
        state.withLock {
            $0.record.state = jobState
            $0.record.error = error
            $0.record.updatedAt = Date()
        }
    }

    /// Follows the pull: the totals, and the event for the clients.
    func handle(_ event: PullEvent) {
        let now = ContinuousClock.now
        let forward: Bool = state.withLock { state in
            defer { state.record.bytesDone = state.finishedBytes + state.files.values.reduce(0) { $0 + $1.done } }
            switch event {
            case let .planned(_, commit, _, bytes):
                state.commit = commit
                state.record.bytesTotal = bytes
                state.planned = WirePullEvent(event)
            case let .fileStarted(path, size):
                state.files[path] = FileProgress(done: 0, total: size, lastSent: now)
            case let .fileProgress(path, completed, total):
                let previous = state.files[path]
                state.files[path] = FileProgress(done: completed, total: total, lastSent: previous?.lastSent ?? now)
                if let previous, now - previous.lastSent < Self.progressInterval { return false }
                state.files[path]?.lastSent = now
            case let .fileFinished(path, size, _):
                state.files[path] = nil
                state.finishedBytes += size
            case .waitingForLock:
                break
            }
            return true
        }
        if forward { broadcast(.pull(WirePullEvent(event))) }
    }

    /// Called about once a second while running: updates the rate and tells the clients.
    func tick() -> JobView {
        let view = state.withLock { state in
            state.rate.record(bytes: state.record.bytesDone)
            state.record.updatedAt = Date()
            return Self.view(of: state, key: key)
        }
        broadcast(.progress(view))
        return view
    }

    /// A stream of this job's events: a snapshot first (state, plan, files in flight), then what follows.
    func subscribe() -> AsyncStream<JobEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: JobEvent.self)
        state.withLock { state in
            continuation.yield(.progress(Self.view(of: state, key: key)))
            if let last = state.last {
                continuation.yield(last)
                continuation.finish()
                return
            }
            if let planned = state.planned { continuation.yield(.pull(planned)) }
            for (path, file) in state.files.sorted(by: { $0.key < $1.key }) {
                continuation.yield(.pull(WirePullEvent(.fileStarted(path: path, size: file.total))))
                continuation.yield(.pull(WirePullEvent(.fileProgress(path: path, completed: file.done, total: file.total))))
            }
            let number = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[number] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.subscribers.removeValue(forKey: number) }
            }
        }
        return stream
    }

    /// Sends the last event (nil: the daemon stops and the job continues at the next start) and ends every stream.
    func finish(with last: JobEvent?) {
        let subscribers = state.withLock { state in
            state.last = last
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers {
            if let last { subscriber.yield(last) }
            subscriber.finish()
        }
    }

    private func broadcast(_ event: JobEvent) {
        let subscribers = state.withLock { Array($0.subscribers.values) }
        for subscriber in subscribers { subscriber.yield(event) }
    }

    private static func view(of state: State, key: JobKey) -> JobView {
        JobView(job: state.record, filters: key.filters, output: key.output,
                rate: state.record.state == .running ? state.rate.bytesPerSecond : nil, commit: state.commit)
    }
}

/// Bytes per second over the last few seconds of samples.
struct RateMeter {
    private var samples: [(time: ContinuousClock.Instant, bytes: Int64)] = []
    private static let window = Duration.seconds(5)

    mutating func record(bytes: Int64, at time: ContinuousClock.Instant = .now) {
        samples.append((time, bytes))
        samples.removeAll { time - $0.time > Self.window }
    }

    var bytesPerSecond: Double? {
        guard let first = samples.first, let last = samples.last, last.time > first.time else { return nil }
        let seconds = Double((last.time - first.time).components.seconds)
            + Double((last.time - first.time).components.attoseconds) / 1e18
        return Double(max(0, last.bytes - first.bytes)) / seconds
    }
}
