import Foundation

/// diffusers' DPMSolverMultistepScheduler, deterministic variants: DPM-Solver++ (the default,
/// "2M" with solver_order 2) and DPM-Solver, orders 1 to 3, midpoint or heun second-order updates.
public struct DPMSolverMultistepScheduler: DiffusionScheduler {
    public let className = "DPMSolverMultistepScheduler"
    public let timesteps: [Double]
    public let initNoiseSigma = 1.0

    private let sigmas: [Double]
    private let prediction: PredictionType
    private let solverOrder: Int
    private let dataPrediction: Bool
    private let heun: Bool
    private let lowerOrderFinal: Bool
    private let eulerAtFinal: Bool
    private let finalSigmaIsZero: Bool
    private let thresholding: Bool
    private let thresholdRatio: Double
    private let sampleMaxValue: Double
    private var modelOutputs: [[Float]] = []
    private var lowerOrderCount = 0

    public init(config: SchedulerConfig, steps: Int) throws {
        let schedule = try NoiseSchedule(config: config, acceptsZeroSNRRescale: true).withNonZeroTerminalAlpha()
        let train = schedule.trainTimesteps
        try validateStepCount(steps, trainTimesteps: train)
        prediction = try PredictionType.read(config, allowed: [.epsilon, .sample, .vPrediction])
        solverOrder = try config.int("solver_order", default: 2)
        guard (1...3).contains(solverOrder) else {
            throw SchedulerError.invalidValue(key: "solver_order", value: String(solverOrder), expected: "1, 2 or 3")
        }
        let algorithm = try config.string("algorithm_type", default: "dpmsolver++",
                                          allowed: ["dpmsolver++", "dpmsolver", "sde-dpmsolver++", "sde-dpmsolver", "deis"])
        if algorithm.hasPrefix("sde-") {
            throw SchedulerError.unsupported(scheduler: className, key: "algorithm_type", value: algorithm)
        }
        dataPrediction = algorithm != "dpmsolver"
        let solverType = try config.string("solver_type", default: "midpoint", allowed: ["midpoint", "heun", "logrho", "bh1", "bh2"])
        heun = solverType == "heun"
        lowerOrderFinal = try config.bool("lower_order_final", default: true)
        eulerAtFinal = try config.bool("euler_at_final", default: false)
        let finalSigmaType = try config.string("final_sigmas_type", default: "zero", allowed: ["zero", "sigma_min"])
        finalSigmaIsZero = finalSigmaType == "zero"
        thresholding = try config.bool("thresholding", default: false)
        thresholdRatio = try config.double("dynamic_thresholding_ratio", default: 0.995)
        sampleMaxValue = try config.double("sample_max_value", default: 1.0)
        if let variance = try config.optionalString("variance_type"), variance.hasPrefix("learned") {
            throw SchedulerError.unsupported(scheduler: className, key: "variance_type", value: variance)
        }
        for key in ["use_flow_sigmas"] where try config.bool(key, default: false) {
            throw SchedulerError.unsupported(scheduler: className, key: key, value: "true")
        }
        let useLuLambdas = try config.bool("use_lu_lambdas", default: false)
        let sigmaSpacing = try SigmaSchedules.spacing(config, scheduler: className)
        let spacing = try TimestepSpacing.read(config, default: .linspace)
        let offset = try config.int("steps_offset", default: 0)

        // Timesteps whose lambda = log(alpha) - log(sigma) falls below lambda_min_clipped are cut off the end.
        let lambdaMin = try config.double("lambda_min_clipped", default: -.infinity)
        let lambdas = schedule.alphasCumprod.map { alpha -> Float in
            let a = alpha.squareRoot(), s = (1 - alpha).squareRoot()
            return Foundation.log(a) - Foundation.log(s)
        }
        let clippedCount = lambdas.reversed().firstIndex { Double($0) >= lambdaMin } ?? lambdas.count
        let lastTimestep = train - clippedCount

        var values: [Double]
        switch spacing {
        case .linspace:
            values = linspaceDouble(0, Double(lastTimestep - 1), count: steps + 1).map { $0.rounded(.toNearestOrEven) }.reversed().dropLast()
        case .leading:
            let ratio = lastTimestep / (steps + 1)
            values = (0...steps).reversed().dropLast().map { Double($0 * ratio + offset) }
        case .trailing:
            values = descendingRange(from: Double(lastTimestep), step: Double(train) / Double(steps)).map { $0.rounded(.toNearestOrEven) - 1 }
        }
        let trainSigmas = schedule.sigmas
        let logSigmas = trainSigmas.map { Foundation.log($0) }
        var stepSigmas: [Double]
        let descending = Array(trainSigmas.reversed())
        if sigmaSpacing == .karras || sigmaSpacing == .exponential {
            let bounds = try SigmaSchedules.bounds(config, descending: descending)
            stepSigmas = sigmaSpacing == .karras
                ? SigmaSchedules.karras(sigmaMin: bounds.min, sigmaMax: bounds.max, count: steps)
                : SigmaSchedules.exponential(sigmaMin: bounds.min, sigmaMax: bounds.max, count: steps)
            let betaSchedule = try config.optionalString("beta_schedule")
            let rounds = sigmaSpacing == .karras && betaSchedule != "squaredcos_cap_v2"
            values = stepSigmas.map {
                let t = SigmaSchedules.timestep(forSigma: $0, logSigmas: logSigmas)
                return rounds ? t.rounded(.toNearestOrEven) : t.rounded(.towardZero)
            }
        } else if useLuLambdas {
            let lambdaMax = logSigmas[logSigmas.count - 1], lambdaMinValue = logSigmas[0]
            stepSigmas = linspaceDouble(lambdaMax, lambdaMinValue, count: steps).map { Foundation.exp($0) }
            values = stepSigmas.map { SigmaSchedules.timestep(forSigma: $0, logSigmas: logSigmas).rounded(.toNearestOrEven) }
        } else {
            stepSigmas = values.map { SigmaSchedules.interpolate($0, trainSigmas) }
        }
        if let bad = values.first(where: { $0 < 0 || $0 >= Double(train) }) {
            throw SchedulerError.timestepOutOfRange(scheduler: className, timestep: Int(bad), trainTimesteps: train)
        }
        let last = finalSigmaIsZero ? 0 : trainSigmas[0]
        sigmas = (stepSigmas + [last]).map { Double(Float($0)) }
        timesteps = values
    }

