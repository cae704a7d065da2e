import DepotFormats

/// A config.json or model_index.json that cannot be used to derive what a model holds.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case wrongType(file: String, key: String, expected: String, found: String)
    case invalid(file: String, key: String, reason: String)
    /// A value depot's checks do not model: the weights are then checked for format only.
    case unsupported(file: String, key: String, value: String)

    public var file: String {
        switch self {
        case let .unreadable(file, _), let .wrongType(file, _, _, _), let .invalid(file, _, _), let .unsupported(file, _, _): file
        }
    }

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            "\(file) cannot be read as a JSON object (\(reason)); pull the model again or repair the file"
        case let .wrongType(file, key, expected, found):
            "\(file): '\(key)' should be \(expected) but is \(found); the config is damaged or from an incompatible library"
        case let .invalid(file, key, reason):
            "\(file): '\(key)' \(reason)"
        case let .unsupported(file, key, value):
            "\(file): '\(key)' = \(value) is not a configuration depot knows how to check; its tensors were checked for format only"
        }
    }
}

extension ConfigError: ConfigReadingError {
    public static func configUnreadable(file: String, missing: Bool, reason: String) -> ConfigError { .unreadable(file: file, reason: reason) }
    public static func configWrongType(file: String, key: String, expected: String, found: String) -> ConfigError {
        .wrongType(file: file, key: key, expected: expected, found: found)
    }
    public static func configInvalid(file: String, key: String, reason: String) -> ConfigError { .invalid(file: file, key: key, reason: reason) }
    public static func configUnsupported(file: String, key: String, value: String) -> ConfigError { .unsupported(file: file, key: key, value: value) }
}
