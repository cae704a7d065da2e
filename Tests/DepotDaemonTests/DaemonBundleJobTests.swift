import DepotBundle
import DepotDaemon
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/bundles` queues a job like a pull: the answer comes at once, the report with `done`.
@Suite("daemon bundle jobs", .serialized)
struct DaemonBundleJobTests {
    static let sd21 = "apple/coreml-stable-diffusion-2-1-base"

    /// A harness whose test hub serves a generated Core ML SD 2.1 repo and the CLIP tokenizer.
    static func harness() throws -> DaemonHarness {
        let harness = try DaemonHarness()
        let repo = try TemporaryDirectory("daemon-coreml-repo")
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coreml/make_coreml_repo.py")
        try runChecked(try TestEnvironment.python(), [script.path, repo.url.path], timeout: 60)
        try harness.hub.addRepo(sd21, files: try folderFiles(repo.url))
        try harness.hub.addRepo("openai/clip-vit-base-patch32", files: try fixtureFiles("clip-vit-base-patch32"))
        return harness
    }

    @Test("a bundle is a job: 201 at once, the same folder joins it, done carries the report; a finished folder is a 409")
    func bundleJob() async throws {
        let harness = try Self.harness()
        let output = harness.directory.path("Resources")
        let body = BundleBody(name: "coreml-sd-2.1-base", output: output.path)
        try await Application(router: harness.router()).test(.router) { client in
            let created = try await client.execute(uri: "/v1/bundles", method: .post, body: try jsonBody(body))
            #expect(created.status == .created, "\(created.body.text)")
            let job = try created.body.decoded(as: JobView.self)
            #expect(job.kind == .bundle && job.name == "coreml-sd-2.1-base" && job.output == output.path)
            let again = try await client.execute(uri: "/v1/bundles", method: .post, body: try jsonBody(body))
            if again.status == .ok {
                #expect(try again.body.decoded(as: JobView.self).id == job.id, "the same folder joins the job")
            } else {
                #expect(again.status == .conflict, "the job was over already: the folder exists")
            }

            let events = try await client.execute(uri: "/v1/jobs/\(job.id)/events", method: .get).body.text
            let doneData = try #require(events.components(separatedBy: "event: done\ndata: ").last?.split(separator: "\n").first)
            let event = try #require(try JobEvent(name: "done", data: Data(doneData.utf8)))
            guard case .bundled(let view, let report) = event else { Issue.record("not a bundle's done event: \(events)"); return }
            #expect(view.state == .done && view.kind == .bundle)
            let bundled = try #require(report)
            #expect(bundled.folder == output.path && bundled.kind == .stableDiffusion)
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("bundle.json").path))
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("Unet.mlmodelc").path))

            let exists = try await client.execute(uri: "/v1/bundles", method: .post, body: try jsonBody(body))
            #expect(exists.status == .conflict)
            let relative = try await client.execute(uri: "/v1/bundles", method: .post,
                                                    body: try jsonBody(BundleBody(name: "coreml-sd-2.1-base", output: "Resources")))
            #expect(relative.status == .badRequest)
            let unknown = try await client.execute(uri: "/v1/bundles", method: .post,
                                                   body: try jsonBody(BundleBody(name: "no-such-model", output: harness.directory.path("x").path)))
            #expect(unknown.status == .notFound)
            let jobs = try await client.execute(uri: "/v1/jobs", method: .get).body.decoded(as: [JobView].self)
            #expect(jobs.map(\.kind).contains(.bundle) && jobs.map(\.kind).contains(.pull) == false)
        }
        await harness.queue.stop()

        // A restarted daemon answers the finished bundle job the same, report included.
        let restarted = JobQueue(service: try DepotService(config: harness.config), maxJobs: 1, metrics: DaemonMetrics())
        let stored = try await restarted.jobs()
        #expect(stored.count == 1 && stored[0].kind == .bundle && stored[0].state == .done && stored[0].output == output.path)
        var last: JobEvent?
        for await event in try await restarted.events(id: stored[0].id) { last = event }
        guard case .bundled(_, let report) = last else { Issue.record("no bundle done event after the restart"); return }
        #expect(report?.folder == output.path)
    }

    @Test("over the socket: the bundle job's events end with the report, and depot status shows it")
    func overTheSocket() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let repo = try TemporaryDirectory("daemon-coreml-repo")
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coreml/make_coreml_repo.py")
        try runChecked(try TestEnvironment.python(), [script.path, repo.url.path], timeout: 60)
        try sandbox.hub.addRepo(Self.sd21, files: try folderFiles(repo.url))
        try sandbox.hub.addRepo("openai/clip-vit-base-patch32", files: try fixtureFiles("clip-vit-base-patch32"))
        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let output = sandbox.directory.path("Resources")
        let job = try await daemon.client.bundle(BundleBody(name: "coreml-sd-2.1-base", output: output.path))
        #expect(job.kind == .bundle && job.output == output.path)
        var last: JobEvent?
        for try await event in daemon.client.events(jobID: job.id) { last = event }
        guard case .bundled(let view, let report) = last else { Issue.record("the events did not end with a bundle's done: \(String(describing: last))"); return }
        #expect(view.state == .done && report?.folder == output.path)

        let status = try sandbox.depot("status")
        let row = try #require(status.stdout.split(separator: "\n").first { $0.hasPrefix("\(job.id) ") }, "\(status.stdout)")
        #expect(row.contains(" bundle ") && row.contains(" done ") && row.contains(output.path))
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    @Test("a bundle job left queued by a stopped daemon runs at the next start")
    func resumesQueuedBundle() async throws {
        let harness = try Self.harness()
        let output = harness.directory.path("Later")
        let body = BundleBody(name: "coreml-sd-2.1-base", output: output.path)
        _ = try await harness.queue.service.catalog.enqueueJob(kind: .bundle, model: body.name, revision: "",
                                                               request: try DaemonJSON.encoder().encode(body))
        try await harness.queue.resumeUnfinished()
        let id = try #require(try await harness.queue.jobs().first?.id)
        #expect(try await waitUntil(seconds: 60) { try await harness.queue.job(id: id).isFinished })
        let view = try await harness.queue.job(id: id)
        #expect(view.state == .done, "\(view.error ?? "")")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("bundle.json").path))
        await harness.queue.stop()
    }
}