    public func scaleModelInput(_ sample: [Float], stepIndex: Int) -> [Float] { sample }

    public mutating func step(modelOutput: [Float], stepIndex: Int, sample: [Float]) -> [Float] {
        let count = timesteps.count
        let finalLowerOrder = stepIndex == count - 1 && (eulerAtFinal || (lowerOrderFinal && count < 15) || finalSigmaIsZero)
        let secondLowerOrder = stepIndex == count - 2 && lowerOrderFinal && count < 15
        let converted = convert(modelOutput, sample: sample, stepIndex: stepIndex)
        modelOutputs.append(converted)
        if modelOutputs.count > solverOrder { modelOutputs.removeFirst() }

        let previous: [Float]
        if solverOrder == 1 || lowerOrderCount < 1 || finalLowerOrder {
            previous = firstOrderUpdate(sample: sample, stepIndex: stepIndex)
        } else if solverOrder == 2 || lowerOrderCount < 2 || secondLowerOrder {
            previous = secondOrderUpdate(sample: sample, stepIndex: stepIndex)
        } else {
            previous = thirdOrderUpdate(sample: sample, stepIndex: stepIndex)
        }
        if lowerOrderCount < solverOrder { lowerOrderCount += 1 }
        return previous
    }

    /// alpha_t, sigma_t and lambda_t = log(alpha_t / sigma_t) of a sigma.
    private func coordinates(_ sigma: Double) -> (alpha: Double, sigma: Double, lambda: Double) {
        let alpha = Double(Float(1 / (sigma * sigma + 1).squareRoot()))
        let sigmaT = Double(Float(sigma * alpha))
        return (alpha, sigmaT, Foundation.log(alpha) - Foundation.log(sigmaT))
    }

    /// The model output as a data prediction (DPM-Solver++) or a noise prediction (DPM-Solver).
    private func convert(_ output: [Float], sample: [Float], stepIndex: Int) -> [Float] {
        let c = coordinates(sigmas[stepIndex])
        if dataPrediction {
            var x0: [Float]
            switch prediction {
            case .epsilon: x0 = SampleMath.combine(1 / c.alpha, sample, -c.sigma / c.alpha, output)
            case .sample: x0 = output
            case .vPrediction: x0 = SampleMath.combine(c.alpha, sample, -c.sigma, output)
            }
            if thresholding { x0 = SampleMath.dynamicThreshold(x0, ratio: thresholdRatio, maxValue: sampleMaxValue) }
            return x0
        }
        var epsilon: [Float]
        switch prediction {
        case .epsilon: epsilon = output
        case .sample: epsilon = SampleMath.combine(1 / c.sigma, sample, -c.alpha / c.sigma, output)
        case .vPrediction: epsilon = SampleMath.combine(c.alpha, output, c.sigma, sample)
        }
        if thresholding {
            let x0 = SampleMath.dynamicThreshold(SampleMath.combine(1 / c.alpha, sample, -c.sigma / c.alpha, epsilon),
                                                 ratio: thresholdRatio, maxValue: sampleMaxValue)
            epsilon = SampleMath.combine(1 / c.sigma, sample, -c.alpha / c.sigma, x0)
        }
        return epsilon
    }

