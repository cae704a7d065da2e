import DepotDaemon
import DepotRunner
import DepotTestSupport
import Foundation
import Testing

/// `depot pull`, `list` and `rm` print the same through the daemon as in-process.
@Suite("CLI through the daemon")
struct DaemonCLITests {
    @Test("pull, list and rm: the same output with and without a daemon")
    func sameOutput() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        let inProcess = ["DEPOT_NO_DAEMON": "1"]

        let pulledAlone = try sandbox.depot("pull", "org/small", extra: inProcess)
        #expect(pulledAlone.status == 0, "\(pulledAlone.stderr)")
        let listedAlone = try sandbox.depot("list", extra: inProcess)
        let removedAlone = try sandbox.depot("rm", "org/small", extra: inProcess)
        #expect(removedAlone.status == 0, "\(removedAlone.stderr)")

        let daemon = try sandbox.start()
        #expect(try await daemon.waitUntilReady(), "\(daemon.log)")
        let pulled = try sandbox.depot("pull", "org/small")
        #expect(pulled.status == 0, "\(pulled.stderr)")
        let listed = try sandbox.depot("list")
        let removed = try sandbox.depot("rm", "org/small")
        let jobs = try await daemon.client.jobs()
        #expect(jobs.count == 1, "the pull went through the daemon")

        #expect(Self.timeless(pulled.stdout) == Self.timeless(pulledAlone.stdout))
        #expect(pulled.stderr.split(separator: "\n").sorted() == pulledAlone.stderr.split(separator: "\n").sorted())
        #expect(Self.untimed(listed.stdout) == Self.untimed(listedAlone.stdout))
        #expect(removed.stdout == removedAlone.stdout)

        let missing = try sandbox.depot("rm", "org/small")
        let missingAlone = try sandbox.depot("rm", "org/small", extra: inProcess)
        #expect(missing.status == 1 && missingAlone.status == 1)
        #expect(missing.stderr == missingAlone.stderr)

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    @Test("smoke and bundle run on the daemon when one runs: the CLI's own DEPOT_HOME has nothing installed")
    func smokeAndBundleOnTheDaemon() async throws {
        let sandbox = try DaemonProcessTests.Sandbox()
        try sandbox.hub.addRepo("org/tiny-sd1", files: try fixtureFiles("tiny-sd1"))
        let coreml = try TemporaryDirectory("cli-coreml-repo")
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coreml/make_coreml_repo.py")
        try runChecked(try TestEnvironment.python(), [script.path, coreml.url.path], timeout: 60)
        try sandbox.hub.addRepo(DaemonBundleJobTests.sd21, files: try folderFiles(coreml.url))
        try sandbox.hub.addRepo("openai/clip-vit-base-patch32", files: try fixtureFiles("clip-vit-base-patch32"))

        let daemon = try sandbox.start(["--listen", "127.0.0.1:0"], address: .tcp(host: "127.0.0.1", port: 0))
        let port = try #require(try await DaemonProcessTests.boundPort(of: daemon), "\(daemon.log)")
        let pulled = try sandbox.depot("pull", "org/tiny-sd1", extra: ["DEPOT_DAEMON": "127.0.0.1:\(port)"])
        #expect(pulled.status == 0, "\(pulled.stderr)")

        // In-process these would find nothing installed (smoke) or pull into the empty home (bundle).
        let emptyHome = try TemporaryDirectory("cli-empty-home")
        let work = try TemporaryDirectory("cli-work")
        let client = sandbox.environment.merging(["DEPOT_HOME": emptyHome.url.path, "DEPOT_DAEMON": "127.0.0.1:\(port)"]) { _, new in new }
        let smoked = try runProcess(try TestEnvironment.depotBinary(), ["smoke", "org/tiny-sd1", "--steps", "2", "--json"],
                                    environment: client, currentDirectory: work.url, timeout: 300)
        #expect(smoked.status == 0, "\(smoked.stderr)")
        let report = try JSONDecoder().decode(SmokeReport.self, from: smoked.stdoutData)
        #expect(FileManager.default.fileExists(atPath: work.path("smoke-org_tiny-sd1.png").path), "the PNG lands in the CLI's folder")
        let alone = try sandbox.depot("smoke", "org/tiny-sd1", "--steps", "2", "--json", "--output", work.path("alone.png").path,
                                      extra: ["DEPOT_NO_DAEMON": "1"])
        let aloneReport = try JSONDecoder().decode(SmokeReport.self, from: alone.stdoutData)
        #expect(report.passed && aloneReport.passed)
        #expect(report.checks.map(\.name) == aloneReport.checks.map(\.name))

        let bundled = try runProcess(try TestEnvironment.depotBinary(), ["bundle", "coreml-sd-2.1-base", "-o", "Resources", "--json"],
                                     environment: client, currentDirectory: work.url, timeout: 300)
        #expect(bundled.status == 0, "\(bundled.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.path("Resources/Unet.mlmodelc").path))
        #expect(FileManager.default.fileExists(atPath: work.path("Resources/bundle.json").path))
        let jobs = try await DaemonClient(address: .tcp(host: "127.0.0.1", port: port)).jobs()
        #expect(jobs.contains { $0.kind == .bundle && $0.state == .done }, "the bundle was a daemon job: \(jobs)")
        #expect(!FileManager.default.fileExists(atPath: emptyHome.path("catalog.sqlite").path), "the CLI pulled nothing itself")

        daemon.signal(SIGTERM)
        #expect(try await daemon.exitStatus(within: 5) == 0)
    }

    /// The pull summary without its duration.
    static func timeless(_ text: String) -> String {
        text.replacingOccurrences(of: #"in [0-9.]+ s"#, with: "in _ s", options: .regularExpression)
    }

    /// The list table without the pulled-at column's times (the two pulls ran at different moments).
    static func untimed(_ text: String) -> String {
        text.replacingOccurrences(of: #"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?"#, with: "_", options: .regularExpression)
    }
}
