import ArgumentParser
import DepotInspect
import DepotPull
import Foundation

/// `depot verify`: re-hash installed files; with --deep, also check the weights' structure.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash installed files against the SHA-256 recorded at pull time (--deep: and check the weights' structure).",
        discussion: """
            Exits 1 when any file is missing or differs; `depot pull NAME` repairs it. With --deep, every \
            safetensors header, sharded index, config.json and tokenizer is checked too: each tensor the \
            config implies present with its shape, nothing unknown, components consistent with each other.
            """
    )

    @Argument(help: ArgumentHelp("Only this model (name or repo id, optionally @COMMIT); default: everything.", valueName: "NAME"))
    var model: String?

    @Flag(name: .long, help: "Also verify the structure: safetensors headers, shards, configs, tensor names and shapes.")
    var deep = false

    @Flag(name: .long, help: "Only the structural check, without hashing (NAME may also be a path); what runs after a pull.")
    var structure = false

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var failed = false
        try await reportingErrors(json: output.json) {
            if structure {
                guard let model else { throw ValidationError("--structure needs a model name or path") }
                let report = StructuralCheck.run(try await ModelLocation.resolve(model))
                failed = !report.ok
                if output.json { try StandardStreams.printJSON(report) } else { VerifyRendering.printStructure(report, title: model) }
                return
            }
            let interactive = !output.json && StandardStreams.stderrIsTerminal
            let service = try DepotService.fromEnvironment()
            let report = try await service.verify(name: model) { path, _ in
                if interactive { StandardStreams.writeError("\u{1B}[2K\rchecking \(path)") }
            }
            if interactive { StandardStreams.writeError("\u{1B}[2K\r") }
            guard deep else {
                failed = !report.ok
                if output.json { try StandardStreams.printJSON(report) } else { VerifyRendering.printHashes(report) }
                return
            }
            let deepReport = try await DeepVerifyReport(hashes: report) { version in
                try await service.snapshotFolder(of: "\(version.repo)@\(version.commit)")
            }
            failed = !deepReport.ok
            if output.json { try StandardStreams.printJSON(deepReport) } else { VerifyRendering.printDeep(deepReport) }
        }
        if failed { throw ExitCode.failure }
    }
}
