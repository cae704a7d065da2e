import Foundation

/// Why a scheduler could not be built or run.
public enum SchedulerError: Error, CustomStringConvertible, LocalizedError {
    case unreadableConfig(URL, detail: String)
    case invalidValue(key: String, value: String, expected: String)
    case unsupported(scheduler: String, key: String, value: String)
    case unknownScheduler(String)
    case invalidStepCount(Int, maximum: Int)
    case timestepOutOfRange(scheduler: String, timestep: Int, trainTimesteps: Int)

    public var description: String {
        switch self {
        case .unreadableConfig(let url, let detail):
            return "cannot read scheduler config \(url.path): \(detail); the model folder needs scheduler/scheduler_config.json"
        case .invalidValue(let key, let value, let expected):
            return "scheduler config key \"\(key)\" has value \(value); expected \(expected)"
        case .unsupported(let scheduler, let key, let value):
            return "\(scheduler): \"\(key)\" = \(value) is not supported by depot's runner; choose another --scheduler or change the config"
        case .unknownScheduler(let name):
            return "unknown scheduler \"\(name)\"; use one of \(SchedulerKind.allCases.map(\.rawValue).joined(separator: ", "))"
        case .invalidStepCount(let steps, let maximum):
            return "\(steps) inference steps is not possible; use 1...\(maximum)"
        case .timestepOutOfRange(let scheduler, let timestep, let trainTimesteps):
            return "\(scheduler) would use timestep \(timestep), outside the \(trainTimesteps) training timesteps; use fewer steps or another timestep_spacing"
        }
    }

    public var errorDescription: String? { description }
}
