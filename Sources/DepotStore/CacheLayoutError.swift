/// Errors of the HF cache layout that are not a failed syscall: names that would escape the cache.
public enum CacheLayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A repo id that is not `name` or `org/name` made of safe characters.
    case invalidRepoID(String)
    /// A file path inside a repo that is absolute, empty, or climbs with `..`.
    case invalidRepoPath(repo: String, path: String)
    /// An etag, commit or revision that would not be a safe file name in the cache.
    case invalidName(kind: String, value: String)
    /// A ref file that does not hold a commit hash.
    case corruptRef(path: String, contents: String)

    public var description: String {
        switch self {
        case .invalidRepoID(let id):
            return "'\(id)' is not a repo id: use 'org/name' (letters, digits, '-', '_', '.')."
        case .invalidRepoPath(let repo, let path):
            return "The file path '\(path)' in \(repo) is not a safe relative path; depot refuses to write it."
        case .invalidName(let kind, let value):
            return "'\(value)' is not a valid \(kind) for the cache."
        case .corruptRef(let path, let contents):
            return "The ref file \(path) holds '\(contents.prefix(80))', not a commit hash; delete it and pull again."
        }
    }
}
