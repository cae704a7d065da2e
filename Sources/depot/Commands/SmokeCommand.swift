import ArgumentParser
import DepotPull
import DepotRunner
import Foundation

/// `depot smoke`: a small generation that proves a model folder works, with a pass/fail verdict.
struct SmokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "smoke",
        abstract: "Run a small generation on the CPU and check the image (finite, not constant, sane statistics).",
        discussion: "NAME is an installed model (see depot list); DIR a diffusers folder. Real models run at 256x256 (or their own size if smaller) with 6 steps; small test models at their own size with 4 steps."
    )

    static let prompt = "a photograph of an astronaut riding a horse"

    @Argument(help: ArgumentHelp("Installed model name or model folder.", valueName: "NAME|DIR"))
    var model: String

    @Option(name: .long, help: ArgumentHelp("Where to write the PNG (default: smoke-<model>.png in the current folder).", valueName: "PATH"))
    var output: String?

    @Option(name: .long, help: "Denoising steps (default: 6, or 4 for models smaller than 256 pixels).")
    var steps: Int?

    @Flag(name: .long, help: "Print the verdict, checks and timings as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors(json: json) { try await smoke() }
    }

    private func smoke() async throws {
        let (folder, installedName) = try await resolveModel()
        let defaultName = (installedName ?? folder.lastPathComponent).replacingOccurrences(of: "/", with: "_")
        let outputURL = URL(fileURLWithPath: output ?? "smoke-\(defaultName).png")
        let run = try GenerationRun.perform(model: folder) { pipeline in
            let size = min(pipeline.defaultSize, 256)
            var request = GenerationRequest(prompt: Self.prompt, seed: 0)
            request.steps = steps ?? (size < 256 ? 4 : 6)
            request.width = size
            request.height = size
            return request
        }
        let checks = ImageChecks.evaluate(run.result.image)
        let passed = checks.allSatisfy(\.passed)
        try PNGEncoder.write(run.result.rgbImage, to: outputURL)
        let report = SmokeReport(model: folder.path, status: passed ? "pass" : "fail", checks: checks,
                                 generation: GenerateReport(run: run, output: outputURL.path, outputTensor: nil, seed: 0))
        if json {
            try StandardStreams.printJSON(report)
        } else {
            for check in checks { print("  \(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)") }
            let t = report.generation.timings
            print(String(format: "%@  %@  %dx%d  load %.2f s, text %.2f s, denoise %.2f s, decode %.2f s, total %.2f s, peak RSS %.0f MB",
                         passed ? "PASS" : "FAIL", outputURL.path, run.result.width, run.result.height,
                         t.load_s, t.text_s, t.denoise_s, t.decode_s, t.total_s, report.generation.peak_rss_mb))
        }
        if let installedName {
            let failed = checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }
            try await DepotService.fromEnvironment().recordSmoke(of: installedName, passed: passed,
                                                                 detail: failed.isEmpty ? "all checks passed" : failed.joined(separator: "; "))
        }
        if !passed { throw ExitCode(1) }
    }

    /// A model folder as given, else an installed model's snapshot (`depot list` names) with that name.
    private func resolveModel() async throws -> (URL, String?) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: model, isDirectory: &isDirectory), isDirectory.boolValue {
            return (URL(fileURLWithPath: model), nil)
        }
        return (try await DepotService.fromEnvironment().snapshotFolder(of: model), model)
    }
}

struct SmokeReport: Encodable {
    let model: String
    let status: String
    let checks: [ImageChecks.Check]
    let generation: GenerateReport
}

/// What makes a smoke image believable: every value finite, not one flat colour, not all black or white.
enum ImageChecks {
    struct Check: Encodable {
        let name: String
        let passed: Bool
        let detail: String
    }

    static func evaluate(_ image: Tensor) -> [Check] {
        let values = image.data
        let finite = values.allSatisfy(\.isFinite)
        guard finite, !values.isEmpty else {
            return [Check(name: "finite", passed: false, detail: "\(values.filter { !$0.isFinite }.count) of \(values.count) values are NaN or infinite")]
        }
        let count = Double(values.count)
        let mean = values.reduce(0.0) { $0 + Double($1) } / count
        let deviation = (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / count).squareRoot()
        let saturated = Double(values.filter { $0 <= 0 || $0 >= 1 }.count) / count
        return [
            Check(name: "finite", passed: true, detail: "all \(values.count) values finite"),
            Check(name: "not constant", passed: deviation > 0.01, detail: String(format: "standard deviation %.4f (needs > 0.01)", deviation)),
            Check(name: "mean brightness", passed: (0.02...0.98).contains(mean), detail: String(format: "mean %.3f (needs 0.02...0.98)", mean)),
            Check(name: "not saturated", passed: saturated < 0.9, detail: String(format: "%.1f%% of values clipped to 0 or 1 (needs < 90%%)", saturated * 100)),
        ]
    }
}
