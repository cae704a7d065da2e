/// The outcome of `depot bundle --check DIR` (and of the check every bundle passes before it is
/// renamed into place): the `--json` shape.
public struct BundleCheckReport: Sendable, Codable {
    public var folder: String
    public var ok: Bool
    /// The pipeline the folder is for, when its models say so.
    public var kind: PipelineKind?
    /// SDXL: whether a refiner UNet is present (or the folder is refiner-only).
    public var refiner: Bool
    public var attention: AttentionVariant?
    public var models: [String]
    /// The command that runs Apple's CLI on the folder (nil when it is not usable).
    public var command: String?
    public var problems: [BundleProblem]

    public var errors: [BundleProblem] { problems.filter { $0.severity == .error } }
}

/// One thing wrong with a resource folder, in words a user acts on.
public struct BundleProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable { case error, warning }

    public var severity: Severity
    /// The file or folder (relative to the checked folder) the problem is about, if one.
    public var file: String?
    public var message: String

    public static func error(_ file: String?, _ message: String) -> BundleProblem { BundleProblem(severity: .error, file: file, message: message) }
    public static func warning(_ file: String?, _ message: String) -> BundleProblem { BundleProblem(severity: .warning, file: file, message: message) }

    public var description: String { "\(severity.rawValue): \(message)" }
}

/// A file of the folder could not be read while checking it.
public enum BundleCheckFailure: Error, Sendable, CustomStringConvertible {
    case unreadable(String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
