import ArgumentParser
import DepotDaemon
import DepotPull
import DepotStore
import DepotSync
import Foundation

/// `depot list`: every installed version.
struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List installed model versions, newest first.",
        discussion: "PINNED: kept by `depot pin` (the sync's --keep and `depot rm` leave it). TRACKED: `depot track` keeps the model current."
    )

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let versions = if let daemon = await DaemonClient.running(config: try DepotConfig.load()) {
                try await daemon.installed()
            } else {
                try await Tracking(service: DepotService.fromEnvironment(readOnly: true)).listInstalled()
            }
            if output.json {
                try StandardStreams.printJSON(versions)
                return
            }
            guard !versions.isEmpty else {
                print("No models installed. Pull one with `depot pull NAME` (e.g. depot pull sd-1.5).")
                return
            }
            var table = TextTable(header: ["NAME", "REPO", "COMMIT", "REVISION", "FILES", "SIZE", "PULLED", "VERIFIED", "PINNED", "TRACKED"])
            for version in versions {
                table.rows.append([version.name, version.repo, String(version.commit.prefix(10)), version.revision,
                                   String(version.files), Format.bytes(version.bytes),
                                   Format.timestamp(version.pulledAt), version.verifiedAt.map(Format.timestamp) ?? "no",
                                   version.pinned ? "yes" : "no", version.tracked ? "yes" : "no"])
            }
            print(table.render())
        }
    }
}
