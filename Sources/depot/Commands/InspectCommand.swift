import ArgumentParser
import DepotFormats
import DepotInspect
import DepotPull
import Foundation

/// `depot inspect`: what a model is and what its weights are, with the structural findings.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Report a model's kind, precision and weights (dtype, shape, size, compression) and check its structure.",
        discussion: """
            PATH is a .safetensors file, a diffusers folder (model_index.json), a component folder \
            (config.json + weights) or a Core ML model; NAME is an installed model. Unique values and \
            sparsity are computed for weights of up to \(StatisticsPolicy.defaultElementLimit) elements \
            (all weights with --stats). Exits 1 when the structural check finds an error.
            """
    )

    @Argument(help: ArgumentHelp("A model path, or an installed model's name (optionally @COMMIT).", valueName: "PATH|NAME"))
    var model: String

    @Flag(name: .long, help: "Compute unique values and sparsity for every weight, whatever its size.")
    var stats = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var failed = false
        try await reportingErrors(json: output.json) {
            let url = try await ModelLocation.resolve(model)
            let report = try ModelInspector.inspect(url, statistics: stats ? .all : .default)
            failed = !report.ok
            if output.json {
                try StandardStreams.printJSON(report)
            } else {
                print(InspectRendering.text(report, title: model))
            }
        }
        if failed { throw ExitCode.failure }
    }
}

/// A command argument that is a path when one exists there, else an installed model's name.
enum ModelLocation {
    static func resolve(_ argument: String) async throws -> URL {
        let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
        if FileManager.default.fileExists(atPath: url.path) { return url.standardizedFileURL }
        return try await DepotService.fromEnvironment(readOnly: true).snapshotFolder(of: argument)
    }
}
