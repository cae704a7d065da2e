import Foundation

/// A model the daemon keeps current (`depot track NAME`): checked every `intervalSeconds`, newest
/// `keep` versions kept.
public struct TrackedModel: Sendable, Equatable, Codable {
    /// What the user typed: a registry name or a repo id, optionally `@BRANCH`.
    public var name: String
    public var intervalSeconds: Int
    /// How many of the newest installed versions survive a sync; older unpinned ones are removed.
    public var keep: Int
    public var trackedAt: Date
    /// When the sync should look at the remote revision next (a new track is due at once).
    public var nextCheckAt: Date
    public var lastCheckedAt: Date?
    /// The remote commit seen at the last successful check.
    public var lastCommit: String?
    /// Why the last check or pull failed; nil after a success.
    public var lastError: String?

    public init(name: String, intervalSeconds: Int, keep: Int, trackedAt: Date, nextCheckAt: Date,
                lastCheckedAt: Date? = nil, lastCommit: String? = nil, lastError: String? = nil) {
        self.name = name
        self.intervalSeconds = intervalSeconds
        self.keep = keep
        self.trackedAt = trackedAt
        self.nextCheckAt = nextCheckAt
        self.lastCheckedAt = lastCheckedAt
        self.lastCommit = lastCommit
        self.lastError = lastError
    }
}

/// A version that keep-N retention never removes (`depot pin NAME@COMMIT`).
public struct PinnedVersion: Sendable, Equatable, Hashable, Codable {
    /// The model name as the catalog records it (`models.name`).
    public var name: String
    /// The full commit.
    public var commit: String
    public var pinnedAt: Date

    public init(name: String, commit: String, pinnedAt: Date) {
        self.name = name
        self.commit = commit
        self.pinnedAt = pinnedAt
    }
}

/// The outcome of one sync check, recorded on the track.
public struct TrackCheck: Sendable, Equatable {
    public var checkedAt: Date
    public var nextCheckAt: Date
    /// The remote commit, when the check got that far.
    public var commit: String?
    public var error: String?

    public init(checkedAt: Date, nextCheckAt: Date, commit: String?, error: String?) {
        self.checkedAt = checkedAt
        self.nextCheckAt = nextCheckAt
        self.commit = commit
        self.error = error
    }
}
