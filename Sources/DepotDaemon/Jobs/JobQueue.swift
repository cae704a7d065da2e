import DepotBundle
import DepotHub
import DepotPull
import DepotRegistry
import DepotStore
import Foundation
import Logging

/// The daemon's pulls: each one a job in the catalog, at most `maxJobs` running at once, a
/// request for a model and revision that is already queued or running joining that job.
public actor JobQueue {
    public nonisolated let service: DepotService
    public nonisolated let maxJobs: Int
    let metrics: DaemonMetrics
    private let logger = Logger(label: "depot.daemon.jobs")

    private var active: [Int64: ActiveJob] = [:]
    private var waiting: [Int64] = []
    private var tasks: [Int64: Task<Void, Never>] = [:]
    /// Unfinished jobs by what they pull.
    private var byKey: [JobKey: Int64] = [:]
    /// Jobs the catalog is recording right now, so a second request for the same pull waits for the first.
    private var beingCreated: [JobKey: Task<ActiveJob, any Error>] = [:]
    private var stopping = false
    /// Jobs that ended lately, so a client that asks for the events just after the end still gets the report.
    private var recentlyFinished: [ActiveJob] = []
    /// Where bundle jobs run, made at the first one.
    private var bundleExecutor: DedicatedThreadExecutor?
    private static let recentLimit = 64

    public init(service: DepotService, maxJobs: Int, metrics: DaemonMetrics) {
        self.service = service
        self.maxJobs = max(1, maxJobs)
        self.metrics = metrics
    }

    /// Queues a pull, or joins the unfinished job pulling the same model, revision and files.
    /// - Returns: the job and whether it already existed.
    public func submit(_ request: PullJobRequest) async throws -> (job: JobView, joined: Bool) {
        let model = try service.resolve(request.reference).narrowed(include: request.include ?? [], exclude: request.exclude ?? [])
        let filters = JobFilters(include: request.include ?? [], exclude: request.exclude ?? [])
        let key = JobKey.pull(name: model.name, revision: model.revision, filters: filters)
        return try await submit(key: key, work: .pull(model)) { catalog in
            try await catalog.enqueueJob(model: model.name, revision: model.revision, filters: filters)
        }
    }

    /// Queues a bundle, or joins the unfinished bundle writing the same folder.
    public func submit(_ body: BundleBody) async throws -> (job: JobView, joined: Bool) {
        let request = try body.request()
        _ = try service.resolve(body.name)  // an unknown name is a 404 now, not a failed job
        let key = JobKey.bundle(output: request.output.standardizedFileURL.path)
        if byKey[key] == nil, !request.force, FileManager.default.fileExists(atPath: request.output.path) {
            throw BundleError.destinationExists(request.output.path)  // a 409 now rather than a failed job
        }
        let encoded = try DaemonJSON.encoder().encode(body)
        return try await submit(key: key, work: .bundle(request)) { catalog in
            try await catalog.enqueueJob(kind: .bundle, model: body.name, revision: "", request: encoded)
        }
    }

    private func submit(key: JobKey, work: JobWork,
                        record: @escaping @Sendable (Catalog) async throws -> Job) async throws -> (job: JobView, joined: Bool) {
        if let id = byKey[key], let job = active[id] {
            return (job.view, true)
        }
        if let creation = beingCreated[key] {
            return (try await creation.value.view, true)
        }
        let catalog = service.catalog
        let creation = Task { () async throws -> ActiveJob in
            ActiveJob(record: try await record(catalog), key: key, work: work)
        }
        beingCreated[key] = creation
        defer { beingCreated[key] = nil }
        let job = try await creation.value
        enqueue(job)
        return (job.view, false)
    }

    /// Queues again the jobs a previous daemon left queued or running: pulls resume from their
    /// partial files, bundles start over (a bundle is assembled aside and moved into place last).
    public func resumeUnfinished() async throws {
        for record in try await service.catalog.jobs(in: [.queued, .running]) where active[record.id] == nil {
            do {
                let job = try await restored(record)
                job.setState(.queued)
                logger.info("resuming job \(record.id): \(record.kind.rawValue) of \(record.model)")
                enqueue(job)
            } catch {
                try await service.catalog.updateJob(id: record.id, state: .failed, bytesDone: record.bytesDone,
                                                    bytesTotal: record.bytesTotal, error: String(describing: error))
            }
        }
    }

    /// An unfinished job of the catalog, ready to run again.
    private func restored(_ record: Job) async throws -> ActiveJob {
        switch record.kind {
        case .pull:
            let filters = try await service.catalog.jobFilters(id: record.id)
            let model = try service.resolve("\(record.model)@\(record.revision)").narrowed(include: filters.include, exclude: filters.exclude)
            return ActiveJob(record: record, key: .pull(name: record.model, revision: record.revision, filters: filters), work: .pull(model))
        case .bundle:
            let request = try await bundleBody(of: record).request()
            return ActiveJob(record: record, key: .bundle(output: request.output.standardizedFileURL.path), work: .bundle(request))
        }
    }

    private func bundleBody(of record: Job) async throws -> BundleBody {
        guard let data = try await service.catalog.jobRequest(id: record.id) else {
            throw APIError(status: .internalServerError, code: "internal", message: "bundle job \(record.id) has no recorded request")
        }
        return try DaemonJSON.decoder().decode(BundleBody.self, from: data)
    }

    public func job(id: Int64) async throws -> JobView {
        if let job = inMemory(id) { return job.view }
        guard let record = try await service.catalog.job(id: id) else { throw APIError.notFound("no job \(id): list jobs with GET /v1/jobs") }
        return try await storedView(record)
    }

    /// Every job, oldest first, the unfinished ones with live progress.
    public func jobs() async throws -> [JobView] {
        var views: [JobView] = []
        for record in try await service.catalog.jobs() {
            if let job = inMemory(record.id) {
                views.append(job.view)
            } else {
                views.append(try await storedView(record))
            }
        }
        return views
    }

    /// A job as the catalog has it, with its filters (a pull) or its folder (a bundle).
    private func storedView(_ record: Job) async throws -> JobView {
        switch record.kind {
        case .pull: JobView(job: record, filters: try await service.catalog.jobFilters(id: record.id))
        case .bundle: JobView(job: record, filters: JobFilters(), output: try? await bundleBody(of: record).output)
        }
    }

    /// The job's events; for a finished job, its snapshot and how it ended.
    public func events(id: Int64) async throws -> AsyncStream<JobEvent> {
        if let job = inMemory(id) { return job.subscribe() }
        let view = try await job(id: id)
        let last: JobEvent = switch view.state {
        case .done where view.kind == .bundle: .bundled(view, try await storedReport(id: id))
        case .done: .done(view, try await storedReport(id: id))
        case .failed: .failed(view)
        case .cancelled: .cancelled(view)
        case .queued, .running: .progress(view)
        }
        return AsyncStream { continuation in
            continuation.yield(last)
            continuation.finish()
        }
    }

    /// The report a job that ended before this daemon started recorded in the catalog.
    private func storedReport<Report: Decodable>(id: Int64) async throws -> Report? {
        guard let data = try await service.catalog.jobReport(id: id) else { return nil }
        return try? DaemonJSON.decoder().decode(Report.self, from: data)
    }

    /// Cancels a queued or running job; a finished one is left as it is.
    public func cancel(id: Int64) async throws -> JobView {
        guard let job = active[id] else { return try await job(id: id) }
        if let position = waiting.firstIndex(of: id) {
            waiting.remove(at: position)
            try await record(job, state: .cancelled)
            finish(job, with: .cancelled(job.view))
        } else {
            job.stopReason = .cancelledByUser
            tasks[id]?.cancel()
            await tasks[id]?.value
        }
        return job.view
    }

    /// Counts of jobs by state, for /metrics.
    public func countsByState() async throws -> [JobState: Int] {
        var counts = Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0, 0) })
        for record in try await service.catalog.jobs() {
            counts[active[record.id]?.view.state ?? record.state, default: 0] += 1
        }
        return counts
    }

    /// Stops running pulls so they save their partial files; they stay queued in the catalog and
    /// resume at the next start. Requests after this queue jobs but start nothing.
    public func stop() async {
        stopping = true
        for (id, task) in tasks {
            active[id]?.stopReason = .daemonStopping
            task.cancel()
        }
        for task in tasks.values { await task.value }
        for job in active.values { job.finish(with: nil) }
    }

    /// A job this daemon ran or runs, with what only memory holds (rate, commit, report).
    private func inMemory(_ id: Int64) -> ActiveJob? {
        active[id] ?? recentlyFinished.last { $0.id == id }
    }

    // MARK: running

    private func enqueue(_ job: ActiveJob) {
        active[job.id] = job
        byKey[job.key] = job.id
        waiting.append(job.id)
        startWaitingJobs()
    }

    private func startWaitingJobs() {
        while !stopping, tasks.count < maxJobs, !waiting.isEmpty {
            let id = waiting.removeFirst()
            guard let job = active[id] else { continue }
            tasks[id] = Task { await self.execute(job) }
        }
    }

    private func execute(_ job: ActiveJob) async {
        job.setState(.running)
        let outcome: JobEvent?
        do {
            try await record(job, state: .running)
            switch job.work {
            case .pull(let model):
                let report = try await withProgress(of: job) { try await self.service.pull(model) { job.handle($0) } }
                metrics.addDownloaded(bytes: report.bytesTransferred)
                try await record(job, state: .done, report: try DaemonJSON.encoder().encode(report))
                outcome = .done(job.view, report)
            case .bundle(let request):
                let bundler = Bundler(service: service)
                let executor = bundleExecutor ?? DedicatedThreadExecutor(name: "depot bundle jobs")
                bundleExecutor = executor
                let report = try await withTaskExecutorPreference(executor) {
                    try await withProgress(of: job) {
                        try await bundler.bundle(request) { event in
                            if case .pull(let pullEvent) = event { job.handle(pullEvent) }
                        }
                    }
                }
                try await record(job, state: .done, report: try DaemonJSON.encoder().encode(report))
                outcome = .bundled(job.view, report)
            }
        } catch {
            outcome = await ending(job, after: error)
        }
        finish(job, with: outcome)
        tasks[job.id] = nil
        startWaitingJobs()
        if tasks.isEmpty { DaemonProcessTuning.returnFreedMemory() }
    }

    /// Runs `work` while the job's progress goes to the catalog and its clients about once a second.
    private func withProgress<Report: Sendable>(of job: ActiveJob, _ work: @escaping @Sendable () async throws -> Report) async throws -> Report {
        try await withThrowingTaskGroup(of: Report?.self) { group in
            group.addTask { try await work() }
            group.addTask { try await self.reportProgress(of: job) }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let report = result { return report }
            }
            throw CancellationError()
        }
    }

    /// Records how an interrupted or failed job ends; nil when it is to resume at the next start.
    private func ending(_ job: ActiveJob, after error: any Error) async -> JobEvent? {
        switch job.stopReason {
        case .daemonStopping:
            try? await record(job, state: .queued)
            return nil
        case .cancelledByUser:
            try? await record(job, state: .cancelled)
            return .cancelled(job.view)
        case nil:
            if Self.isVerificationFailure(error) { metrics.addVerificationFailure() }
            logger.warning("job \(job.id) (\(job.view.kind.rawValue) of \(job.view.name)) failed: \(error)")
            try? await record(job, state: .failed, error: String(describing: error))
            return .failed(job.view)
        }
    }

    private func finish(_ job: ActiveJob, with last: JobEvent?) {
        job.finish(with: last)
        active[job.id] = nil
        if last != nil {
            recentlyFinished.append(job)
            if recentlyFinished.count > Self.recentLimit { recentlyFinished.removeFirst() }
        }
        if byKey[job.key] == job.id { byKey[job.key] = nil }
    }

    /// Writes the job's progress to the catalog and to its clients about once a second, until cancelled.
    private func reportProgress<Report>(of job: ActiveJob) async throws -> Report? {
        while true {
            try await Task.sleep(for: .seconds(1))
            let view = job.tick()
            try await service.catalog.updateJob(id: job.id, state: .running, bytesDone: view.bytesDone, bytesTotal: view.bytesTotal)
        }
    }

    /// Writes the job's state with what only memory holds (the commit, the report of a `done`
    /// job), so a restarted daemon answers the job as this one would.
    private func record(_ job: ActiveJob, state: JobState, error: String? = nil, report: Data? = nil) async throws {
        job.setState(state, error: error)
        let view = job.view
        let catalog = service.catalog
        // In a task of its own: the catalog refuses work from a cancelled task, and a cancelled
        // job's task is exactly the one that must record how it ended.
        try await Task {
            try await catalog.updateJob(id: job.id, state: state, bytesDone: view.bytesDone, bytesTotal: view.bytesTotal,
                                        error: error, commit: view.commit, report: report, at: view.updatedAt)
        }.value
    }

    private static func isVerificationFailure(_ error: any Error) -> Bool {
        switch error {
        case HubError.hashMismatch, HubError.sizeMismatch, PullError.knownHashMismatch: true
        default: false
        }
    }
}
