// Scripts/bench/verify-coreml's driver: opens a Core ML model with every structural check and lists
// its weights the way `depot inspect` does without --stats (DepotCoreML alone).
//
//   depot-coreml-driver inspect MODEL [--stats]   check the model, print one line per weight and the totals
//   depot-coreml-driver noop                      start and exit (the process floor)
import DepotCoreML
import Foundation

@main
struct CoreMLDriver {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "inspect" where arguments.count >= 2:
            try inspect(URL(fileURLWithPath: arguments[1]), statistics: arguments.contains("--stats"))
        case "noop":
            return
        default:
            FileHandle.standardError.write(Data("usage: depot-coreml-driver inspect MODEL [--stats] | noop\n".utf8))
            exit(2)
        }
    }

    static func inspect(_ url: URL, statistics: Bool) throws {
        let model = try CoreMLModel(at: url)
        let weights = model.weights(statisticsLimit: statistics ? .max : 0)
        var output = ""
        for weight in weights {
            output += "\(weight.name)\t\(weight.dtype)\t\(weight.shape)\t\(weight.bytes)\t\(weight.uniqueValues.map(String.init) ?? "-")\n"
        }
        let bytes = weights.reduce(0) { $0 + $1.bytes }
        let records = model.blobRecords.values.reduce(0) { $0 + $1.count }
        output += "\(weights.count) weights, \(records) blob records, \(bytes) bytes\n"
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
