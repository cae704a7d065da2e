import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads a model folder, runs one generation and times it. Blocking and CPU-bound: async callers
/// run it through `BlockingWork`.
public struct GenerationRun: Sendable {
    public let result: GenerationResult
    public let loadSeconds: Double
    public let totalSeconds: Double

    /// `onStep(done, total)` is called with 0 once the model loaded, then after each UNet evaluation.
    public static func perform(model: URL, onStep: (Int, Int) -> Void = { _, _ in },
                               request: (StableDiffusionPipeline) throws -> GenerationRequest) throws -> GenerationRun {
        let start = Date()
        let pipeline = try StableDiffusionPipeline(directory: model)
        let loadSeconds = Date().timeIntervalSince(start)
        let request = try request(pipeline)
        onStep(0, request.steps)
        let result = try pipeline.generate(request, progress: onStep)
        return GenerationRun(result: result, loadSeconds: loadSeconds, totalSeconds: Date().timeIntervalSince(start))
    }

    /// The process's peak resident set size (getrusage reports kilobytes on Linux, bytes on macOS).
    public static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        return (Double(usage.ru_maxrss) / 1_048_576 * 10).rounded() / 10
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_maxrss) / 1024 * 10).rounded() / 10
        #endif
    }
}

/// `depot generate --json` (docs/cli-json.md), also the `generation` of a smoke report.
public struct GenerateReport: Sendable, Codable {
    public struct Timings: Sendable, Codable {
        public let load_s: Double
        public let text_s: Double
        public let denoise_s: Double
        public let decode_s: Double
        public let total_s: Double
    }

    public let timings: Timings
    public let peak_rss_mb: Double
    public let output: String
    public let output_tensor: String?
    public let seed: UInt64
    public let scheduler: String
    public let width: Int
    public let height: Int

    public init(run: GenerationRun, output: String, outputTensor: String?, seed: UInt64) {
        timings = Timings(load_s: run.loadSeconds, text_s: run.result.timings.text, denoise_s: run.result.timings.denoise,
                          decode_s: run.result.timings.decode, total_s: run.totalSeconds)
        peak_rss_mb = GenerationRun.peakResidentMegabytes()
        self.output = output
        output_tensor = outputTensor
        self.seed = seed
        scheduler = run.result.schedulerClass
        width = run.result.width
        height = run.result.height
    }
}
