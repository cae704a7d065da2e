import ArgumentParser
import DepotDaemon
import DepotPull
import DepotStore
import Foundation

/// `depot rm`: remove installed versions and the blobs only they used.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove installed versions of a model (all of them, or one with @COMMIT).",
        discussion: "Blobs another installed version or another tool's snapshot still uses are kept."
    )

    @Argument(help: ArgumentHelp("The model (name or repo id), optionally @COMMIT (a prefix is enough).", valueName: "NAME[@COMMIT]"))
    var model: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let report = if let daemon = await DaemonClient.running(config: try DepotConfig.load()) {
                try await daemon.remove(model)
            } else {
                try await DepotService.fromEnvironment().remove(model)
            }
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            for removed in report.removed {
                print("removed \(removed.name) \(removed.repo)@\(removed.commit.prefix(10))")
            }
            print("freed \(Format.bytes(report.bytesFreed)) (\(report.blobsRemoved) blobs)")
        }
    }
}
