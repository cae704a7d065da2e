/// A denoising scheduler with diffusers' semantics. The pipeline runs the UNet once per entry of
/// `timesteps`, scaling its input with `scaleModelInput` and handing the output to `step` in order.
public protocol DiffusionScheduler: Sendable {
    /// The diffusers class this scheduler reproduces.
    var className: String { get }
    /// The timesteps the UNet sees, in order (PNDM's Runge-Kutta warm-up adds extra ones).
    var timesteps: [Double] { get }
    /// Factor applied to the initial noise.
    var initNoiseSigma: Double { get }
    func scaleModelInput(_ sample: [Float], stepIndex: Int) -> [Float]
    /// Advances from `sample` at `timesteps[stepIndex]` using the model output there.
    mutating func step(modelOutput: [Float], stepIndex: Int, sample: [Float]) -> [Float]
}

/// The schedulers `depot generate --scheduler` offers.
public enum SchedulerKind: String, CaseIterable, Sendable {
    case pndm, ddim, euler, dpmpp

    public var className: String {
        switch self {
        case .pndm: return "PNDMScheduler"
        case .ddim: return "DDIMScheduler"
        case .euler: return "EulerDiscreteScheduler"
        case .dpmpp: return "DPMSolverMultistepScheduler"
        }
    }

    public init?(className: String) {
        guard let kind = Self.allCases.first(where: { $0.className == className }) else { return nil }
        self = kind
    }

    /// `Cls.from_config(checkpoint_config)` then `set_timesteps(steps)`.
    public func makeScheduler(config: SchedulerConfig, steps: Int) throws -> any DiffusionScheduler {
        switch self {
        case .pndm: return try PNDMScheduler(config: config, steps: steps)
        case .ddim: return try DDIMScheduler(config: config, steps: steps)
        case .euler: return try EulerDiscreteScheduler(config: config, steps: steps)
        case .dpmpp: return try DPMSolverMultistepScheduler(config: config, steps: steps)
        }
    }
}

public enum PredictionType: String, Sendable {
    case epsilon
    case sample
    case vPrediction = "v_prediction"

    static func read(_ config: SchedulerConfig, allowed: [PredictionType]) throws -> PredictionType {
        let text = try config.string("prediction_type", default: "epsilon", allowed: allowed.map(\.rawValue))
        return PredictionType(rawValue: text)!
    }
}

enum TimestepSpacing: String {
    case linspace, leading, trailing

    static func read(_ config: SchedulerConfig, default fallback: TimestepSpacing) throws -> TimestepSpacing {
        TimestepSpacing(rawValue: try config.string("timestep_spacing", default: fallback.rawValue,
                                                    allowed: ["linspace", "leading", "trailing"]))!
    }
}

func validateStepCount(_ steps: Int, trainTimesteps: Int) throws {
    guard steps >= 1, steps <= trainTimesteps else {
        throw SchedulerError.invalidStepCount(steps, maximum: trainTimesteps)
    }
}

/// `np.arange(start, 0, -step)` for a positive float step: start, start - step, ... while > 0.
func descendingRange(from start: Double, step: Double) -> [Double] {
    let count = Int((start / step).rounded(.up))
    return (0..<count).map { start + Double($0) * -step }
}

/// `np.linspace(start, end, count)`.
func linspaceDouble(_ start: Double, _ end: Double, count: Int) -> [Double] {
    guard count > 1 else { return count == 1 ? [start] : [] }
    let step = (end - start) / Double(count - 1)
    return (0..<count).map { $0 == count - 1 ? end : start + Double($0) * step }
}
