/// diffusers' PNDMScheduler: pseudo linear multistep (PLMS), optionally preceded by the
/// Runge-Kutta warm-up (PRK) over the last four base timesteps when `skip_prk_steps` is false.
public struct PNDMScheduler: DiffusionScheduler {
    public let className = "PNDMScheduler"
    public let timesteps: [Double]
    public let initNoiseSigma = 1.0

    private let schedule: NoiseSchedule
    private let finalAlphaCumprod: Float
    private let prediction: PredictionType
    private let skipPRK: Bool
    private let stride: Int
    private let prkTimesteps: [Int]
    private var counter = 0
    private var ets: [[Float]] = []
    private var prkAccumulator: [Float]?
    private var savedSample: [Float]?

    public init(config: SchedulerConfig, steps: Int) throws {
        schedule = try NoiseSchedule(config: config, acceptsZeroSNRRescale: false)
        try validateStepCount(steps, trainTimesteps: schedule.trainTimesteps)
        let setAlphaToOne = try config.bool("set_alpha_to_one", default: false)
        finalAlphaCumprod = setAlphaToOne ? 1 : schedule.alphasCumprod[0]
        prediction = try PredictionType.read(config, allowed: [.epsilon, .vPrediction])
        skipPRK = try config.bool("skip_prk_steps", default: false)
        let spacing = try TimestepSpacing.read(config, default: .leading)
        let offset = try config.int("steps_offset", default: 0)
        let train = schedule.trainTimesteps
        stride = train / steps

        // The base timesteps, ascending.
        let base: [Int]
        switch spacing {
        case .linspace:
            base = linspaceDouble(0, Double(train - 1), count: steps).map(roundHalfEven)
        case .leading:
            base = (0..<steps).map { $0 * (train / steps) + offset }
        case .trailing:
            base = descendingRange(from: Double(train), step: Double(train) / Double(steps)).map { roundHalfEven($0) - 1 }.reversed()
        }

        let plms: [Int]
        if skipPRK {
            prkTimesteps = []
            // The second-to-last base timestep is used twice: PLMS needs two evaluations to start.
            let secondToLast = base.count >= 2 ? [base[base.count - 2]] : []
            plms = (Array(base.dropLast()) + secondToLast + base.suffix(1)).reversed()
        } else {
            let half = train / steps / 2
            let lastFour = base.suffix(4)
            let doubled = lastFour.flatMap { [$0, $0 + half] }
            let repeated = doubled.dropLast().flatMap { [$0, $0] }
            prkTimesteps = Array(repeated.dropFirst().dropLast().reversed())
            plms = Array(base.dropLast(3).reversed())
        }
        let all = prkTimesteps + plms
        if let bad = all.first(where: { $0 < 0 || $0 >= train }) {
            throw SchedulerError.timestepOutOfRange(scheduler: className, timestep: bad, trainTimesteps: train)
        }
        timesteps = all.map(Double.init)
    }

    public func scaleModelInput(_ sample: [Float], stepIndex: Int) -> [Float] { sample }

    public mutating func step(modelOutput: [Float], stepIndex: Int, sample: [Float]) -> [Float] {
        let timestep = Int(timesteps[stepIndex])
        if counter < prkTimesteps.count && !skipPRK {
            return stepRungeKutta(modelOutput: modelOutput, timestep: timestep, sample: sample)
        }
        return stepLinearMultistep(modelOutput: modelOutput, timestep: timestep, sample: sample)
    }

    private mutating func stepRungeKutta(modelOutput: [Float], timestep: Int, sample: [Float]) -> [Float] {
        let previousTimestep = timestep - (counter % 2 == 1 ? 0 : stride / 2)
        let baseTimestep = prkTimesteps[counter / 4 * 4]
        var output = modelOutput
        let accumulated = prkAccumulator ?? [Float](repeating: 0, count: modelOutput.count)
        switch counter % 4 {
        case 0:
            prkAccumulator = SampleMath.combine(1, accumulated, 1.0 / 6, modelOutput)
            ets.append(modelOutput)
            savedSample = sample
        case 1, 2:
            prkAccumulator = SampleMath.combine(1, accumulated, 1.0 / 3, modelOutput)
        default:
            output = SampleMath.combine(1, accumulated, 1.0 / 6, modelOutput)
            prkAccumulator = nil
        }
        let current = savedSample ?? sample
        let previous = previousSample(current, timestep: baseTimestep, previousTimestep: previousTimestep, modelOutput: output)
        counter += 1
        return previous
    }

    private mutating func stepLinearMultistep(modelOutput: [Float], timestep: Int, sample: [Float]) -> [Float] {
        var timestep = timestep
        var previousTimestep = timestep - stride
        if counter != 1 {
            ets = Array(ets.suffix(3))
            ets.append(modelOutput)
        } else {
            previousTimestep = timestep
            timestep += stride
        }
        var sample = sample
        let output: [Float]
        let count = ets.count
        if count == 1 && counter == 0 {
            output = modelOutput
            savedSample = sample
        } else if count == 1 && counter == 1 {
            output = SampleMath.combine(0.5, modelOutput, 0.5, ets[count - 1])
            sample = savedSample ?? sample
            savedSample = nil
        } else if count == 2 {
            output = SampleMath.combine(1.5, ets[1], -0.5, ets[0])
        } else if count == 3 {
            output = Self.weighted([23, -16, 5], of: [ets[2], ets[1], ets[0]], over: 12)
        } else {
            output = Self.weighted([55, -59, 37, -9], of: [ets[count - 1], ets[count - 2], ets[count - 3], ets[count - 4]], over: 24)
        }
        let previous = previousSample(sample, timestep: timestep, previousTimestep: previousTimestep, modelOutput: output)
        counter += 1
        return previous
    }

    private static func weighted(_ weights: [Float], of outputs: [[Float]], over divisor: Float) -> [Float] {
        var result = [Float](repeating: 0, count: outputs[0].count)
        for index in result.indices {
            var sum: Float = 0
            for (weight, output) in zip(weights, outputs) { sum += weight * output[index] }
            result[index] = sum / divisor
        }
        return result
    }

    /// Formula (9) of the PNDM paper.
    private func previousSample(_ sample: [Float], timestep: Int, previousTimestep: Int, modelOutput: [Float]) -> [Float] {
        let alphaProduct = Double(schedule.alphasCumprod[timestep])
        let alphaProductPrevious = Double(previousTimestep >= 0 ? schedule.alphasCumprod[previousTimestep] : finalAlphaCumprod)
        let betaProduct = 1 - alphaProduct
        let betaProductPrevious = 1 - alphaProductPrevious
        var epsilon = modelOutput
        if prediction == .vPrediction {
            epsilon = SampleMath.combine(alphaProduct.squareRoot(), modelOutput, betaProduct.squareRoot(), sample)
        }
        let sampleCoefficient = (alphaProductPrevious / alphaProduct).squareRoot()
        let denominator = alphaProduct * betaProductPrevious.squareRoot()
            + (alphaProduct * betaProduct * alphaProductPrevious).squareRoot()
        return SampleMath.combine(sampleCoefficient, sample, -(alphaProductPrevious - alphaProduct) / denominator, epsilon)
    }
}
