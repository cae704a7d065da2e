/// Why the mirror cannot serve a request: each maps to the Hub's 404 and `X-Error-Code`, so
/// huggingface_hub raises its own typed error (RepositoryNotFoundError, ...).
public enum MirrorError: Error, Sendable, Equatable, CustomStringConvertible {
    case repoNotFound(repo: String)
    case revisionNotFound(repo: String, revision: String)
    /// `commit` is sent as `X-Repo-Commit`, which huggingface_hub uses to remember the file is absent.
    case entryNotFound(repo: String, commit: String, path: String)

    public var code: HubErrorCode {
        switch self {
        case .repoNotFound: .repoNotFound
        case .revisionNotFound: .revisionNotFound
        case .entryNotFound: .entryNotFound
        }
    }

    public var description: String {
        switch self {
        case .repoNotFound(let repo):
            return "\(repo) is not installed on this depot: `depot pull \(repo)` on the serving machine installs it"
        case .revisionNotFound(let repo, let revision):
            return "\(repo) has no installed version at \(revision): ask for a commit, a ref the cache has, or main (the newest)"
        case .entryNotFound(let repo, let commit, let path):
            return "\(path) is not part of the installed version \(repo)@\(commit.prefix(10))"
        }
    }
}
