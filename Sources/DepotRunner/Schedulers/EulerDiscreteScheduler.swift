import Foundation

/// diffusers' EulerDiscreteScheduler (no churn: s_churn = 0, as the pipeline calls it).
public struct EulerDiscreteScheduler: DiffusionScheduler {
    public let className = "EulerDiscreteScheduler"
    public let timesteps: [Double]
    public let initNoiseSigma: Double

    private let sigmas: [Double]
    private let prediction: PredictionType

    public init(config: SchedulerConfig, steps: Int) throws {
        let schedule = try NoiseSchedule(config: config, acceptsZeroSNRRescale: true).withNonZeroTerminalAlpha()
        let train = schedule.trainTimesteps
        try validateStepCount(steps, trainTimesteps: train)
        prediction = try PredictionType.read(config, allowed: [.epsilon, .sample, .vPrediction])
        let spacing = try TimestepSpacing.read(config, default: .linspace)
        let offset = try config.int("steps_offset", default: 0)
        let interpolation = try config.string("interpolation_type", default: "linear", allowed: ["linear", "log_linear"])
        let continuous = try config.string("timestep_type", default: "discrete", allowed: ["discrete", "continuous"]) == "continuous"
        let finalSigmaType = try config.string("final_sigmas_type", default: "zero", allowed: ["zero", "sigma_min"])
        let sigmaSpacing = try SigmaSchedules.spacing(config, scheduler: className)

        var baseTimesteps: [Double]
        switch spacing {
        case .linspace:
            baseTimesteps = linspaceDouble(0, Double(train - 1), count: steps).map { Double(Float($0)) }.reversed()
        case .leading:
            baseTimesteps = (0..<steps).reversed().map { Double($0 * (train / steps) + offset) }
        case .trailing:
            baseTimesteps = descendingRange(from: Double(train), step: Double(train) / Double(steps)).map { $0.rounded(.toNearestOrEven) - 1 }
        }
        let trainSigmas = schedule.sigmas
        let logSigmas = trainSigmas.map { Double(Float(log($0))) }
        var stepSigmas: [Double]
        if interpolation == "linear" {
            stepSigmas = baseTimesteps.map { SigmaSchedules.interpolate($0, trainSigmas) }
        } else {
            let logs = NoiseSchedule.linspace(Float(log(trainSigmas[train - 1])), Float(log(trainSigmas[0])), count: steps + 1)
            stepSigmas = logs.map { Double(exp($0)) }
        }
        switch sigmaSpacing {
        case .plain:
            break
        case .karras, .exponential:
            let bounds = try SigmaSchedules.bounds(config, descending: stepSigmas)
            stepSigmas = sigmaSpacing == .karras
                ? SigmaSchedules.karras(sigmaMin: bounds.min, sigmaMax: bounds.max, count: steps)
                : SigmaSchedules.exponential(sigmaMin: bounds.min, sigmaMax: bounds.max, count: steps)
            baseTimesteps = stepSigmas.map { SigmaSchedules.timestep(forSigma: $0, logSigmas: logSigmas) }
        }
        let last = finalSigmaType == "zero" ? 0 : trainSigmas[0]
        sigmas = (stepSigmas + [last]).map { Double(Float($0)) }
        if continuous && prediction == .vPrediction {
            timesteps = sigmas.dropLast().map { Double(Float(0.25 * log($0))) }
        } else {
            timesteps = baseTimesteps.map { Double(Float($0)) }
        }
        let maxSigma = sigmas.max() ?? 0
        initNoiseSigma = spacing == .leading ? Double(Float((maxSigma * maxSigma + 1).squareRoot())) : maxSigma
    }

    public func scaleModelInput(_ sample: [Float], stepIndex: Int) -> [Float] {
        let sigma = sigmas[stepIndex]
        return SampleMath.scale(sample, by: 1 / (sigma * sigma + 1).squareRoot())
    }

    public mutating func step(modelOutput: [Float], stepIndex: Int, sample: [Float]) -> [Float] {
        let sigma = sigmas[stepIndex]
        let original: [Float]
        switch prediction {
        case .sample:
            original = modelOutput
        case .epsilon:
            original = SampleMath.combine(1, sample, -sigma, modelOutput)
        case .vPrediction:
            original = SampleMath.combine(-sigma / (sigma * sigma + 1).squareRoot(), modelOutput, 1 / (sigma * sigma + 1), sample)
        }
        let dt = sigmas[stepIndex + 1] - sigma
        // derivative = (sample - original) / sigma; next = sample + derivative * dt
        return SampleMath.combine(1 + dt / sigma, sample, -dt / sigma, original)
    }
}
