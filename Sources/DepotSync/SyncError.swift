/// Why a track, pin or untrack request was refused, and what to do instead.
public enum SyncError: Error, Sendable, Equatable, CustomStringConvertible {
    case notTracked(name: String, tracked: [String])
    case invalidKeep(Int)
    case commitRevision(name: String, revision: String)
    case pinNeedsCommit(reference: String)
    case ambiguousPin(reference: String, candidates: [String])
    case removingPinned(reference: String, pinned: [String])

    public var description: String {
        switch self {
        case .notTracked(let name, let tracked):
            let list = tracked.isEmpty ? "nothing is tracked" : "tracked: " + tracked.joined(separator: ", ")
            return "\(name) is not tracked (\(list)); `depot track \(name)` starts tracking it"
        case .invalidKeep(let keep):
            return "--keep \(keep) would keep no version: give 1 or more"
        case .commitRevision(let name, let revision):
            return "\(name)@\(revision) names a commit, which never changes: track a branch (e.g. \(name) or \(name)@main), "
                + "or `depot pin \(name)@\(revision)` to keep that version"
        case .pinNeedsCommit(let reference):
            return "`depot pin \(reference)` needs a version: write NAME@COMMIT (a commit prefix from `depot list` is enough)"
        case .ambiguousPin(let reference, let candidates):
            return "\(reference) matches several installed versions (\(candidates.joined(separator: ", "))): give more of the commit"
        case .removingPinned(let reference, let pinned):
            let unpin = pinned.map { "`depot pin --remove \($0)`" }.joined(separator: ", ")
            return "\(pinned.joined(separator: ", ")) \(pinned.count == 1 ? "is" : "are") pinned, so `depot rm \(reference)` removes nothing: "
                + "unpin first with \(unpin), or pass --force to remove pinned versions too"
        }
    }
}
