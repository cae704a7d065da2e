import ArgumentParser
import DepotFormats
import DepotRunner
import Foundation
import Synchronization

/// `depot generate`: text to image with depot's CPU runner, as diffusers' StableDiffusionPipeline does it.
struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate an image from a prompt with a diffusers Stable Diffusion folder, on the CPU."
    )

    @Option(name: .long, help: ArgumentHelp("Model folder (diffusers layout: unet/, vae/, text_encoder/, tokenizer/, scheduler/).", valueName: "DIR"))
    var model: String

    @Option(name: .long, help: "The prompt.")
    var prompt: String

    @Option(name: .long, help: "What the image should not show (default: empty).")
    var negativePrompt: String = ""

    @Option(name: .long, help: "Seed of the initial noise (torch.Generator compatible); random and printed when omitted.")
    var seed: UInt64?

    @Option(name: .long, help: "Denoising steps.")
    var steps: Int = 50

    @Option(name: .long, help: "Scheduler: pndm, ddim, euler or dpmpp (default: the model's own).")
    var scheduler: SchedulerKind?

    @Option(name: .long, help: "Classifier-free guidance scale (1 or less turns guidance off).")
    var guidance: Double = 7.5

    @Option(name: .long, help: "Image width in pixels (default: the UNet's sample size x the VAE factor).")
    var width: Int?

    @Option(name: .long, help: "Image height in pixels (default: the UNet's sample size x the VAE factor).")
    var height: Int?

    @Option(name: .long, help: ArgumentHelp("Where to write the PNG.", valueName: "PATH"))
    var output: String

    @Option(name: .long, help: ArgumentHelp("Also write the float32 HxWx3 image in [0,1] as safetensors (key 'image').", valueName: "PATH"))
    var outputTensor: String?

    @Flag(name: .long, help: "Print timings, peak memory and the output path as JSON.")
    var json = false

    func run() async throws {
        try await reportingErrors(json: json) { try generate() }
    }

    private func generate() throws {
        let seed = seed ?? UInt64.random(in: 0..<(1 << 32))
        let progress = StepProgress()
        let run = try GenerationRun.perform(model: URL(fileURLWithPath: model), onStep: progress.update) { pipeline in
            var request = GenerationRequest(prompt: prompt, seed: seed)
            request.negativePrompt = negativePrompt
            request.steps = steps
            request.scheduler = scheduler
            request.guidanceScale = guidance
            request.width = width
            request.height = height
            return request
        }
        progress.finish()
        let outputURL = URL(fileURLWithPath: output)
        try PNGEncoder.write(run.result.rgbImage, to: outputURL)
        if let outputTensor {
            try SafetensorsWriter.write(to: URL(fileURLWithPath: outputTensor), metadata: ["generator": "depot generate"],
                                        float32: [(name: "image", shape: run.result.image.shape, values: run.result.image.data)])
        }
        if json {
            try StandardStreams.printJSON(GenerateReport(run: run, output: outputURL.path, outputTensor: outputTensor, seed: seed))
        } else {
            print("\(outputURL.path)  \(run.result.width)x\(run.result.height)  seed \(seed)  \(run.result.schedulerClass)  \(String(format: "%.1f", run.totalSeconds)) s")
        }
    }
}

extension SchedulerKind: ExpressibleByArgument {}

/// A one-line bar over the denoising steps on stderr, drawn only when stderr is a terminal; its
/// clock starts at step 0, which the run reports once the model loaded.
final class StepProgress: Sendable {
    private let interactive = StandardStreams.stderrIsTerminal
    private let state = Mutex<(start: Date?, drawn: Bool)>((nil, false))

    func update(_ done: Int, _ total: Int) {
        guard interactive, total > 0 else { return }
        let start: Date? = state.withLock { state in
            guard let start = state.start else {
                state.start = Date()
                return nil
            }
            state.drawn = true
            return start
        }
        guard let start else { return }
        let width = 30
        let filled = done * width / total
        let elapsed = Date().timeIntervalSince(start)
        let remaining = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        StandardStreams.writeError("\r  denoising [\(bar)] \(done)/\(total)  \(Format.duration(elapsed)) elapsed, \(Format.duration(remaining)) left ")
    }

    func finish() {
        if state.withLock({ $0.drawn }) { StandardStreams.writeError("\n") }
    }
}
