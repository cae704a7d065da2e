import Foundation

/// What a daemon job does.
public enum JobKind: String, Sendable, Codable, CaseIterable {
    case pull, bundle
}

/// The state of a queued pull of the daemon.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case queued, running, done, failed, cancelled
}

/// A pull the daemon was asked to do.
public struct Job: Sendable, Equatable, Identifiable {
    public var id: Int64
    /// The model reference as given (`sd-1.5`, `org/repo@v2`).
    public var model: String
    public var revision: String
    public var state: JobState
    public var bytesDone: Int64
    public var bytesTotal: Int64?
    public var createdAt: Date
    public var updatedAt: Date
    /// Why the job failed, for `failed` jobs.
    public var error: String?
    /// The commit the revision resolved to, recorded when the job finished.
    public var commit: String? = nil
    public var kind: JobKind = .pull
}
