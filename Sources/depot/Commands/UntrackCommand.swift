import ArgumentParser
import DepotPull
import DepotSync

/// `depot untrack`: stop keeping a model current; its installed versions stay.
struct UntrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "untrack",
        abstract: "Stop keeping a model current. Installed versions stay (`depot rm` removes them)."
    )

    @Argument(help: ArgumentHelp("The name as given to `depot track`.", valueName: "NAME"))
    var model: String

    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var name: String
        var tracked: Bool
    }

    func run() async throws {
        try await reportingErrors(json: output.json) {
            try await Tracking(service: try DepotService.fromEnvironment()).untrack(model)
            if output.json {
                try StandardStreams.printJSON(Report(name: model, tracked: false))
                return
            }
            print("no longer tracking \(model); its installed versions stay")
        }
    }
}
