import ArgumentParser
import DepotPull
import Foundation

/// `depot gc`: free what nothing uses.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove blobs no snapshot uses and partial downloads nobody is writing; report the bytes freed."
    )

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let report = try await DepotService.fromEnvironment().collectGarbage()
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            print("freed \(Format.bytes(report.bytesFreed)): \(report.blobsRemoved) blobs, \(report.partialsRemoved) partial downloads")
        }
    }
}
