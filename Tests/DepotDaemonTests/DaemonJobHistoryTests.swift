import DepotDaemon
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation
import Testing

/// Finished jobs are kept in the catalog with their commit and report: a restarted daemon answers
/// them as the one that ran them did.
@Suite("finished jobs across a restart", .serialized)
struct DaemonJobHistoryTests {
    @Test("after SIGTERM and a new start, GET /v1/jobs/{id} answers the same and the done event still carries the report")
    func sameAnswerAfterRestart() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let first = try sandbox.start(log: "first.log")
        #expect(try await first.waitUntilReady(), "\(first.log)")
        let job = try await first.client.pull(PullJobRequest(name: "org/small"))
        #expect(try await waitUntil { try await first.client.job(id: job.id).isFinished })
        let before = try await first.client.job(id: job.id)
        let reportBefore = try await Self.doneReport(first.client, jobID: job.id)
        #expect(before.state == .done && before.commit?.count == 40)
        first.signal(SIGTERM)
        #expect(try await first.exitStatus(within: 5) == 0)

        let second = try sandbox.start(log: "second.log")
        #expect(try await second.waitUntilReady(), "\(second.log)")
        let after = try await second.client.job(id: job.id)
        #expect(after == before)
        #expect(try await second.client.jobs() == [before])
        let reportAfter = try await Self.doneReport(second.client, jobID: job.id)
        #expect(reportAfter.commit == reportBefore.commit && reportAfter.commit == before.commit)
        #expect(reportAfter.files.map(\.path).sorted() == DaemonHarness.smallFiles.keys.sorted())
        #expect(reportAfter.files.map(\.status) == reportBefore.files.map(\.status))
        second.signal(SIGTERM)
        #expect(try await second.exitStatus(within: 5) == 0)
    }

    @Test("a failed job keeps its error and no report; a job recorded before v6 reads back without commit or report")
    func failedAndOlderJobs() async throws {
        let harness = try DaemonHarness()
        let failed = try await harness.queue.submit(PullJobRequest(name: "org/small", include: ["nothing-matches/*"])).job
        #expect(try await waitUntil { try await harness.queue.job(id: failed.id).isFinished })
        await harness.queue.stop()
        let catalog = harness.queue.service.catalog
        let stored = try #require(try await catalog.job(id: failed.id))
        #expect(stored.state == .failed && stored.error?.isEmpty == false)
        #expect(try await catalog.jobReport(id: failed.id) == nil)

        let old = try await catalog.enqueueJob(model: "org/old", revision: "main")
        try await catalog.updateJob(id: old.id, state: .done, bytesDone: 10, bytesTotal: 10)
        let restarted = JobQueue(service: harness.queue.service, maxJobs: 1, metrics: DaemonMetrics())
        let view = try await restarted.job(id: old.id)
        #expect(view.state == .done && view.commit == nil)
        var last: JobEvent?
        for await event in try await restarted.events(id: old.id) { last = event }
        guard case .done(_, let report) = last else { Issue.record("no done event: \(String(describing: last))"); return }
        #expect(report == nil)
    }

    static func doneReport(_ client: DaemonClient, jobID: Int64) async throws -> PullReport {
        for try await event in client.events(jobID: jobID) {
            if case .done(_, let report) = event { return try #require(report, "the done event has no report") }
        }
        throw DaemonClientError.interrupted(jobID: jobID)
    }
}
