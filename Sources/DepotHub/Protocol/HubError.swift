/// Failures of Hub requests and downloads, each saying what the user can do about it.
public enum HubError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 404/401 with `X-Error-Code: RepoNotFound`, or 401 on a repository URL.
    case repoNotFound(repo: String, url: String)
    /// `X-Error-Code: GatedRepo`: the user must accept the repository's conditions.
    case gatedRepo(repo: String, url: String)
    case revisionNotFound(repo: String, revision: String, url: String)
    case entryNotFound(repo: String, revision: String, path: String, url: String)
    /// 401/403 without a more precise error code.
    case unauthorized(url: String, tokenSent: Bool)
    /// Any other HTTP status that retries could not get past.
    case httpStatus(status: Int, url: String, message: String)
    /// Connection-level failure that retries could not get past (refused, reset, short body, stall).
    case transport(url: String, message: String)
    case hashMismatch(path: String, algorithm: String, expected: String, actual: String)
    case sizeMismatch(path: String, expected: Int64, actual: Int64)
    case invalidResponse(url: String, reason: String)
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case let .repoNotFound(repo, url):
            return "Repository '\(repo)' was not found, or you have no access to it (\(url)). "
                + "Check the repo id; for a private or gated repository set HF_TOKEN (or write $HF_HOME/token)."
        case let .gatedRepo(repo, url):
            return "Repository '\(repo)' is gated (\(url)): accept its conditions on the Hub with your account, "
                + "then set HF_TOKEN to a token of that account."
        case let .revisionNotFound(repo, revision, url):
            return "Revision '\(revision)' does not exist in '\(repo)' (\(url)). Check the branch, tag or commit."
        case let .entryNotFound(repo, revision, path, url):
            return "File '\(path)' does not exist in '\(repo)' at revision '\(revision)' (\(url))."
        case let .unauthorized(url, tokenSent):
            return tokenSent
                ? "The Hub refused the token for \(url). Check that HF_TOKEN (or $HF_HOME/token) is valid and has read access."
                : "The Hub requires authentication for \(url). Set HF_TOKEN (or write a token to $HF_HOME/token)."
        case let .httpStatus(status, url, message):
            return "HTTP \(status) from \(url)\(message.isEmpty ? "" : ": \(message)"). Retry later or check HF_ENDPOINT."
        case let .transport(url, message):
            return "Could not download \(url): \(message). Check the network and HF_ENDPOINT; running again resumes."
        case let .hashMismatch(path, algorithm, expected, actual):
            return "'\(path)' failed verification twice: expected \(algorithm) \(expected), got \(actual). "
                + "The server sent corrupt data; nothing was installed."
        case let .sizeMismatch(path, expected, actual):
            return "'\(path)' has \(actual) bytes where the Hub announced \(expected); nothing was installed."
        case let .invalidResponse(url, reason):
            return "Unexpected answer from \(url): \(reason). Check HF_ENDPOINT points at a Hugging Face Hub."
        case let .fileSystem(path, reason):
            return "Cannot write \(path): \(reason). Check free space and permissions."
        }
    }
}
