/// A settings problem, naming the file (or environment variable), the key and what is wrong.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but cannot be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON.
    case malformed(file: String, reason: String)
    /// The file is JSON but not an object of settings.
    case notAnObject(file: String)
    /// A key depot does not know (often a typo).
    case unknownKey(file: String, key: String, known: [String])
    /// A key whose value has the wrong JSON type.
    case wrongType(file: String, key: String, expected: String)
    /// A value of the right type that is out of range or malformed; `source` is the file or the variable.
    case invalidValue(source: String, key: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "Cannot read the settings file \(file): \(reason). Fix its permissions or set DEPOT_CONFIG to another file."
        case .malformed(let file, let reason):
            return "The settings file \(file) is not valid JSON: \(reason). See config/README.md for the format."
        case .notAnObject(let file):
            return "The settings file \(file) must hold one JSON object of settings ({\"key\": value, ...})."
        case .unknownKey(let file, let key, let known):
            return "The settings file \(file) has an unknown key '\(key)'. Known keys: \(known.joined(separator: ", "))."
        case .wrongType(let file, let key, let expected):
            return "In the settings file \(file), '\(key)' must be \(expected)."
        case .invalidValue(let source, let key, let value, let reason):
            return "In \(source), '\(key)' = '\(value)' is not valid: \(reason)."
        }
    }
}
