import ArgumentParser
import DepotDaemon
import DepotPull
import DepotRunner
import DepotStore
import Foundation

/// `depot smoke`: a small generation that proves a model folder works, with a pass/fail verdict.
struct SmokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract: "Run a small generation on the CPU and check the image (finite, not constant, sane statistics).",
        discussion: "NAME is an installed model (see depot list); DIR a diffusers folder. Real models run at 256x256 (or their own size if smaller) with 6 steps; small test models at their own size with 4 steps."
    )

    @Argument(help: ArgumentHelp("Installed model name or model folder.", valueName: "NAME|DIR"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Where to write the PNG (default: smoke-<model>.png in the current folder).", valueName: "PATH"))
    var output: String?

    @Option(name: .long, help: "Denoising steps (default: 6, or 4 for models smaller than 256 pixels).")
    var steps: Int?

    @Flag(name: .long, help: "Print the verdict, checks and timings as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors(json: json) { try await smoke() }
    }

    private func smoke() async throws {
        let currentFolder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let report: SmokeReport
        if let daemon = await DaemonClient.running(config: try DepotConfig.load()), daemon.address.isThisMachine {
            report = try await smokeOnDaemon(daemon, currentFolder: currentFolder)
        } else {
            let progress = StepProgress()
            report = try await InstalledSmoke { try DepotService.fromEnvironment() }
                .run(model: model, output: output.map { URL(fileURLWithPath: $0) }, steps: steps, defaultFolder: currentFolder,
                     onStep: { progress.update($0, $1) })
            progress.finish()
        }
        if json {
            try StandardStreams.printJSON(report)
        } else {
            for check in report.checks { print("  \(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)") }
            let generation = report.generation, t = generation.timings
            print(String(format: "%@  %@  %dx%d  load %.2f s, text %.2f s, denoise %.2f s, decode %.2f s, total %.2f s, peak RSS %.0f MB",
                         report.passed ? "PASS" : "FAIL", generation.output, generation.width, generation.height,
                         t.load_s, t.text_s, t.denoise_s, t.decode_s, t.total_s, generation.peak_rss_mb))
        }
        if !report.passed { throw ExitCode(1) }
    }

    /// The daemon runs the generation (one at a time with its other smokes) and records the
    /// outcome; paths go as absolute ones, so the PNG lands where the in-process run puts it.
    private func smokeOnDaemon(_ daemon: DaemonClient, currentFolder: URL) async throws -> SmokeReport {
        if StandardStreams.stderrIsTerminal { StandardStreams.printError("smoke of \(model) running on the daemon (\(daemon.address))") }
        return try await daemon.smoke(InstalledSmoke.daemonBody(model: model, output: output, steps: steps, currentFolder: currentFolder))
    }
}
