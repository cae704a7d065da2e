import DepotTokenizer
import Foundation

/// diffusers' StableDiffusionPipeline (text to image) on depot's CPU models: classifier-free
/// guidance with a negative prompt, torch-equal initial noise from the seed, the chosen scheduler,
/// VAE decode of latents / scaling_factor, and image = clamp(x / 2 + 0.5, 0, 1).
public final class StableDiffusionPipeline: Sendable {
    public let directory: URL
    public let tokenizer: CLIPTokenizer
    public let textEncoder: CLIPTextModel
    public let unet: UNet2DConditionModel
    public let vae: AutoencoderKL
    public let schedulerConfig: SchedulerConfig
    private let schedulerConfigURL: URL

    public init(directory: URL) throws {
        try OpenBLASLibrary.load()
        self.directory = directory
        let fileManager = FileManager.default
        let required = ["unet", "vae", "text_encoder", "tokenizer", "scheduler"]
        guard required.allSatisfy({ fileManager.fileExists(atPath: directory.appendingPathComponent($0).path) }) else {
            throw PipelineError.notAModelFolder(directory)
        }
        tokenizer = try CLIPTokenizer(directory: directory.appendingPathComponent("tokenizer"))
        textEncoder = try CLIPTextModel(directory: directory.appendingPathComponent("text_encoder"))
        unet = try UNet2DConditionModel(directory: directory.appendingPathComponent("unet"))
        vae = try AutoencoderKL(directory: directory.appendingPathComponent("vae"))
        schedulerConfigURL = directory.appendingPathComponent("scheduler/scheduler_config.json")
        schedulerConfig = try SchedulerConfig(contentsOf: schedulerConfigURL)
    }

    /// The image side length diffusers uses when none is given.
    public var defaultSize: Int {
        (unet.config.sampleSize ?? 64) * vae.downscaleFactor
    }

    /// The scheduler `kind` (or the checkpoint's own class) configured for `steps` steps.
    public func makeScheduler(_ kind: SchedulerKind?, steps: Int) throws -> any DiffusionScheduler {
        if let kind { return try kind.makeScheduler(config: schedulerConfig, steps: steps) }
        let className = schedulerConfig.className ?? "PNDMScheduler"
        guard let own = SchedulerKind(className: className) else {
            throw PipelineError.unsupportedScheduler(className: className, file: schedulerConfigURL)
        }
        return try own.makeScheduler(config: schedulerConfig, steps: steps)
    }

    /// Runs one generation; `progress(done, total)` is called after every UNet evaluation.
    /// Generations in one process run one after the other (see `ComputeExclusion`).
    public func generate(_ request: GenerationRequest, progress: (Int, Int) -> Void = { _, _ in }) throws -> GenerationResult {
        try ComputeExclusion.run { try generateAlone(request, progress: progress) }
    }

    private func generateAlone(_ request: GenerationRequest, progress: (Int, Int) -> Void) throws -> GenerationResult {
        let factor = vae.downscaleFactor
        let width = request.width ?? defaultSize
        let height = request.height ?? defaultSize
        let multiple = max(8, factor)
        guard width > 0, height > 0, width % multiple == 0, height % multiple == 0 else {
            throw PipelineError.invalidSize(width: width, height: height, multiple: multiple)
        }
        guard request.guidanceScale.isFinite else { throw PipelineError.invalidGuidance(request.guidanceScale) }
        var scheduler = try makeScheduler(request.scheduler, steps: request.steps)
        var timings = PhaseTimings()
        let guided = request.guidanceScale > 1

        var clock = ContinuousClock.now
        let promptIDs = tokenizer.inputIDs(request.prompt)
        let batchIDs = guided ? [tokenizer.inputIDs(request.negativePrompt), promptIDs] : [promptIDs]
        let embeddings = try textEncoder.encode(batch: batchIDs)
        timings.text = Self.seconds(since: &clock)

        let latentShape = [1, unet.config.inChannels, height / factor, width / factor]
        var generator = TorchGenerator(seed: request.seed)
        let noise = generator.randn(count: latentShape.reduce(1, *))
        var latents = SampleMath.scale(noise, by: scheduler.initNoiseSigma)
        let total = scheduler.timesteps.count
        for (index, timestep) in scheduler.timesteps.enumerated() {
            let input = scheduler.scaleModelInput(latents, stepIndex: index)
            let batch = guided ? input + input : input
            let batchShape = [guided ? 2 : 1] + latentShape.dropFirst()
            let prediction = try unet.predict(sample: Tensor(shape: batchShape, data: batch), timestep: Float(timestep),
                                              encoderHiddenStates: embeddings)
            let noisePrediction = guided
                ? Self.guide(prediction.data, scale: Float(request.guidanceScale))
                : prediction.data
            latents = scheduler.step(modelOutput: noisePrediction, stepIndex: index, sample: latents)
            progress(index + 1, total)
        }
        timings.denoise = Self.seconds(since: &clock)

        let scaling = vae.config.scalingFactor
        let decoded = try vae.decode(Tensor(shape: latentShape, data: latents.map { $0 / scaling }))
        let image = Self.imageFromDecoded(decoded)
        timings.decode = Self.seconds(since: &clock)
        return GenerationResult(image: image, schedulerClass: scheduler.className, timings: timings)
    }

    /// uncond + scale * (text - uncond), from the batch [uncond; text].
    static func guide(_ batch: [Float], scale: Float) -> [Float] {
        let half = batch.count / 2
        return (0..<half).map { index in
            let unconditional = batch[index]
            return unconditional + scale * (batch[half + index] - unconditional)
        }
    }

    /// [1, 3, H, W] decoder output -> [H, W, 3] in [0, 1] via clamp(x / 2 + 0.5, 0, 1).
    static func imageFromDecoded(_ decoded: Tensor) -> Tensor {
        let channels = decoded.shape[1], height = decoded.shape[2], width = decoded.shape[3]
        var pixels = [Float](repeating: 0, count: height * width * channels)
        for channel in 0..<channels {
            for row in 0..<height {
                for column in 0..<width {
                    let value = decoded.data[(channel * height + row) * width + column] / 2 + 0.5
                    pixels[(row * width + column) * channels + channel] = min(max(value, 0), 1)
                }
            }
        }
        return Tensor(shape: [height, width, channels], data: pixels)
    }

    private static func seconds(since start: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        let elapsed = now - start
        start = now
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }
}
