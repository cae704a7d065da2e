import ArgumentParser
import DepotPull
import Foundation

/// `depot show`: the files of an installed model.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show an installed model's versions and files: sizes, hashes and paths on disk."
    )

    @Argument(help: ArgumentHelp("An installed model (name or repo id), optionally @COMMIT.", valueName: "NAME[@COMMIT]"))
    var model: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let details = try await DepotService.fromEnvironment(readOnly: true).show(model)
            if output.json {
                try StandardStreams.printJSON(details)
                return
            }
            print("\(details.name)  \(details.repo)  (\(details.kind))")
            for version in details.versions {
                print("")
                print("commit \(version.commit)  revision \(version.revision)  \(Format.bytes(version.bytes))  pulled \(Format.timestamp(version.pulledAt))")
                print("snapshot \(version.snapshot)")
                var table = TextTable(header: ["PATH", "SIZE", "SHA256"])
                for file in version.files {
                    table.rows.append([file.path, Format.bytes(file.size), file.sha256])
                }
                print(table.render())
            }
        }
    }
}
