import Foundation

/// Sigma spacings shared by the Euler and DPM-Solver schedulers.
enum SigmaSchedules {
    /// `np.interp(x, arange(n), values)`: linear interpolation, clamped at both ends.
    static func interpolate(_ x: Double, _ values: [Double]) -> Double {
        if x <= 0 { return values[0] }
        if x >= Double(values.count - 1) { return values[values.count - 1] }
        let low = Int(x.rounded(.down))
        let fraction = x - Double(low)
        return values[low] + fraction * (values[low + 1] - values[low])
    }

    /// Karras et al. (2022): sigmas evenly spaced in sigma^(1/7) from sigmaMax down to sigmaMin.
    static func karras(sigmaMin: Double, sigmaMax: Double, count: Int) -> [Double] {
        let rho = 7.0
        let minInverse = pow(sigmaMin, 1 / rho), maxInverse = pow(sigmaMax, 1 / rho)
        return linspaceDouble(0, 1, count: count).map { pow(maxInverse + $0 * (minInverse - maxInverse), rho) }
    }

    /// Sigmas evenly spaced in log sigma from sigmaMax down to sigmaMin.
    static func exponential(sigmaMin: Double, sigmaMax: Double, count: Int) -> [Double] {
        linspaceDouble(log(sigmaMax), log(sigmaMin), count: count).map { exp($0) }
    }

    /// The (fractional) training timestep whose log sigma matches, interpolating between neighbours.
    static func timestep(forSigma sigma: Double, logSigmas: [Double]) -> Double {
        let logSigma = log(max(sigma, 1e-10))
        var low = 0
        for index in logSigmas.indices where logSigma - logSigmas[index] >= 0 { low = index }
        low = min(low, logSigmas.count - 2)
        let lowValue = logSigmas[low], highValue = logSigmas[low + 1]
        let weight = min(max((lowValue - logSigma) / (lowValue - highValue), 0), 1)
        return (1 - weight) * Double(low) + weight * Double(low + 1)
    }

    /// The configured sigma_min / sigma_max, else the ends of the given descending sigmas.
    static func bounds(_ config: SchedulerConfig, descending sigmas: [Double]) throws -> (min: Double, max: Double) {
        let configuredMin = try config.optionalDouble("sigma_min")
        let configuredMax = try config.optionalDouble("sigma_max")
        return (configuredMin ?? sigmas[sigmas.count - 1], configuredMax ?? sigmas[0])
    }

    /// Which of the mutually exclusive sigma spacings the config asks for.
    enum Spacing { case plain, karras, exponential }

    static func spacing(_ config: SchedulerConfig, scheduler: String) throws -> Spacing {
        let karras = try config.bool("use_karras_sigmas", default: false)
        let exponential = try config.bool("use_exponential_sigmas", default: false)
        if try config.bool("use_beta_sigmas", default: false) {
            throw SchedulerError.unsupported(scheduler: scheduler, key: "use_beta_sigmas", value: "true")
        }
        if karras && exponential {
            throw SchedulerError.invalidValue(key: "use_karras_sigmas", value: "true", expected: "false when use_exponential_sigmas is true (only one sigma spacing at a time)")
        }
        return karras ? .karras : exponential ? .exponential : .plain
    }
}
