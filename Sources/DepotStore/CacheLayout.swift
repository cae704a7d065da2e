/// The Hugging Face cache layout under `$HF_HUB_CACHE`, shared with huggingface_hub.
///
///     {root}/models--{org}--{name}/blobs/{etag}                 file contents, named by etag
///     {root}/models--{org}--{name}/blobs/{etag}.incomplete      depot's partial download
///     {root}/models--{org}--{name}/snapshots/{commit}/{path}    relative symlink to ../../blobs/{etag}
///     {root}/models--{org}--{name}/refs/{revision}              the commit, no trailing newline
///     {root}/.locks/models--{org}--{name}/{etag}.lock           flock held while a blob is written
///
/// Python's `scan_cache_dir()` and `hf_hub_download(local_files_only=True)` accept what this type
/// writes, and depot reads what they wrote. All paths are absolute `String`s. Every name coming
/// from the network (repo, etag, commit, revision, file path) is validated so it cannot escape
/// the cache folder.
public struct CacheLayout: Sendable, Equatable {
    /// The hub cache folder (`$HF_HUB_CACHE`, default `$HF_HOME/hub`).
    public let root: String

    public init(root: String) {
        self.root = root
    }

    /// Suffix of depot's partial download next to the blob it becomes.
    public static let partialSuffix = ".incomplete"

    // MARK: Names

    /// The folder name of a model repo: `models--{org}--{name}` (or `models--{name}`).
    public static func folderName(repo: String) throws -> String {
        try validateRepoID(repo)
        return "models--" + repo.replacingOccurrences(of: "/", with: "--")
    }

    /// The repo id of a cache folder name, or nil when the folder is not a model repo.
    public static func repoID(folderName: String) -> String? {
        let prefix = "models--"
        guard folderName.hasPrefix(prefix) else { return nil }
        let id = folderName.dropFirst(prefix.count).replacingOccurrences(of: "--", with: "/")
        return (try? validateRepoID(id)) == nil ? nil : id
    }

    /// The symlink target that leads from `snapshots/{commit}/{path}` to `blobs/{etag}`:
    /// `../../blobs/{etag}` plus one `../` for every folder inside `path`.
    public static func blobLinkTarget(repoPath path: String, etag: String) -> String {
        let depth = path.split(separator: "/").count - 1
        return String(repeating: "../", count: 2 + depth) + "blobs/" + etag
    }

    // MARK: Paths

    /// `{root}/models--{org}--{name}`.
    public func repoFolder(repo: String) throws -> String {
        PathString.join(root, try Self.folderName(repo: repo))
    }

    /// `{repo folder}/blobs`.
    public func blobsFolder(repo: String) throws -> String {
        PathString.join(try repoFolder(repo: repo), "blobs")
    }

    /// `{repo folder}/blobs/{etag}`: where a verified file's bytes live.
    public func blobPath(repo: String, etag: String) throws -> String {
        PathString.join(try blobsFolder(repo: repo), try Self.checkedName(etag, kind: "etag"))
    }

    /// `{repo folder}/blobs/{etag}.incomplete`: where depot writes a download before it is verified.
    public func partialPath(repo: String, etag: String) throws -> String {
        try blobPath(repo: repo, etag: etag) + Self.partialSuffix
    }

    /// `{repo folder}/snapshots/{commit}`.
    public func snapshotFolder(repo: String, commit: String) throws -> String {
        PathString.join(try repoFolder(repo: repo), "snapshots", try Self.checkedName(commit, kind: "commit"))
    }

    /// `{repo folder}/snapshots/{commit}/{path}`: the path users and Python tools open.
    public func snapshotFilePath(repo: String, commit: String, path: String) throws -> String {
        try Self.validateRepoPath(path, repo: repo)
        return PathString.join(try snapshotFolder(repo: repo, commit: commit), path)
    }

    /// `{repo folder}/refs/{revision}`; a revision with `/` (e.g. `refs/pr/1`) nests folders.
    public func refPath(repo: String, revision: String) throws -> String {
        try Self.validateRevision(revision)
        return PathString.join(try repoFolder(repo: repo), "refs", revision)
    }

    /// `{root}/.locks/models--{org}--{name}/{etag}.lock`, the lock huggingface_hub takes too.
    public func lockPath(repo: String, etag: String) throws -> String {
        PathString.join(root, ".locks", try Self.folderName(repo: repo), try Self.checkedName(etag, kind: "etag") + ".lock")
    }

    // MARK: Validation

    static func validateRepoID(_ repo: String) throws {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        let valid = (1...2).contains(parts.count)
            && !repo.contains("--") && !repo.contains("..")
            && parts.allSatisfy(isRepoIDComponent)
        if !valid { throw CacheLayoutError.invalidRepoID(repo) }
    }

    private static func isRepoIDComponent(_ part: Substring) -> Bool {
        guard let first = part.first, let last = part.last, part.count <= 96 else { return false }
        let allowed = part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        return allowed && !"-.".contains(first) && !"-.".contains(last)
    }

    static func validateRepoPath(_ path: String, repo: String) throws {
        if !isSafeRelativePath(path) { throw CacheLayoutError.invalidRepoPath(repo: repo, path: path) }
    }

    static func validateRevision(_ revision: String) throws {
        if !isSafeRelativePath(revision) { throw CacheLayoutError.invalidName(kind: "revision", value: revision) }
    }

    private static func isSafeRelativePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0") else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }

    static func checkedName(_ name: String, kind: String) throws -> String {
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        guard allowed, !name.isEmpty, name != ".", name != ".." else {
            throw CacheLayoutError.invalidName(kind: kind, value: name)
        }
        return name
    }
}
