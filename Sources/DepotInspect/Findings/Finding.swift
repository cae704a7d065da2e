/// One problem a structural check found: which file, which tensor/op/key, what was expected and what was found.
public struct Finding: Sendable, Equatable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        /// The model is broken or inconsistent; `verify --deep` fails.
        case error
        /// Unusual or not checkable, but not proof of damage.
        case warning
    }

    public var severity: Severity
    /// Path relative to the model's root (or the file itself when a single file was checked).
    public var file: String
    /// The tensor, op, config key or component concerned, when there is one.
    public var subject: String?
    public var expected: String?
    public var found: String?
    /// What is wrong and what to do, in one sentence.
    public var message: String

    public init(_ severity: Severity = .error, file: String, subject: String? = nil, expected: String? = nil,
                found: String? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.subject = subject
        self.expected = expected
        self.found = found
        self.message = message
    }

    public var description: String {
        var text = file
        if let subject { text += " [\(subject)]" }
        text += ": \(message)"
        if let expected { text += "; expected \(expected)" }
        if let found { text += ", found \(found)" }
        return text
    }
}

extension Array where Element == Finding {
    public var errors: [Finding] { filter { $0.severity == .error } }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
