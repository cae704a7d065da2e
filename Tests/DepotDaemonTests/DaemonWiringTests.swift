import DepotDaemon
import DepotMirror
import DepotPull
import DepotSync
import DepotTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What `depot serve` adds from the mirror and sync modules: the Hub read endpoints on the same
/// router, and the job queue as the sync's way to pull.
@Suite("daemon wiring: Hub mirror and sync")
struct DaemonWiringTests {
    @Test("the sync's pull is a normal job of the queue and answers the installed commit")
    func syncPullsThroughTheQueue() async throws {
        let harness = try DaemonHarness()
        let submitter: any PullJobSubmitting = harness.queue
        let commit = try await submitter.submitPull(name: "org/small", revision: nil)
        let jobs = try await harness.queue.jobs()
        #expect(jobs.count == 1 && jobs.first?.state == .done && jobs.first?.commit == commit)
        let installed = try await harness.queue.service.listInstalled()
        #expect(installed.map(\.commit) == [commit])
        await #expect(throws: (any Error).self) { try await submitter.submitPull(name: "org/none", revision: nil) }
        await harness.queue.stop()
    }

    @Test("the Hub endpoints answer next to the API, behind the same token")
    func mirrorRoutes() async throws {
        let harness = try DaemonHarness()
        _ = try await harness.queue.pullAndWait(PullJobRequest(name: "org/small"))
        let routes = DaemonRoutes(queue: harness.queue, metrics: harness.metrics, address: .tcp(host: "0.0.0.0", port: 1))
        let router = DaemonServer.router(routes: routes, mirror: HubMirrorRoutes(service: harness.queue.service), token: "t")
        try await Application(router: router).test(.router) { client in
            let bearer: HTTPFields = [.authorization: "Bearer t"]
            let info = try await client.execute(uri: "/api/models/org/small/revision/main", method: .get, headers: bearer)
            #expect(info.status == .ok)
            let file = try await client.execute(uri: "/org/small/resolve/main/unet/config.json", method: .get, headers: bearer)
            #expect(file.status == .ok)
            #expect(Data(file.body.readableBytesView) == DaemonHarness.smallFiles["unet/config.json"])
            let missing = try await client.execute(uri: "/org/nothing/resolve/main/x.json", method: .get, headers: bearer)
            #expect(missing.status == .notFound)
            #expect(missing.headers[HTTPField.Name("X-Error-Code")!] == "RepoNotFound")
            let anonymous = try await client.execute(uri: "/org/small/resolve/main/unet/config.json", method: .get)
            #expect(anonymous.status == .unauthorized)
            let health = try await client.execute(uri: "/healthz", method: .get, headers: bearer)
            #expect(health.status == .ok)
        }
        await harness.queue.stop()
    }
}
