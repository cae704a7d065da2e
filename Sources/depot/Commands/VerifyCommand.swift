import ArgumentParser
import DepotPull
import Foundation

/// `depot verify`: re-hash installed files.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash installed files against the SHA-256 recorded at pull time.",
        discussion: "Exits 1 when any file is missing or differs; `depot pull NAME` repairs it."
    )

    @Argument(help: ArgumentHelp("Only this model (name or repo id, optionally @COMMIT); default: everything.", valueName: "NAME"))
    var model: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var failed = false
        try await reportingErrors(json: output.json) {
            let interactive = !output.json && StandardStreams.stderrIsTerminal
            let report = try await DepotService.fromEnvironment().verify(name: model) { path, _ in
                if interactive { StandardStreams.writeError("\u{1B}[2K\rchecking \(path)") }
            }
            if interactive { StandardStreams.writeError("\u{1B}[2K\r") }
            failed = !report.ok
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            for version in report.versions {
                print("\(version.ok ? "ok  " : "BAD ") \(version.name) \(version.repo)@\(version.commit.prefix(10))")
                for problem in version.problems {
                    print("     \(problem.path): \(problem.problem) (blob \(problem.blob); expected sha256 \(problem.expectedSHA256)\(problem.actualSHA256.map { ", found \($0)" } ?? ""))")
                }
            }
            print("\(report.filesChecked) files, \(Format.bytes(report.bytesChecked)) checked: \(report.ok ? "all good" : "problems found; `depot pull NAME` downloads the bad files again")")
        }
        if failed { throw ExitCode.failure }
    }
}
