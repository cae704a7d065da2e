import Foundation
import Logging
import ServiceLifecycle

/// The sync as a swift-service-lifecycle `Service`, for `depot serve`'s service group: it runs
/// `TrackSynchronizer.syncDue` whenever a track is due, and looks at the catalog at least every
/// `pollSeconds` so tracks added by `depot track` meanwhile are noticed. It ends on graceful shutdown
/// (a pull in flight is cancelled; its partial files stay for the next pull to resume).
public struct TrackSyncService: Service {
    public let synchronizer: TrackSynchronizer
    public var pollSeconds: Double
    let logger = Logger(label: "depot.sync")

    public init(synchronizer: TrackSynchronizer, pollSeconds: Double = 30) {
        self.synchronizer = synchronizer
        self.pollSeconds = pollSeconds
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.round()
                do {
                    try await Task.sleep(nanoseconds: UInt64(await self.secondsUntilNextRound() * 1e9))
                } catch {
                    return
                }
            }
        }
    }

    private func round() async {
        do {
            for outcome in try await synchronizer.syncDue() where outcome.pulled || !outcome.removed.isEmpty {
                logger.info("synced a tracked model", metadata: [
                    "track": "\(outcome.track)", "commit": "\(outcome.remoteCommit ?? "-")", "removed": "\(outcome.removed.count)"])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("sync round failed", metadata: ["error": "\(error)"])
        }
    }

    private func secondsUntilNextRound() async -> Double {
        guard let due = try? await synchronizer.nextDueDate() else { return pollSeconds }
        return min(max(due.timeIntervalSinceNow, 0.05), pollSeconds)
    }
}
