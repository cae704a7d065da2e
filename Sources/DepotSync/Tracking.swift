import DepotPull
import DepotStore
import Foundation

/// `depot track`, `untrack`, `pin` and `unpin` over the catalog. They work whether or not a daemon
/// runs: the daemon's sync reads the tracks from the catalog.
public struct Tracking: Sendable {
    public let service: DepotService

    public init(service: DepotService) {
        self.service = service
    }

    /// What `depot track` recorded.
    public struct Receipt: Sendable {
        public var track: TrackedModel
        /// The name versions are recorded under, the repo and the branch the sync follows.
        public var model: String
        public var repo: String
        public var revision: String
    }

    /// Tracks `reference` (a registry name or repo id, optionally `@BRANCH`): checked every
    /// `interval`, the newest `keep` versions kept. Tracking again changes the schedule.
    public func track(_ reference: String, every interval: TrackInterval, keep: Int, at date: Date = Date()) async throws -> Receipt {
        guard keep >= 1 else { throw SyncError.invalidKeep(keep) }
        let model = try service.resolve(reference)
        if model.revisionWasGiven, Self.isCommit(model.revision) {
            throw SyncError.commitRevision(name: model.name, revision: model.revision)
        }
        let track = try await service.catalog.track(name: reference, intervalSeconds: interval.seconds, keep: keep, at: date)
        return Receipt(track: track, model: model.name, repo: model.repo, revision: model.revision)
    }

    /// Stops tracking `name`; installed versions stay.
    public func untrack(_ name: String) async throws {
        guard try await service.catalog.untrack(name: name) else {
            throw SyncError.notTracked(name: name, tracked: try await service.catalog.trackedModels().map(\.name))
        }
    }

    /// Pins the installed version `NAME@COMMIT` (a commit prefix is enough); returns that version.
    @discardableResult
    public func pin(_ reference: String, at date: Date = Date()) async throws -> InstalledVersion {
        let version = try await installedVersion(reference)
        try await service.catalog.pin(name: version.name, commit: version.commit, at: date)
        return version
    }

    /// Removes the pin of `NAME@COMMIT`; returns the version and whether it was pinned.
    public func unpin(_ reference: String) async throws -> (version: InstalledVersion, wasPinned: Bool) {
        let version = try await installedVersion(reference)
        return (version, try await service.catalog.unpin(name: version.name, commit: version.commit))
    }

    /// The one installed version `NAME@COMMIT` names; a name match wins over a repo-id match.
    public func installedVersion(_ reference: String) async throws -> InstalledVersion {
        guard let at = reference.lastIndex(of: "@"), reference.index(after: at) < reference.endIndex else {
            throw SyncError.pinNeedsCommit(reference: reference)
        }
        let name = String(reference[..<at])
        let matches = try await service.installedVersions(named: reference)
        let byName = matches.filter { $0.name == name }
        let candidates = byName.isEmpty ? matches : byName
        guard candidates.count == 1 else {
            throw SyncError.ambiguousPin(reference: reference, candidates: candidates.map { "\($0.name)@\($0.commit.prefix(12))" })
        }
        return candidates[0]
    }

    static func isCommit(_ revision: String) -> Bool {
        revision.count == 40 && revision.allSatisfy(\.isHexDigit)
    }
}
