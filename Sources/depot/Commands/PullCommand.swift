import ArgumentParser
import DepotDaemon
import DepotPull
import DepotStore
import Foundation

/// `depot pull`: install a model version from the Hub, verified.
struct PullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Download a model from the Hub into the local store, verifying every file.",
        discussion: """
            NAME is a short name from the registry (sd-1.5, sdxl-base, coreml-sd-2.1-base/split-einsum, \
            tiny-sd1...) or any repo id (org/name). @REV picks a branch, tag or commit (default: the \
            registry's revision, else main). Interrupted pulls resume where they stopped; files already \
            in the cache (from depot or huggingface_hub) are checked and reused.

            Examples:
              depot pull sd-1.5
              depot pull coreml-sd-2.1-base/split-einsum
              depot pull stabilityai/stable-diffusion-2-1-base@main --include 'unet/*' --include '*.json'
            """
    )

    @Argument(help: ArgumentHelp("The model to pull.", valueName: "NAME[@REV]"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Only files matching this glob (repeatable; `*` matches across `/`).", valueName: "GLOB"))
    var include: [String] = []

    @Option(name: .long, help: ArgumentHelp("Skip files matching this glob (repeatable).", valueName: "GLOB"))
    var exclude: [String] = []

    @Flag(name: .long, help: "Install even when the structural check (headers, shapes, configs) finds the model inconsistent.")
    var skipStructureCheck = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let report: PullReport
            if !skipStructureCheck, let daemon = await DaemonClient.running(config: try DepotConfig.load()) {
                report = try await pullThroughDaemon(daemon)
            } else {
                var service = try DepotService.fromEnvironment()
                service.checksStructure = !skipStructureCheck
                let target = try service.resolve(model).narrowed(include: include, exclude: exclude)
                let display = ProgressDisplay()
                report = try await service.pull(target) { display.show($0) }
                display.close()
            }
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            let transferred = Format.bytes(report.bytesTransferred)
            let reused = Format.bytes(report.bytesReused)
            print("\(report.name) \(report.repo)@\(report.commit.prefix(10)) (\(report.revision)): \(report.files.count) files, \(Format.bytes(report.bytesTotal)); downloaded \(transferred), reused \(reused), in \(String(format: "%.1f", report.durationSeconds)) s")
            print("snapshot: \(report.snapshot)")
            if let structure = report.structure, structure.kind != "none" {
                let warnings = structure.findings.filter { $0.severity == .warning }
                print("structure: \(structure.kind), \(structure.filesChecked.count) files checked, \(warnings.isEmpty ? "consistent" : "\(warnings.count) warnings")")
                for warning in warnings { print("  warning: \(warning)") }
            }
        }
    }

    /// The daemon runs the pull as a job (joining one already pulling the same files); this
    /// follows its events with the same progress display. Interrupting this leaves the job running.
    private func pullThroughDaemon(_ daemon: DaemonClient) async throws -> PullReport {
        let job = try await daemon.pull(PullJobRequest(name: model, include: include, exclude: exclude))
        let display = ProgressDisplay()
        defer { display.close() }
        guard case .done(_, let report?) = try await daemon.follow(job, on: display) else {
            throw DaemonClient.reportMissing(job: job, rerun: "pull")
        }
        return report
    }
}
