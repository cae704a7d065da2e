import DepotThreads
import Foundation

/// `depot smoke`: a small generation that proves a model folder works, judged by `ImageChecks`.
/// Real models run at 256x256 (or their own size if smaller) with 6 steps; small test models at
/// their own size with 4 steps.
public struct SmokeTest: Sendable {
    public static let prompt = "a photograph of an astronaut riding a horse"

    /// A diffusers folder.
    public var model: URL
    /// Where the PNG goes.
    public var output: URL
    /// Denoising steps; nil for the default (6, or 4 below 256 pixels).
    public var steps: Int?

    public init(model: URL, output: URL, steps: Int? = nil) {
        self.model = model
        self.output = output
        self.steps = steps
    }

    /// The PNG's file name when none is given: `smoke-<model>.png`, a `/` in the name made `_`.
    public static func defaultFileName(model name: String) -> String {
        "smoke-\(name.replacingOccurrences(of: "/", with: "_")).png"
    }

    /// Runs the generation on the calling thread (blocking, CPU-bound), writes the PNG and judges the image.
    public func runBlocking(onStep: (Int, Int) -> Void = { _, _ in }) throws -> SmokeReport {
        if let steps, steps < 1 { throw SmokeError.invalidSteps(steps) }
        let run = try GenerationRun.perform(model: model, onStep: onStep) { pipeline in
            let size = min(pipeline.defaultSize, 256)
            var request = GenerationRequest(prompt: Self.prompt, seed: 0)
            request.steps = steps ?? (size < 256 ? 4 : 6)
            request.width = size
            request.height = size
            return request
        }
        let checks = ImageChecks.evaluate(run.result.image)
        try PNGEncoder.write(run.result.rgbImage, to: output)
        return SmokeReport(model: model.path, checks: checks,
                           generation: GenerateReport(run: run, output: output.path, outputTensor: nil, seed: 0))
    }

    /// The same on a thread of its own, so the generation never occupies a thread of Swift's
    /// cooperative pool (a server's event loops and tasks keep running meanwhile). The generation
    /// cannot be interrupted: cancelling the task returns at once with `CancellationError`, and
    /// the thread finishes on its own with its result dropped (a daemon cancels when it stops).
    public func run(onStep: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> SmokeReport {
        try await BlockingThread.runAbandoningOnCancel(name: "depot smoke") { try runBlocking(onStep: onStep) }
    }
}

/// `depot smoke --json` (docs/cli-json.md) and the answer of the daemon's `POST /v1/smoke`.
public struct SmokeReport: Sendable, Codable {
    public let model: String
    /// `pass` or `fail`.
    public let status: String
    public let checks: [ImageChecks.Check]
    public let generation: GenerateReport

    public init(model: String, checks: [ImageChecks.Check], generation: GenerateReport) {
        self.model = model
        status = checks.allSatisfy(\.passed) ? "pass" : "fail"
        self.checks = checks
        self.generation = generation
    }

    public var passed: Bool { status == "pass" }

    /// One line for the catalog: the failed checks, or that all passed.
    public var summary: String {
        let failed = checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }
        return failed.isEmpty ? "all checks passed" : failed.joined(separator: "; ")
    }
}

/// Why a smoke test cannot start.
public enum SmokeError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    case invalidSteps(Int)

    public var description: String {
        switch self {
        case .invalidSteps(let steps): "\(steps) denoising steps cannot make an image: give --steps 1 or more (default 6, 4 for small models)"
        }
    }

    public var errorDescription: String? { description }
}
