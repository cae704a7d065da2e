import DepotPull
import DepotStore
import Foundation
import Logging

/// One round of the sync: for each tracked model that is due, read the remote commit of its branch,
/// pull it when it is not installed (through `PullJobSubmitting`), then keep the newest `keep`
/// versions and remove older unpinned ones. Every check is recorded on the track.
public struct TrackSynchronizer: Sendable {
    public let service: DepotService
    public let submitter: any PullJobSubmitting
    /// The next check comes after the interval plus up to this fraction of it, so many depots
    /// tracking the same repo do not ask the Hub in lockstep.
    public var jitterFraction: Double
    /// After a failure the next try comes after this (or the interval, if shorter), plus jitter.
    public var retrySeconds: Int
    var logger = Logger(label: "depot.sync")

    public init(service: DepotService, submitter: any PullJobSubmitting, jitterFraction: Double = 0.1, retrySeconds: Int = 600) {
        self.service = service
        self.submitter = submitter
        self.jitterFraction = jitterFraction
        self.retrySeconds = retrySeconds
    }

    /// What one check of one tracked model did.
    public struct Outcome: Sendable, Equatable {
        public var track: String
        /// The remote commit of the tracked branch, when the check got that far.
        public var remoteCommit: String?
        /// Whether that commit had to be pulled.
        public var pulled: Bool
        /// Commits removed by keep-N retention.
        public var removed: [String]
        public var error: String?

        public init(track: String, remoteCommit: String?, pulled: Bool, removed: [String], error: String?) {
            self.track = track
            self.remoteCommit = remoteCommit
            self.pulled = pulled
            self.removed = removed
            self.error = error
        }
    }

    /// Checks every track whose time has come (all of them with `force`).
    public func syncDue(now: Date = Date(), force: Bool = false) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for track in try await service.catalog.trackedModels() where force || track.nextCheckAt <= now {
            try Task.checkCancellation()
            outcomes.append(await check(track, now: now))
        }
        return outcomes
    }

    /// When the earliest track is due, or nil when nothing is tracked.
    public func nextDueDate() async throws -> Date? {
        try await service.catalog.trackedModels().map(\.nextCheckAt).min()
    }

    /// Checks one track and records the outcome. Failures are recorded, logged and returned, not thrown,
    /// so one broken track does not stop the others.
    public func check(_ track: TrackedModel, now: Date = Date()) async -> Outcome {
        var outcome = Outcome(track: track.name, remoteCommit: nil, pulled: false, removed: [], error: nil)
        do {
            let model = try service.resolve(track.name)
            let remote = try await service.hub.revision(repo: model.repo, revision: model.revision).commit
            outcome.remoteCommit = remote
            let installed = try await versions(of: model.name).contains { $0.commit == remote && $0.state == .installed }
            if !installed {
                logger.info("new commit of a tracked model, pulling", metadata: ["track": "\(track.name)", "commit": "\(remote)"])
                let name = track.name.split(separator: "@", maxSplits: 1).first.map(String.init) ?? track.name
                let pulled = try await submitter.submitPull(name: name, revision: model.revisionWasGiven ? model.revision : nil)
                outcome.pulled = true
                outcome.remoteCommit = pulled
            }
            outcome.removed = try await applyRetention(model: model.name, keep: track.keep, protecting: outcome.remoteCommit ?? remote)
        } catch is CancellationError {
            outcome.error = "cancelled"
            return outcome
        } catch {
            outcome.error = String(describing: error)
            logger.warning("sync check failed", metadata: ["track": "\(track.name)", "error": "\(error)"])
        }
        let delay = outcome.error == nil ? track.intervalSeconds : min(track.intervalSeconds, retrySeconds)
        let check = TrackCheck(checkedAt: now, nextCheckAt: now.addingTimeInterval(jittered(delay)),
                               commit: outcome.remoteCommit, error: outcome.error)
        do {
            try await service.catalog.recordCheck(ofTrack: track.name, check)
        } catch {
            logger.error("cannot record a sync check", metadata: ["track": "\(track.name)", "error": "\(error)"])
        }
        return outcome
    }

    /// Keeps the newest `keep` versions of `model` (by pull time), the pinned ones and `protecting`;
    /// removes the rest. Returns the removed commits.
    public func applyRetention(model: String, keep: Int, protecting current: String?) async throws -> [String] {
        let pinned = try await service.catalog.pinnedCommits(name: model)
        let newestFirst = try await versions(of: model).sorted { $0.pulledAt > $1.pulledAt }
        var removed: [String] = []
        for version in newestFirst.dropFirst(max(keep, 0)) where !pinned.contains(version.commit) && version.commit != current {
            _ = try await service.remove("\(model)@\(version.commit)")
            logger.info("removed a version beyond --keep", metadata: ["model": "\(model)", "commit": "\(version.commit)"])
            removed.append(version.commit)
        }
        return removed
    }

    private func versions(of model: String) async throws -> [InstalledVersion] {
        try await service.catalog.findVersions(nameOrRepo: model).filter { $0.name == model }
    }

    private func jittered(_ seconds: Int) -> TimeInterval {
        let spread = Double(seconds) * max(jitterFraction, 0)
        return Double(seconds) + (spread > 0 ? Double.random(in: 0...spread) : 0)
    }
}
