import DepotDaemon
import DepotPull
import DepotRunner
import DepotStore
import DepotTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// `POST /v1/smoke`: the smoke test of `depot smoke`, run by the daemon on an installed model.
@Suite("daemon smoke", .serialized)
struct DaemonSmokeTests {
    static let pngSignature = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

    @Test("in-process: the installed tiny-sd1 passes, the PNG is written, the catalog records it; bad requests are refused")
    func inProcess() async throws {
        let harness = try DaemonHarness()
        try harness.hub.addRepo("org/tiny-sd1", files: try fixtureFiles("tiny-sd1"))
        _ = try await harness.queue.pullAndWait(PullJobRequest(name: "org/tiny-sd1"))
        let png = harness.directory.path("smoke.png")
        try await Application(router: harness.router()).test(.router) { client in
            let response = try await client.execute(uri: "/v1/smoke", method: .post,
                                                    body: try jsonBody(SmokeBody(name: "org/tiny-sd1", output: png.path)))
            #expect(response.status == .ok, "\(response.body.text)")
            let report = try response.body.decoded(as: SmokeReport.self)
            #expect(report.status == "pass")
            #expect(report.checks.map(\.name) == ["finite", "not constant", "mean brightness", "not saturated"])
            #expect(report.checks.allSatisfy { $0.passed })
            #expect(report.generation.output == png.path && report.generation.seed == 0)
            #expect(report.model.hasSuffix("/snapshots/\(try await harness.queue.service.listInstalled()[0].commit)"))
            #expect(try Data(contentsOf: png).prefix(8) == Self.pngSignature)

            let models = try await client.execute(uri: "/v1/models", method: .get).body.decoded(as: [InstalledVersionSummary].self)
            #expect(models.first?.smoke == "pass", "the list (and its cache) shows the recorded smoke result")

            let defaulted = try await client.execute(uri: "/v1/smoke", method: .post, body: try jsonBody(SmokeBody(name: "org/tiny-sd1", steps: 2)))
            #expect(defaulted.status == .ok, "\(defaulted.body.text)")
            let defaultPNG = URL(fileURLWithPath: harness.config.depotHome).appendingPathComponent("smoke/smoke-org_tiny-sd1.png")
            #expect(try defaulted.body.decoded(as: SmokeReport.self).generation.output == defaultPNG.path)
            #expect(FileManager.default.fileExists(atPath: defaultPNG.path))

            let missing = try await client.execute(uri: "/v1/smoke", method: .post, body: try jsonBody(SmokeBody(name: "org/absent")))
            #expect(missing.status == .notFound)
            #expect(try missing.body.decoded(as: ErrorBody.self).message.contains("org/absent"))
            let relative = try await client.execute(uri: "/v1/smoke", method: .post,
                                                    body: try jsonBody(SmokeBody(name: "org/tiny-sd1", output: "smoke.png")))
            #expect(relative.status == .badRequest)
            let noSteps = try await client.execute(uri: "/v1/smoke", method: .post, body: try jsonBody(SmokeBody(name: "org/tiny-sd1", steps: 0)))
            #expect(noSteps.status == .badRequest)
            #expect(try noSteps.body.decoded(as: ErrorBody.self).message.contains("--steps"))
            let notAModel = try await client.execute(uri: "/v1/smoke", method: .post,
                                                     body: try jsonBody(SmokeBody(name: harness.directory.path("hf").path)))
            #expect(notAModel.status == .unprocessableContent)
        }
        await harness.queue.stop()
    }

    @Test("over the socket: the same checks as `depot smoke --json` in-process, and the server answers while it runs")
    func overTheSocket() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        try sandbox.hub.addRepo("org/tiny-sd1", files: try fixtureFiles("tiny-sd1"))
        let inProcess = ["DEPOT_NO_DAEMON": "1"]
        let pulled = try sandbox.depot("pull", "org/tiny-sd1", extra: inProcess)
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let alonePNG = sandbox.directory.path("alone.png")
        let alone = try sandbox.depot("smoke", "org/tiny-sd1", "--output", alonePNG.path, "--json", extra: inProcess)
        #expect(alone.status == 0, "\(alone.stderr)")
        let aloneReport = try JSONDecoder().decode(SmokeReport.self, from: alone.stdoutData)

        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let client = daemon.client
        let png = sandbox.directory.path("daemon.png")
        // Many steps, so the generation is still running while /healthz is asked.
        let started = ContinuousClock.now
        let smoke = Task { try await client.smoke(SmokeBody(name: "org/tiny-sd1", output: png.path, steps: 40)) }
        try await Task.sleep(for: .milliseconds(300))
        let asked = ContinuousClock.now
        #expect(await client.isHealthy())
        let answered = ContinuousClock.now
        let report = try await smoke.value
        #expect(answered - asked < .seconds(1), "healthz took \(answered - asked) during a smoke test")
        // The generation started after the request did, so this means /healthz was answered mid-generation.
        #expect(answered - started < .milliseconds(Int(report.generation.timings.total_s * 1000)),
                "the smoke was over before /healthz was answered; give it more steps")

        #expect(report.status == "pass")
        #expect(report.model == aloneReport.model)
        #expect(report.checks.map(\.name) == aloneReport.checks.map(\.name))
        let same = try await client.smoke(SmokeBody(name: "org/tiny-sd1", output: png.path))
        #expect(same.checks == aloneReport.checks, "seed 0 and the default steps: the same image, the same verdict")
        #expect(try Data(contentsOf: png) == Data(contentsOf: alonePNG))

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    @Test("SIGTERM during a long smoke test and with one waiting: the daemon still exits 0 within 5 s")
    func stopsDuringASmoke() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        try sandbox.hub.addRepo("org/tiny-sd1", files: try fixtureFiles("tiny-sd1"))
        #expect(try sandbox.depot("pull", "org/tiny-sd1", extra: ["DEPOT_NO_DAEMON": "1"]).status == 0)
        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let client = daemon.client
        // Thousands of steps: minutes of generation, far beyond the 5 s a stop may take.
        let running = Task { try await client.smoke(SmokeBody(name: "org/tiny-sd1", steps: 5000)) }
        let waiting = Task { try await client.smoke(SmokeBody(name: "org/tiny-sd1", steps: 5000)) }
        try await Task.sleep(for: .seconds(1))
        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0, "\(daemon.log)")
        await #expect(throws: (any Error).self) { _ = try await running.value }
        await #expect(throws: (any Error).self) { _ = try await waiting.value }
    }
}