    private func firstOrderUpdate(sample: [Float], stepIndex: Int) -> [Float] {
        let t = coordinates(sigmas[stepIndex + 1]), s = coordinates(sigmas[stepIndex])
        let h = t.lambda - s.lambda
        let m0 = modelOutputs[modelOutputs.count - 1]
        if dataPrediction {
            return SampleMath.combine(t.sigma / s.sigma, sample, -t.alpha * (Foundation.exp(-h) - 1), m0)
        }
        return SampleMath.combine(t.alpha / s.alpha, sample, -t.sigma * (Foundation.exp(h) - 1), m0)
    }

    private func secondOrderUpdate(sample: [Float], stepIndex: Int) -> [Float] {
        let t = coordinates(sigmas[stepIndex + 1]), s0 = coordinates(sigmas[stepIndex]), s1 = coordinates(sigmas[stepIndex - 1])
        let m0 = modelOutputs[modelOutputs.count - 1], m1 = modelOutputs[modelOutputs.count - 2]
        let h = t.lambda - s0.lambda, h0 = s0.lambda - s1.lambda
        let r0 = h0 / h
        let d1 = SampleMath.combine(1 / r0, m0, -1 / r0, m1)
        let base: [Float]
        let d1Coefficient: Double
        if dataPrediction {
            base = SampleMath.combine(t.sigma / s0.sigma, sample, -t.alpha * (Foundation.exp(-h) - 1), m0)
            d1Coefficient = heun ? t.alpha * ((Foundation.exp(-h) - 1) / h + 1) : -0.5 * t.alpha * (Foundation.exp(-h) - 1)
        } else {
            base = SampleMath.combine(t.alpha / s0.alpha, sample, -t.sigma * (Foundation.exp(h) - 1), m0)
            d1Coefficient = heun ? -t.sigma * ((Foundation.exp(h) - 1) / h - 1) : -0.5 * t.sigma * (Foundation.exp(h) - 1)
        }
        return SampleMath.combine(1, base, d1Coefficient, d1)
    }

    private func thirdOrderUpdate(sample: [Float], stepIndex: Int) -> [Float] {
        let t = coordinates(sigmas[stepIndex + 1]), s0 = coordinates(sigmas[stepIndex])
        let s1 = coordinates(sigmas[stepIndex - 1]), s2 = coordinates(sigmas[stepIndex - 2])
        let n = modelOutputs.count
        let m0 = modelOutputs[n - 1], m1 = modelOutputs[n - 2], m2 = modelOutputs[n - 3]
        let h = t.lambda - s0.lambda, h0 = s0.lambda - s1.lambda, h1 = s1.lambda - s2.lambda
        let r0 = h0 / h, r1 = h1 / h
        let d10 = SampleMath.combine(1 / r0, m0, -1 / r0, m1)
        let d11 = SampleMath.combine(1 / r1, m1, -1 / r1, m2)
        let d1 = SampleMath.combine(1 + r0 / (r0 + r1), d10, -r0 / (r0 + r1), d11)
        let d2 = SampleMath.combine(1 / (r0 + r1), d10, -1 / (r0 + r1), d11)
        if dataPrediction {
            let e = Foundation.exp(-h) - 1
            let base = SampleMath.combine(t.sigma / s0.sigma, sample, -t.alpha * e, m0)
            let withD1 = SampleMath.combine(1, base, t.alpha * (e / h + 1), d1)
            return SampleMath.combine(1, withD1, -t.alpha * ((e + h) / (h * h) - 0.5), d2)
        }
        let e = Foundation.exp(h) - 1
        let base = SampleMath.combine(t.alpha / s0.alpha, sample, -t.sigma * e, m0)
        let withD1 = SampleMath.combine(1, base, -t.sigma * (e / h - 1), d1)
        return SampleMath.combine(1, withD1, -t.sigma * ((e - h) / (h * h) - 0.5), d2)
    }
}
