import ArgumentParser
import DepotPull
import Foundation

/// `--json`, shared by every command that prints something a script would read.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON on stdout (shapes in docs/cli-json.md) instead of text.")
    var json = false
}

/// Runs a command body; an error becomes one clear line on stderr (and `{"error": ...}` on stdout
/// with --json) and exit status 1, instead of a stack of wrappers.
func reportingErrors(json: Bool, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let message = String(describing: error)
        if json {
            struct Failure: Encodable { let error: [String: String] }
            try? StandardStreams.printJSON(Failure(error: ["kind": String(describing: type(of: error)), "message": message]))
        }
        StandardStreams.printError("depot: \(message)")
        throw ExitCode.failure
    }
}
