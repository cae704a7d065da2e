/// One result of a resource-folder check: a mismatch to fix, or a relation that was checked and holds.
public struct ConsistencyFinding: Sendable, Equatable, CustomStringConvertible {
    public enum Outcome: String, Sendable {
        case holds
        case problem
    }

    public var outcome: Outcome
    /// A stable identifier of the check ("text-width", "latent-size", "chunks", "controlnet", "attention", "architecture").
    public var check: String
    public var message: String

    public init(_ outcome: Outcome, check: String, _ message: String) {
        self.outcome = outcome
        self.check = check
        self.message = message
    }

    public var description: String { "\(outcome == .holds ? "ok" : "problem"): \(message)" }
}
