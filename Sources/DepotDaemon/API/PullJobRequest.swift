/// The body of `POST /v1/pulls`: what `depot pull NAME[@REV] [--include G] [--exclude G]` asks for.
public struct PullJobRequest: Sendable, Codable, Equatable {
    /// A registry name or repo id, optionally with `@REV`.
    public var name: String
    /// A branch, tag or commit; overrides an `@REV` in `name`.
    public var revision: String?
    public var include: [String]?
    public var exclude: [String]?

    public init(name: String, revision: String? = nil, include: [String]? = nil, exclude: [String]? = nil) {
        self.name = name
        self.revision = revision
        self.include = include
        self.exclude = exclude
    }

    /// `NAME@REV` as the registry resolves it.
    var reference: String {
        guard let revision, !revision.isEmpty else { return name }
        let bare = name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? name
        return "\(bare)@\(revision)"
    }
}
