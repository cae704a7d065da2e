import DepotPull
import DepotStore
import DepotSync
import DepotTestSupport
import Foundation
import Testing

/// The sync against olah: a tracked repo gets new commits; each is pulled; --keep removes the
/// oldest unpinned version; a pinned one survives.
@Suite("sync of tracked models", .serialized)
struct TrackSynchronizerTests {
    let hub: FixtureHub

    init() throws {
        hub = try FixtureHub()
    }

    func installedCommits(_ store: SyncTestStore, _ name: String) async throws -> Set<String> {
        Set(try await store.service.catalog.findVersions(nameOrRepo: name).filter { $0.name == name }.map(\.commit))
    }

    @Test("new commits are pulled when due; keep 2 removes the oldest unpinned; a pinned version survives")
    func newCommitsAndRetention() async throws {
        let repo = try EvolvingRepo(hub: hub)
        let store = try SyncTestStore(endpoint: hub.endpoint)
        let sync = TrackSynchronizer(service: store.service, submitter: DirectPullSubmitter(service: store.service), jitterFraction: 0)
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))  // whole seconds: stored exactly
        let first = try repo.commit()
        try await Tracking(service: store.service).track(repo.repo, every: TrackInterval(seconds: 3600), keep: 2, at: start)

        let initial = try await sync.syncDue(now: start)
        #expect(initial == [.init(track: repo.repo, remoteCommit: first, pulled: true, removed: [], error: nil)])
        #expect(try await installedCommits(store, repo.repo) == [first])
        let track = try #require(try await store.service.catalog.trackedModel(name: repo.repo))
        #expect(track.lastCommit == first)
        #expect(abs(track.nextCheckAt.timeIntervalSince(start) - 3600) < 0.01)

        // Not due yet: nothing happens even though the repo moved on.
        let second = try repo.commit()
        #expect(try await sync.syncDue(now: start.addingTimeInterval(60)).isEmpty)
        #expect(try await installedCommits(store, repo.repo) == [first])

        let later = start.addingTimeInterval(3601)
        let pulledSecond = try await sync.syncDue(now: later)
        #expect(pulledSecond.first?.pulled == true)
        #expect(pulledSecond.first?.removed == [])
        #expect(try await installedCommits(store, repo.repo) == [first, second])

        // A third commit: two newer versions exist, so the first (unpinned) goes.
        let third = try repo.commit()
        let pulledThird = try await sync.syncDue(now: later.addingTimeInterval(3601))
        #expect(pulledThird.first?.removed == [first])
        #expect(try await installedCommits(store, repo.repo) == [second, third])
        let firstSnapshot = try store.service.layout.snapshotFolder(repo: repo.repo, commit: first)
        #expect(!FileManager.default.fileExists(atPath: firstSnapshot))

        // Pin the second, then a fourth commit: the second is beyond keep 2 but stays.
        try await Tracking(service: store.service).pin("\(repo.repo)@\(second.prefix(8))")
        let fourth = try repo.commit()
        let pulledFourth = try await sync.syncDue(now: later.addingTimeInterval(7202))
        #expect(pulledFourth.first?.removed == [])
        #expect(try await installedCommits(store, repo.repo) == [second, third, fourth])

        // An unchanged repo: checked, nothing pulled; a fifth commit then removes the third, not the pinned second.
        let unchanged = try await sync.syncDue(now: later.addingTimeInterval(10_803))
        #expect(unchanged == [.init(track: repo.repo, remoteCommit: fourth, pulled: false, removed: [], error: nil)])
        let fifth = try repo.commit()
        let pulledFifth = try await sync.syncDue(now: later.addingTimeInterval(14_404))
        #expect(pulledFifth.first?.removed == [third])
        #expect(try await installedCommits(store, repo.repo) == [second, fourth, fifth])
    }

    @Test("a failing check is recorded and retried after the retry delay, not the interval")
    func failureIsRecorded() async throws {
        let store = try SyncTestStore(endpoint: hub.endpoint)
        let sync = TrackSynchronizer(service: store.service, submitter: DirectPullSubmitter(service: store.service),
                                     jitterFraction: 0, retrySeconds: 120)
        let start = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))  // whole seconds: stored exactly
        try await Tracking(service: store.service).track("depot-fixtures/never-published", every: TrackInterval(seconds: 3600), keep: 2, at: start)
        let outcome = try #require(try await sync.syncDue(now: start).first)
        #expect(outcome.error?.contains("never-published") == true)
        #expect(outcome.pulled == false)
        let track = try #require(try await store.service.catalog.trackedModel(name: "depot-fixtures/never-published"))
        #expect(track.lastError == outcome.error)
        #expect(abs(track.nextCheckAt.timeIntervalSince(start) - 120) < 0.01)
    }

    @Test("the Service pulls a due track on its own and stops when cancelled")
    func serviceLoop() async throws {
        let repo = try EvolvingRepo(hub: hub)
        let commit = try repo.commit()
        let store = try SyncTestStore(endpoint: hub.endpoint)
        try await Tracking(service: store.service).track(repo.repo, every: TrackInterval(seconds: 3600), keep: 2)
        let service = TrackSyncService(
            synchronizer: TrackSynchronizer(service: store.service, submitter: DirectPullSubmitter(service: store.service)),
            pollSeconds: 0.2)
        let running = Task { try await service.run() }
        var installed: Set<String> = []
        for _ in 0..<300 where installed.isEmpty {
            try await Task.sleep(nanoseconds: 100_000_000)
            installed = try await installedCommits(store, repo.repo)
        }
        running.cancel()
        try await running.value
        #expect(installed == [commit])
    }
}
