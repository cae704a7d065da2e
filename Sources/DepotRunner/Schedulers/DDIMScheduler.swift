/// diffusers' DDIMScheduler with eta = 0 (what the Stable Diffusion pipeline uses).
public struct DDIMScheduler: DiffusionScheduler {
    public let className = "DDIMScheduler"
    public let timesteps: [Double]
    public let initNoiseSigma = 1.0

    private let schedule: NoiseSchedule
    private let finalAlphaCumprod: Float
    private let prediction: PredictionType
    private let clipSample: Bool
    private let clipSampleRange: Double
    private let thresholding: Bool
    private let thresholdRatio: Double
    private let sampleMaxValue: Double
    private let stride: Int

    public init(config: SchedulerConfig, steps: Int) throws {
        schedule = try NoiseSchedule(config: config, acceptsZeroSNRRescale: true)
        let train = schedule.trainTimesteps
        try validateStepCount(steps, trainTimesteps: train)
        finalAlphaCumprod = try config.bool("set_alpha_to_one", default: true) ? 1 : schedule.alphasCumprod[0]
        prediction = try PredictionType.read(config, allowed: [.epsilon, .sample, .vPrediction])
        clipSample = try config.bool("clip_sample", default: true)
        clipSampleRange = try config.double("clip_sample_range", default: 1.0)
        thresholding = try config.bool("thresholding", default: false)
        thresholdRatio = try config.double("dynamic_thresholding_ratio", default: 0.995)
        sampleMaxValue = try config.double("sample_max_value", default: 1.0)
        let offset = try config.int("steps_offset", default: 0)
        stride = train / steps
        let values: [Int]
        switch try TimestepSpacing.read(config, default: .leading) {
        case .linspace:
            values = linspaceDouble(0, Double(train - 1), count: steps).map(roundHalfEven).reversed()
        case .leading:
            values = (0..<steps).reversed().map { $0 * (train / steps) + offset }
        case .trailing:
            values = descendingRange(from: Double(train), step: Double(train) / Double(steps)).map { roundHalfEven($0) - 1 }
        }
        if let bad = values.first(where: { $0 < 0 || $0 >= train }) {
            throw SchedulerError.timestepOutOfRange(scheduler: className, timestep: bad, trainTimesteps: train)
        }
        timesteps = values.map(Double.init)
    }

    public func scaleModelInput(_ sample: [Float], stepIndex: Int) -> [Float] { sample }

    public mutating func step(modelOutput: [Float], stepIndex: Int, sample: [Float]) -> [Float] {
        let timestep = Int(timesteps[stepIndex])
        let previousTimestep = timestep - stride
        let alphaProduct = Double(schedule.alphasCumprod[timestep])
        let alphaProductPrevious = Double(previousTimestep >= 0 ? schedule.alphasCumprod[previousTimestep] : finalAlphaCumprod)
        let betaProduct = 1 - alphaProduct
        var original: [Float]
        let epsilon: [Float]
        switch prediction {
        case .epsilon:
            original = SampleMath.combine(1 / alphaProduct.squareRoot(), sample, -betaProduct.squareRoot() / alphaProduct.squareRoot(), modelOutput)
            epsilon = modelOutput
        case .sample:
            original = modelOutput
            epsilon = SampleMath.combine(1 / betaProduct.squareRoot(), sample, -alphaProduct.squareRoot() / betaProduct.squareRoot(), modelOutput)
        case .vPrediction:
            original = SampleMath.combine(alphaProduct.squareRoot(), sample, -betaProduct.squareRoot(), modelOutput)
            epsilon = SampleMath.combine(alphaProduct.squareRoot(), modelOutput, betaProduct.squareRoot(), sample)
        }
        if thresholding {
            original = SampleMath.dynamicThreshold(original, ratio: thresholdRatio, maxValue: sampleMaxValue)
        } else if clipSample {
            original = SampleMath.clamp(original, to: clipSampleRange)
        }
        return SampleMath.combine(alphaProductPrevious.squareRoot(), original, (1 - alphaProductPrevious).squareRoot(), epsilon)
    }
}
