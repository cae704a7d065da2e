import ArgumentParser
import DepotPull
import DepotSync
import Foundation

/// `depot pin`: keep one installed version through keep-N retention.
struct PinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Keep an installed version: the sync's --keep never removes a pinned version.",
        discussion: "`depot pin --remove NAME@COMMIT` unpins it."
    )

    @Argument(help: ArgumentHelp("The installed version (a commit prefix is enough).", valueName: "NAME@COMMIT"))
    var version: String

    @Flag(help: "Remove the pin instead.")
    var remove = false

    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var name: String
        var repo: String
        var commit: String
        var pinned: Bool
    }

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let tracking = Tracking(service: try DepotService.fromEnvironment())
            let report: Report
            if remove {
                let (installed, wasPinned) = try await tracking.unpin(version)
                report = Report(name: installed.name, repo: installed.repo, commit: installed.commit, pinned: false)
                if !output.json, !wasPinned { print("\(installed.name)@\(installed.commit.prefix(10)) was not pinned") }
            } else {
                let installed = try await tracking.pin(version)
                report = Report(name: installed.name, repo: installed.repo, commit: installed.commit, pinned: true)
            }
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            print("\(report.pinned ? "pinned" : "unpinned") \(report.name) \(report.repo)@\(report.commit.prefix(10))")
        }
    }
}
