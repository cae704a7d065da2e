import Foundation

/// The body of `POST /v1/smoke`: what `depot smoke NAME [--output PATH] [--steps N]` takes, with
/// paths absolute on the daemon's machine.
public struct SmokeBody: Sendable, Codable, Equatable {
    /// An installed model (a `depot list` name, optionally @COMMIT) or an absolute model folder.
    public var name: String
    /// Where the PNG goes; nil for `$DEPOT_HOME/smoke/smoke-<name>.png`.
    public var output: String?
    public var steps: Int?

    public init(name: String, output: String? = nil, steps: Int? = nil) {
        self.name = name
        self.output = output
        self.steps = steps
    }

    /// The PNG path, refused when relative: the daemon's working folder means nothing to the client.
    func outputURL() throws -> URL? {
        guard let output else { return nil }
        guard output.hasPrefix("/") else {
            throw APIError.badRequest("output must be an absolute path on the daemon's machine, not \"\(output)\"")
        }
        return URL(fileURLWithPath: output)
    }
}
