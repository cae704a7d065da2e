import DepotDaemon
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("daemon API in-process")
struct DaemonAPITests {
    @Test("healthz, unknown routes and jobs answer JSON with the right status")
    func basics() async throws {
        let harness = try DaemonHarness()
        try await Application(router: harness.router()).test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(try health.body.decoded(as: [String: String].self) == ["status": "ok"])

            let missing = try await client.execute(uri: "/v1/jobs/99", method: .get)
            #expect(missing.status == .notFound)
            #expect(try missing.body.decoded(as: ErrorBody.self).error == "not_found")

            let badID = try await client.execute(uri: "/v1/jobs/abc", method: .get)
            #expect(badID.status == .badRequest)

            let badBody = try await client.execute(uri: "/v1/pulls", method: .post, body: ByteBuffer(string: "{\"nom\": 1}"))
            #expect(badBody.status == .badRequest)
            #expect(try badBody.body.decoded(as: ErrorBody.self).message.contains("PullJobRequest"))

            let nowhere = try await client.execute(uri: "/v1/nothing", method: .get)
            #expect(nowhere.status == .notFound)
            #expect(try nowhere.body.decoded(as: ErrorBody.self).error == "not_found")

            let unknownModel = try await client.execute(uri: "/v1/models/nobody", method: .delete)
            #expect(unknownModel.status == .notFound)
        }
        await harness.queue.stop()
    }

    @Test("a pull becomes a job that ends done; the model is listed, then removed")
    func pullListRemove() async throws {
        let harness = try DaemonHarness()
        try await Application(router: harness.router()).test(.router) { client in
            let created = try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
            #expect(created.status == .created)
            let job = try created.body.decoded(as: JobView.self)
            #expect(job.name == "org/small" && job.revision == "main")

            let finished = try await waitUntil {
                let view = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get).body.decoded(as: JobView.self)
                return view.state == .done
            }
            #expect(finished)
            let view = try await client.execute(uri: "/v1/jobs/\(job.id)", method: .get).body.decoded(as: JobView.self)
            let total = Int64(DaemonHarness.smallFiles.values.reduce(0) { $0 + $1.count })
            #expect(view.bytesDone == total && view.bytesTotal == total)

            let jobs = try await client.execute(uri: "/v1/jobs", method: .get).body.decoded(as: [JobView].self)
            #expect(jobs.map(\.id) == [job.id])

            let models = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            #expect(models.map(\.repo) == ["org/small"])
            #expect(models.first?.files == 3)

            let metrics = try await client.execute(uri: "/metrics", method: .get).body.text
            #expect(metrics.contains("depot_jobs{state=\"done\"} 1"))
            #expect(metrics.contains("depot_downloaded_bytes_total \(total)"))
            #expect(metrics.contains("depot_http_request_duration_seconds_count"))

            let wrongCommit = try await client.execute(uri: "/v1/models/org/small?commit=ffff", method: .delete)
            #expect(wrongCommit.status == .notFound)
            let removed = try await client.execute(uri: "/v1/models/org/small?commit=\(models[0].commit.prefix(8))", method: .delete)
            #expect(removed.status == .ok)
            #expect(try removed.body.decoded(as: RemoveReport.self).removed.map(\.repo) == ["org/small"])
            let after = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            #expect(after.isEmpty)
        }
        await harness.queue.stop()
    }

    @Test("the model list is cached, yet a change another process makes to the catalog shows at once")
    func listSeesOtherWriters() async throws {
        let harness = try DaemonHarness()
        _ = try await harness.queue.pullAndWait(PullJobRequest(name: "org/small"))
        try await Application(router: harness.router()).test(.router) { client in
            let first = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            let again = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            #expect(first.count == 1 && again.count == 1)
            // Like `depot rm` run in-process: its own catalog connection.
            let removed = try await DepotService(config: harness.config).remove("org/small")
            #expect(removed.removed.count == 1)
            let after = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            #expect(after.isEmpty)
        }
        await harness.queue.stop()
    }

    @Test("the events of a job: progress first, the pull's file events, then done with the report")
    func events() async throws {
        let harness = try DaemonHarness()
        try await Application(router: harness.router()).test(.router) { client in
            let job = try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
                .body.decoded(as: JobView.self)
            let response = try await client.execute(uri: "/v1/jobs/\(job.id)/events", method: .get)
            #expect(response.headers[.contentType] == "text/event-stream")
            let names = response.body.text.split(separator: "\n").filter { $0.hasPrefix("event: ") }.map { $0.dropFirst(7) }
            #expect(names.first == "progress")
            #expect(names.last == "done")
            #expect(names.filter { $0 == "file_finished" }.count == 3 || names.count == 2, "a late subscriber sees only the end")
            let doneData = try #require(response.body.text.components(separatedBy: "event: done\ndata: ").last?.split(separator: "\n").first)
            let event = try #require(try JobEvent(name: "done", data: Data(doneData.utf8)))
            guard case .done(let view, let report) = event else { Issue.record("not a done event"); return }
            #expect(view.state == .done)
            #expect(report?.files.count == 3)
        }
        await harness.queue.stop()
    }

    @Test("20 requests for the same model at once: one job, one download")
    func joining() async throws {
        let harness = try DaemonHarness()
        try await Application(router: harness.router()).test(.router) { client in
            let ids = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
                            .body.decoded(as: JobView.self).id
                    }
                }
                return try await group.reduce(into: Set<Int64>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let id = try #require(ids.first)
            #expect(try await waitUntil { try await harness.queue.job(id: id).state == .done })
            let log = try harness.hubLog()
            let bigGets = log.filter { $0.method == "GET" && $0.path.hasSuffix("/unet/diffusion_pytorch_model.safetensors") }
            #expect(bigGets.count == 1)
        }
        await harness.queue.stop()
    }

    @Test("cancelling a queued job: it ends cancelled and never runs")
    func cancelQueued() async throws {
        let harness = try DaemonHarness(maxJobs: 1)
        try harness.hub.inject(#"[{"kind": "stall", "path": "unet/diffusion_pytorch_model.safetensors", "after": 1000, "seconds": 30, "times": 1}]"#)
        try await Application(router: harness.router()).test(.router) { client in
            let first = try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
                .body.decoded(as: JobView.self)
            let second = try await client.execute(
                uri: "/v1/pulls", method: .post,
                body: try jsonBody(PullJobRequest(name: "org/small", include: ["*.json"]))).body.decoded(as: JobView.self)
            #expect(first.id != second.id, "other files make another job")
            let cancelled = try await client.execute(uri: "/v1/jobs/\(second.id)", method: .delete).body.decoded(as: JobView.self)
            #expect(cancelled.state == .cancelled)
            let running = try await client.execute(uri: "/v1/jobs/\(first.id)", method: .delete).body.decoded(as: JobView.self)
            #expect(running.state == .cancelled)
            let stored = try #require(try await harness.queue.service.catalog.job(id: first.id))
            #expect(stored.state == .cancelled)
        }
        await harness.queue.stop()
    }
}
