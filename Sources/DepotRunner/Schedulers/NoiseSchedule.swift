import Foundation

/// The training noise schedule every scheduler starts from: betas (linear, scaled_linear,
/// squaredcos_cap_v2 or trained_betas), optionally rescaled to zero terminal SNR, and the
/// cumulative products of the alphas. Kept in float32 with torch's float32 linspace and cumprod,
/// because the references were made that way.
struct NoiseSchedule: Sendable {
    let trainTimesteps: Int
    let alphasCumprod: [Float]

    init(config: SchedulerConfig, acceptsZeroSNRRescale: Bool) throws {
        trainTimesteps = try config.int("num_train_timesteps", default: 1000)
        guard trainTimesteps >= 2 else {
            throw SchedulerError.invalidValue(key: "num_train_timesteps", value: String(trainTimesteps), expected: "at least 2")
        }
        let betaStart = try config.double("beta_start", default: 0.0001)
        let betaEnd = try config.double("beta_end", default: 0.02)
        var betas: [Float]
        if let trained = try config.optionalDoubles("trained_betas") {
            betas = trained.map { Float($0) }
        } else {
            let schedule = try config.string("beta_schedule", default: "linear", allowed: ["linear", "scaled_linear", "squaredcos_cap_v2"])
            switch schedule {
            case "linear":
                betas = Self.linspace(Float(betaStart), Float(betaEnd), count: trainTimesteps)
            case "scaled_linear":
                betas = Self.linspace(Float(betaStart.squareRoot()), Float(betaEnd.squareRoot()), count: trainTimesteps).map { $0 * $0 }
            default:
                betas = Self.squaredCosineBetas(count: trainTimesteps)
            }
        }
        let rescale = acceptsZeroSNRRescale ? try config.bool("rescale_betas_zero_snr", default: false) : false
        if rescale { betas = Self.rescaledToZeroTerminalSNR(betas) }
        var product: Float = 1
        alphasCumprod = betas.map { beta in
            product *= 1 - beta
            return product
        }
    }

    private init(trainTimesteps: Int, alphasCumprod: [Float]) {
        self.trainTimesteps = trainTimesteps
        self.alphasCumprod = alphasCumprod
    }

    /// Euler and DPM-Solver replace a zero last alpha product (after the zero-SNR rescale) by 2^-24.
    func withNonZeroTerminalAlpha() -> NoiseSchedule {
        var values = alphasCumprod
        if let last = values.indices.last, values[last] == 0 { values[last] = 0x1p-24 }
        return NoiseSchedule(trainTimesteps: trainTimesteps, alphasCumprod: values)
    }

    /// sigma = sqrt((1 - alpha_bar) / alpha_bar) for every training timestep.
    var sigmas: [Double] {
        alphasCumprod.map { Double(Float(((1 - $0) / $0)).squareRoot()) }
    }

    /// torch.linspace in float32: from the start for the first half, from the end for the second.
    static func linspace(_ start: Float, _ end: Float, count: Int) -> [Float] {
        guard count > 1 else { return [start] }
        let step = (end - start) / Float(count - 1)
        let halfway = count / 2
        return (0..<count).map { index in
            index < halfway ? start + step * Float(index) : end - step * Float(count - index - 1)
        }
    }

    private static func squaredCosineBetas(count: Int, maxBeta: Double = 0.999) -> [Float] {
        func alphaBar(_ t: Double) -> Double {
            let value = cos((t + 0.008) / 1.008 * Double.pi / 2)
            return value * value
        }
        return (0..<count).map { index in
            let t1 = Double(index) / Double(count)
            let t2 = Double(index + 1) / Double(count)
            return Float(min(1 - alphaBar(t2) / alphaBar(t1), maxBeta))
        }
    }

    private static func rescaledToZeroTerminalSNR(_ betas: [Float]) -> [Float] {
        var product: Float = 1
        var roots = betas.map { beta -> Float in
            product *= 1 - beta
            return product.squareRoot()
        }
        let first = roots[0], last = roots[roots.count - 1]
        for index in roots.indices {
            roots[index] = (roots[index] - last) * (first / (first - last))
        }
        let alphaBars = roots.map { $0 * $0 }
        var rescaled = [1 - alphaBars[0]]
        for index in 1..<alphaBars.count {
            rescaled.append(1 - alphaBars[index] / alphaBars[index - 1])
        }
        return rescaled
    }
}

/// numpy's round (halves to even) as an integer.
func roundHalfEven(_ value: Double) -> Int {
    Int(value.rounded(.toNearestOrEven))
}
