import DepotStore
import DepotSync
import DepotTestSupport
import Foundation
import Testing

@Suite struct CatalogTrackingTests {
    @Test("tracks: a new track is due at once; tracking again changes schedule and retention, keeps history")
    func tracks() async throws {
        let store = try SyncTestStore()
        let catalog = store.service.catalog
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let first = try await catalog.track(name: "tiny-sd1", intervalSeconds: 3600, keep: 2, at: start)
        #expect(first.nextCheckAt == start)
        #expect(first.lastCheckedAt == nil)

        let check = TrackCheck(checkedAt: start, nextCheckAt: start.addingTimeInterval(3600), commit: "abc", error: nil)
        try await catalog.recordCheck(ofTrack: "tiny-sd1", check)
        let changed = try await catalog.track(name: "tiny-sd1", intervalSeconds: 600, keep: 3, at: start.addingTimeInterval(60))
        #expect(changed.intervalSeconds == 600)
        #expect(changed.keep == 3)
        #expect(changed.lastCommit == "abc")
        #expect(changed.trackedAt == start)
        // Re-tracking never postpones a check that is already due sooner.
        #expect(changed.nextCheckAt == start.addingTimeInterval(60))

        try await catalog.recordCheck(ofTrack: "tiny-sd1", TrackCheck(
            checkedAt: start, nextCheckAt: start.addingTimeInterval(600), commit: nil, error: "hub down"))
        let failed = try #require(try await catalog.trackedModel(name: "tiny-sd1"))
        #expect(failed.lastError == "hub down")
        #expect(failed.lastCommit == "abc")

        try await catalog.track(name: "sd-1.5", intervalSeconds: 3600, keep: 1, at: start)
        #expect(try await catalog.trackedModels().map(\.name) == ["sd-1.5", "tiny-sd1"])
        #expect(try await catalog.untrack(name: "tiny-sd1"))
        #expect(try await !catalog.untrack(name: "tiny-sd1"))
        #expect(try await catalog.trackedModels().map(\.name) == ["sd-1.5"])
    }

    @Test("pins: idempotent, per model, removable")
    func pins() async throws {
        let store = try SyncTestStore()
        let catalog = store.service.catalog
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        let pin = try await catalog.pin(name: "a", commit: "c1", at: date)
        #expect(try await catalog.pin(name: "a", commit: "c1", at: date.addingTimeInterval(5)) == pin)
        try await catalog.pin(name: "a", commit: "c2")
        try await catalog.pin(name: "b", commit: "c1")
        #expect(try await catalog.pinnedCommits(name: "a") == ["c1", "c2"])
        #expect(try await catalog.unpin(name: "a", commit: "c1"))
        #expect(try await !catalog.unpin(name: "a", commit: "c1"))
        #expect(try await catalog.pinnedVersions().map { "\($0.name)@\($0.commit)" } == ["a@c2", "b@c1"])
    }

    @Test("the tracking migration is a schema version and a fresh catalog has it applied")
    func migration() async throws {
        let store = try SyncTestStore()
        #expect(Catalog.schemaVersions.contains("v5: tracked models, pinned versions"))
        #expect(try await store.service.catalog.appliedMigrations() == Catalog.schemaVersions)
    }
}

@Suite struct TrackingTests {
    @Test("track refuses --keep 0 and a commit; untrack of an unknown name lists what is tracked")
    func refusals() async throws {
        let store = try SyncTestStore()
        let tracking = Tracking(service: store.service)
        await #expect(throws: SyncError.invalidKeep(0)) {
            try await tracking.track("org/model", every: .defaultInterval, keep: 0)
        }
        let commit = String(repeating: "a", count: 40)
        await #expect(throws: SyncError.commitRevision(name: "org/model", revision: commit)) {
            try await tracking.track("org/model@\(commit)", every: .defaultInterval, keep: 2)
        }
        let receipt = try await tracking.track("org/model@dev", every: TrackInterval(seconds: 3600), keep: 2)
        #expect(receipt.repo == "org/model")
        #expect(receipt.revision == "dev")
        await #expect(throws: SyncError.notTracked(name: "org/other", tracked: ["org/model@dev"])) {
            try await tracking.untrack("org/other")
        }
    }

    @Test("pin needs NAME@COMMIT of an installed version; a prefix picks one version")
    func pinResolution() async throws {
        let store = try SyncTestStore()
        let tracking = Tracking(service: store.service)
        try await store.recordVersion(name: "org/model", commit: "abc" + String(repeating: "1", count: 37), pulledAt: Date())
        try await store.recordVersion(name: "org/model", commit: "abd" + String(repeating: "2", count: 37), pulledAt: Date())
        await #expect(throws: SyncError.pinNeedsCommit(reference: "org/model")) { try await tracking.pin("org/model") }
        await #expect(throws: SyncError.self) { try await tracking.pin("org/model@ab") }
        let pinned = try await tracking.pin("org/model@abc")
        #expect(pinned.commit.hasPrefix("abc1"))
        #expect(try await store.service.catalog.pinnedCommits(name: "org/model") == [pinned.commit])
    }
}
