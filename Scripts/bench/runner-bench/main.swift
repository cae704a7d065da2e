import DepotRunner
import Foundation

/// depot-bench generate OUT --configs DIR --tokenizer DIR --model-index FILE
/// depot-bench unet MODEL [--runs N] [--json FILE] [--unet-only] [--profile]
/// depot-bench conv [--runs N] [--only CHANNELSxSIDE]
/// depot-bench products [--runs N]
BLASRuntime.relaunchTunedIfNeeded()
let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

let usage = """
usage: depot-bench generate OUT --configs DIR --tokenizer DIR --model-index FILE
       depot-bench unet MODEL [--runs N] [--json FILE] [--unet-only] [--profile]
       depot-bench conv [--runs N] [--only CHANNELSxSIDE]
       depot-bench products [--runs N]
"""

guard arguments.count >= 1 else { fail(usage) }
do {
    switch arguments[0] {
    case "generate":
        guard arguments.count >= 2, let configs = option("--configs"), let tokenizer = option("--tokenizer"), let index = option("--model-index") else { fail(usage) }
        try SyntheticCheckpoint(configs: URL(fileURLWithPath: configs), tokenizer: URL(fileURLWithPath: tokenizer),
                                modelIndex: URL(fileURLWithPath: index)).write(to: URL(fileURLWithPath: arguments[1]))
    case "unet":
        guard arguments.count >= 2 else { fail(usage) }
        let runs = Int(option("--runs") ?? "3") ?? 3
        var benchmark = UNetBenchmark(model: URL(fileURLWithPath: arguments[1]), runs: runs)
        benchmark.unetOnly = arguments.contains("--unet-only")
        benchmark.profile = arguments.contains("--profile")
        let results = try benchmark.run()
        if let json = option("--json") {
            try JSONSerialization.data(withJSONObject: results, options: [.prettyPrinted, .sortedKeys]).write(to: URL(fileURLWithPath: json))
        }
    case "products":
        let runs = Int(option("--runs") ?? "3") ?? 3
        // (m, n, k) of the UNet's weight-streaming products: 3x3 convolutions at 8x8 and 4x4, linear layers on 128 tokens.
        for (m, n, k) in [(1280, 128, 11520), (1280, 32, 11520), (1280, 32, 23040), (10240, 128, 1280), (1280, 128, 5120), (1280, 154, 768)] {
            guard let (blas, half) = ProductProbe.seconds(m: m, n: n, k: k, runs: runs) else { fail("no AVX-512F on this CPU") }
            let gflop = 2 * Double(m * n * k) / 1e9
            print(String(format: "m %5d n %4d k %5d: OpenBLAS (float32 weight) %6.1f GFLOP per CPU-second, float16-weight kernel %6.1f",
                         m, n, k, gflop / blas, gflop / half))
        }
    case "conv":
        ConvolutionBenchmark(runs: Int(option("--runs") ?? "3") ?? 3).run(only: option("--only"))
    default:
        fail(usage)
    }
} catch {
    fail("depot-bench: \(error)")
}
