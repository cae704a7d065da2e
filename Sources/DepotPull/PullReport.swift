import DepotInspect
import Foundation

/// The outcome of `depot pull`: the `--json` shape documented in docs/cli-json.md.
public struct PullReport: Sendable, Codable {
    public var name: String
    public var repo: String
    public var revision: String
    public var commit: String
    public var snapshot: String
    public var files: [PulledFile]
    public var bytesTotal: Int64
    public var bytesTransferred: Int64
    public var bytesReused: Int64
    public var durationSeconds: Double
    /// The structural check of a newly installed version (nil when the version was installed
    /// already, or the check was skipped); it passed, or the pull would have failed.
    public var structure: StructuralCheck.Report?

    enum CodingKeys: String, CodingKey {
        case name, repo, revision, commit, snapshot, files
        case bytesTotal = "bytes_total", bytesTransferred = "bytes_transferred"
        case bytesReused = "bytes_reused", durationSeconds = "duration_s"
        case structure
    }

    public init(name: String, repo: String, revision: String, commit: String, snapshot: String, files: [PulledFile],
                bytesTotal: Int64, bytesTransferred: Int64, bytesReused: Int64, durationSeconds: Double,
                structure: StructuralCheck.Report? = nil) {
        self.name = name
        self.repo = repo
        self.revision = revision
        self.commit = commit
        self.snapshot = snapshot
        self.files = files
        self.bytesTotal = bytesTotal
        self.bytesTransferred = bytesTransferred
        self.bytesReused = bytesReused
        self.durationSeconds = durationSeconds
        self.structure = structure
    }
}

/// One file of a pulled version and how it got there.
public struct PulledFile: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Fetched in full by this pull.
        case downloaded
        /// Completed from a partial file an earlier, interrupted pull left.
        case resumed
        /// Already in the cache (from depot or another tool) and its hash checked.
        case reused
    }

    public var path: String
    public var size: Int64
    public var sha256: String
    public var etag: String
    public var lfs: Bool
    public var status: Status
    /// Bytes that crossed the network for this file in this pull.
    public var transferred: Int64
}
