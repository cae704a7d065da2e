import ArgumentParser
import DepotBundle
import DepotPull
import Foundation

/// `depot gc`: free what nothing uses.
struct CollectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove blobs no snapshot uses, partial downloads nobody is writing and extracted archives no installed version holds; report the bytes freed."
    )

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let service = try DepotService.fromEnvironment()
            var report = try await service.collectGarbage()
            let extracted = ExtractedArchives(depotHome: service.config.depotHome, catalog: service.catalog)
            report.extractionsRemoved = try await extracted.collect()
            if output.json {
                try StandardStreams.printJSON(report)
                return
            }
            print("freed \(Format.bytes(report.bytesFreed)): \(report.blobsRemoved) blobs, \(report.partialsRemoved) partial downloads, \(report.extractionsRemoved) extracted archives")
        }
    }
}
