import DepotDaemon
import DepotPull
import DepotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The same API over a real TCP socket, with the job runner as a service of the application.
@Suite("daemon API over a live socket")
struct DaemonLiveTests {
    @Test("a pull's events stream over the socket until done; 50 concurrent status requests are all answered")
    func liveEventsAndConcurrentStatus() async throws {
        let harness = try DaemonHarness()
        let app = Application(router: harness.router(), services: [JobRunnerService(queue: harness.queue)])
        try await app.test(.live) { client in
            let job = try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
                .body.decoded(as: JobView.self)
            let events = try await client.execute(uri: "/v1/jobs/\(job.id)/events", method: .get).body.text
            #expect(events.hasPrefix("event: progress\n"))
            #expect(events.contains("event: done\n"))

            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<50 { group.addTask { try await client.execute(uri: "/v1/status", method: .get).status } }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.count == 50 && statuses.allSatisfy { $0 == .ok })
        }
    }

    @Test("with a token, requests without it get 401 and queue nothing")
    func tokenRequired() async throws {
        let harness = try DaemonHarness()
        try await Application(router: harness.router(token: "t0ken")).test(.live) { client in
            let refused = try await client.execute(uri: "/v1/pulls", method: .post, body: try jsonBody(PullJobRequest(name: "org/small")))
            #expect(refused.status == .unauthorized)
            #expect(try refused.body.decoded(as: ErrorBody.self).error == "unauthorized")
            let wrong = try await client.execute(uri: "/v1/jobs", method: .get, headers: [.authorization: "Bearer t0kem"])
            #expect(wrong.status == .unauthorized)
            let jobs = try await client.execute(uri: "/v1/jobs", method: .get, headers: [.authorization: "Bearer t0ken"])
            #expect(jobs.status == .ok)
            #expect(try jobs.body.decoded(as: [JobView].self).isEmpty)
        }
        #expect(try await harness.queue.jobs().isEmpty)
    }
}
