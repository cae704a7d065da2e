/// Registry problems: a bad registry file, or a model name that does not resolve.
public enum RegistryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case malformed(file: String, reason: String)
    /// An entry with a missing or wrong field; `name` is the entry, `reason` the problem.
    case invalidEntry(file: String, name: String, reason: String)
    case unknownName(String, suggestions: [String])
    case unknownVariant(name: String, variant: String, available: [String])
    case noVariants(name: String, variant: String)
    case invalidReference(String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "Cannot read the registry \(file): \(reason)."
        case .malformed(let file, let reason):
            return "The registry \(file) is not valid: \(reason). See registry/README.md for the format."
        case .invalidEntry(let file, let name, let reason):
            return "In the registry \(file), entry '\(name)': \(reason). See registry/README.md for the format."
        case .unknownName(let name, let suggestions):
            let hint = suggestions.isEmpty ? "" : " Did you mean \(suggestions.joined(separator: ", "))?"
            return "Unknown model '\(name)'.\(hint) Any Hub repo works as org/name; "
                + "to give it a short name, add an entry to $DEPOT_HOME/registry.json."
        case .unknownVariant(let name, let variant, let available):
            return "'\(name)' has no variant '\(variant)'; choose one of: "
                + available.map { "\(name)/\($0)" }.joined(separator: ", ") + "."
        case .noVariants(let name, let variant):
            return "'\(name)' has no variants, so '\(name)/\(variant)' means nothing; use '\(name)'."
        case .invalidReference(let text, let reason):
            return "'\(text)' is not a model reference: \(reason). Use NAME, NAME/VARIANT, org/repo, each optionally @REVISION."
        }
    }
}
