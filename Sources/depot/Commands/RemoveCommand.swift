import ArgumentParser
import DepotDaemon
import DepotPull
import DepotStore
import DepotSync
import Foundation

/// `depot rm`: remove installed versions and the blobs only they used.
struct RemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove installed versions of a model (all of them, or one with @COMMIT).",
        discussion: "Blobs another installed version or another tool's snapshot still uses are kept. A pinned version is removed only with --force (or after `depot pin --remove NAME@COMMIT`)."
    )

    @Argument(help: ArgumentHelp("The model (name or repo id), optionally @COMMIT (a prefix is enough).", valueName: "NAME[@COMMIT]"))
    var model: String

    @Flag(help: "Remove pinned versions too.")
    var force = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let report = if let daemon = await DaemonClient.running(config: try DepotConfig.load()) {
                try await daemon.remove(model, force: force)
            } else {
                try await Tracking(service: DepotService.fromEnvironment()).remove(model, force: force)
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
