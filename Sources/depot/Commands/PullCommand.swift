import ArgumentParser
import DepotPull
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

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let service = try DepotService.fromEnvironment()
            let target = try service.resolve(model).narrowed(include: include, exclude: exclude)
            let display = ProgressDisplay()
            let report = try await service.pull(target) { display.show($0) }
            display.close()
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            let transferred = Format.bytes(report.bytesTransferred)
            let reused = Format.bytes(report.bytesReused)
            print("\(report.name) \(report.repo)@\(report.commit.prefix(10)) (\(report.revision)): \(report.files.count) files, \(Format.bytes(report.bytesTotal)); downloaded \(transferred), reused \(reused), in \(String(format: "%.1f", report.durationSeconds)) s")
            print("snapshot: \(report.snapshot)")
        }
    }
}
