/// The `X-Error-Code` values huggingface_hub turns into its typed errors
/// (RepositoryNotFoundError, RevisionNotFoundError, EntryNotFoundError).
public enum HubErrorCode: String, Sendable, CaseIterable {
    case repoNotFound = "RepoNotFound"
    case revisionNotFound = "RevisionNotFound"
    case entryNotFound = "EntryNotFound"

    public static let headerName = "X-Error-Code"
    public static let messageHeaderName = "X-Error-Message"
}
