@testable import DepotStore
import DepotTestSupport
import Foundation
import GRDB
import Testing

func sha(_ seed: Int) -> String { String(repeating: String(format: "%02x", seed % 256), count: 32) }

func file(_ path: String, etag: String, seed: Int, size: Int64 = 10, lfs: Bool = false) -> VerifiedFile {
    VerifiedFile(path: path, size: size, sha256: sha(seed), etag: etag, isLFS: lfs)
}

func tableCount(_ catalog: Catalog, _ table: String) async throws -> Int {
    try await catalog.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? -1 }
}

@Suite struct CatalogTests {
    let commitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    let commitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

    @Test func aFreshCatalogHasEveryMigration() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/depot/catalog.sqlite")
        #expect(try await catalog.appliedMigrations() == Catalog.schemaVersions)
        #expect(Catalog.schemaVersions.count == 7)
        let journal = try await catalog.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(journal == "wal")
        #expect(try await tableCount(catalog, "jobs") == 0)
    }

    @Test func aVersionOneCatalogUpgradesKeepingItsVersions() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/catalog.sqlite"
        do {
            let old = try Catalog(path: path, migrateUpTo: Catalog.schemaVersions[0])
            #expect(try await old.appliedMigrations() == [Catalog.schemaVersions[0]])
            // What a depot of schema v1 wrote (today's code reads columns v1 does not have).
            let recorded = file("model_index.json", etag: "e1", seed: 1)
            let commit = commitA
            try await old.pool.write { db in
                try db.execute(sql: "INSERT INTO models (id, name, repo, kind) VALUES (1, 'tiny-sd1', 'depot-fixtures/tiny-sd1', 'diffusers')")
                try db.execute(sql: """
                    INSERT INTO versions (id, model_id, commit_hash, revision, pulled_at, bytes, file_count, state, verified_at)
                    VALUES (1, 1, ?, 'main', ?, ?, 1, 'installed', ?)
                    """, arguments: [commit, Date(), recorded.size, Date()])
                try db.execute(sql: "INSERT INTO files (version_id, path, size, sha256, etag, is_lfs) VALUES (1, ?, ?, ?, ?, 0)",
                               arguments: [recorded.path, recorded.size, recorded.sha256, recorded.etag])
                try db.execute(sql: "INSERT INTO blobs (sha256, etag, size, verified_at) VALUES (?, ?, ?, ?)",
                               arguments: [recorded.sha256, recorded.etag, recorded.size, Date()])
            }
            let smoke = try await old.pool.read { db in try db.columns(in: "versions").map(\.name).contains("smoke_passed") }
            #expect(!smoke)
        }
        let upgraded = try Catalog(path: path)
        #expect(try await upgraded.appliedMigrations() == Catalog.schemaVersions)
        let versions = try await upgraded.installedVersions()
        #expect(versions.map(\.name) == ["tiny-sd1"])
        #expect(versions.first?.commit == commitA)
        #expect(versions.first?.smokePassed == nil)
        #expect(try await upgraded.files(ofVersion: versions[0].id).map(\.path) == ["model_index.json"])
        let columns = try await upgraded.pool.read { db in try db.columns(in: "versions").map(\.name) }
        #expect(columns.contains("smoke_passed") && columns.contains("smoke_detail"))
        #expect(try await tableCount(upgraded, "jobs") == 0)
    }

    @Test func aReaderSeesWhatAWriterRecordedAndNothingBeforeTheFirstPull() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/catalog.sqlite"
        #expect(try Catalog.openForReading(path: path) == nil)
        let writer = try Catalog(path: path)
        let recorded = try await writer.recordInstalledVersion(NewVersion(
            name: "tiny-sd1", repo: "depot-fixtures/tiny-sd1", kind: "diffusers", commit: commitA,
            revision: "main", files: [file("model_index.json", etag: "e1", seed: 1)]))
        let reader = try #require(try Catalog.openForReading(path: path))
        #expect(try await reader.installedVersions() == [recorded])
        await #expect(throws: CatalogError.self) { try await reader.recordVerification(ofVersion: recorded.id, passed: true) }
    }

    @Test func openingAnOldCatalogForReadingUpgradesIt() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/catalog.sqlite"
        _ = try Catalog(path: path, migrateUpTo: Catalog.schemaVersions[0])
        let reader = try #require(try Catalog.openForReading(path: path))
        #expect(try await reader.appliedMigrations() == Catalog.schemaVersions)
    }

    @Test func recordingAndListingAVersion() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let pulled = Date(timeIntervalSince1970: 1_700_000_000)
        let recorded = try await catalog.recordInstalledVersion(NewVersion(
            name: "sd-1.5", repo: "stable-diffusion-v1-5/stable-diffusion-v1-5", kind: "diffusers", commit: commitA,
            revision: "main", files: [
                file("unet/diffusion_pytorch_model.safetensors", etag: sha(2), seed: 2, size: 3_000, lfs: true),
                file("model_index.json", etag: "e1", seed: 1, size: 500),
            ], pulledAt: pulled))

        #expect(recorded.fileCount == 2 && recorded.bytes == 3_500 && recorded.state == .installed)
        #expect(recorded.pulledAt == pulled && recorded.verifiedAt == pulled)
        #expect(try await catalog.installedVersions() == [recorded])
        let files = try await catalog.files(ofVersion: recorded.id)
        #expect(files.map(\.path) == ["model_index.json", "unet/diffusion_pytorch_model.safetensors"])
        #expect(files.map(\.isLFS) == [false, true])
        #expect(try await tableCount(catalog, "blobs") == 2)
    }

    @Test func aFailedRecordLeavesNothingBehind() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let duplicate = NewVersion(name: "tiny-sd1", repo: "depot-fixtures/tiny-sd1", kind: "diffusers", commit: commitA,
                                   revision: "main", files: [file("a.json", etag: "e1", seed: 1), file("a.json", etag: "e2", seed: 2)])
        do {
            try await catalog.recordInstalledVersion(duplicate)
            Issue.record("recording two files with one path must fail")
        } catch let error as CatalogError {
            #expect(error.description.contains("INSERT INTO files"))
            #expect(error.description.contains("tiny-sd1"))
        }
        for table in ["models", "versions", "files", "blobs"] {
            #expect(try await tableCount(catalog, table) == 0, "\(table) must stay empty")
        }
    }

    @Test func aVersionWithoutHashesIsRefused() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let unverified = NewVersion(name: "x", repo: "o/x", kind: "diffusers", commit: commitA, revision: "main",
                                    files: [VerifiedFile(path: "a", size: 1, sha256: "", etag: "e", isLFS: false)])
        await #expect(throws: CatalogError.self) { try await catalog.recordInstalledVersion(unverified) }
        #expect(try await tableCount(catalog, "models") == 0)
    }

    @Test func findingByNameRepoAndCommitPrefix() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        for (commit, day) in [(commitA, 1.0), (commitB, 2.0)] {
            try await catalog.recordInstalledVersion(NewVersion(
                name: "tiny-sd1", repo: "depot-fixtures/tiny-sd1", kind: "diffusers", commit: commit, revision: "main",
                files: [file("model_index.json", etag: "e1", seed: 1)], pulledAt: Date(timeIntervalSince1970: day * 86_400)))
        }
        try await catalog.recordInstalledVersion(NewVersion(
            name: "clip-tokenizer", repo: "openai/clip-vit-base-patch32", kind: "tokenizer", commit: commitA,
            revision: "main", files: [file("vocab.json", etag: "v", seed: 9)]))

        #expect(try await catalog.findVersions(nameOrRepo: "tiny-sd1").map(\.commit) == [commitB, commitA])
        #expect(try await catalog.findVersions(nameOrRepo: "depot-fixtures/tiny-sd1").count == 2)
        #expect(try await catalog.findVersions(nameOrRepo: "tiny-sd1", commitPrefix: "bbbb").map(\.commit) == [commitB])
        #expect(try await catalog.findVersions(nameOrRepo: nil, commitPrefix: "AAAA").map(\.name) == ["clip-tokenizer", "tiny-sd1"])
        #expect(try await catalog.findVersions(nameOrRepo: "sd-1.5").isEmpty)
    }

    @Test func removingAVersionReportsWhatOnlyItUsed() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let repo = "apple/coreml-stable-diffusion-2-1-base"
        let original = try await catalog.recordInstalledVersion(NewVersion(
            name: "coreml-sd-2.1-base/original", repo: repo, kind: "coreml", commit: commitA, revision: "main",
            files: [file("original/unet.bin", etag: "u1", seed: 1), file("merges.txt", etag: "m", seed: 3)]))
        let split = try await catalog.recordInstalledVersion(NewVersion(
            name: "coreml-sd-2.1-base/split-einsum", repo: repo, kind: "coreml", commit: commitA, revision: "main",
            files: [file("split_einsum/unet.bin", etag: "u2", seed: 2), file("merges.txt", etag: "m", seed: 3)]))

        let first = try await catalog.removeVersion(id: original.id)
        #expect(first.unusedSnapshotPaths == ["original/unet.bin"])
        #expect(!first.snapshotUnused)
        #expect(first.unusedBlobs == [UnusedBlob(repo: repo, etag: "u1")])
        #expect(try await catalog.installedVersions() == [split])
        #expect(try await catalog.unreferencedBlobRecords().isEmpty)

        let second = try await catalog.removeVersion(id: split.id)
        #expect(second.snapshotUnused)
        #expect(Set(second.unusedBlobs.map(\.etag)) == ["u2", "m"])
        #expect(try await tableCount(catalog, "models") == 0)
        #expect(try await tableCount(catalog, "blobs") == 0)
        await #expect(throws: CatalogError.self) { try await catalog.removeVersion(id: split.id) }
    }

    @Test func referencedBlobsAreGroupedByRepo() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        try await catalog.recordInstalledVersion(NewVersion(
            name: "a", repo: "o/a", kind: "diffusers", commit: commitA, revision: "main",
            files: [file("x", etag: "e1", seed: 1), file("y", etag: "e2", seed: 2)]))
        try await catalog.recordInstalledVersion(NewVersion(
            name: "b", repo: "o/b", kind: "diffusers", commit: commitB, revision: "v1",
            files: [file("x", etag: "e1", seed: 1)]))
        #expect(try await catalog.referencedBlobs() == ["o/a": ["e1", "e2"], "o/b": ["e1"]])
    }

    @Test func verificationMarksInstalledOrBroken() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let version = try await catalog.recordInstalledVersion(NewVersion(
            name: "a", repo: "o/a", kind: "diffusers", commit: commitA, revision: "main",
            files: [file("x", etag: "e1", seed: 1)], pulledAt: Date(timeIntervalSince1970: 0)))
        try await catalog.recordVerification(ofVersion: version.id, passed: false)
        #expect(try await catalog.version(id: version.id)?.state == .broken)
        let later = Date(timeIntervalSince1970: 1_000)
        try await catalog.recordVerification(ofVersion: version.id, passed: true, at: later)
        let checked = try await catalog.version(id: version.id)
        #expect(checked?.state == .installed && checked?.verifiedAt == later)
        await #expect(throws: CatalogError.self) { try await catalog.recordVerification(ofVersion: 999, passed: true) }
    }

    @Test func twoHundredVersionsListWithTheirAggregates() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        for index in 0..<200 {
            let commit = String(format: "%040x", index)
            try await catalog.recordInstalledVersion(NewVersion(
                name: "model-\(index % 20)", repo: "org/model-\(index % 20)", kind: "diffusers", commit: commit,
                revision: "main", files: (0..<(1 + index % 5)).map { file("f\($0)", etag: "e\($0)", seed: $0, size: 100) }))
        }
        let listed = try await catalog.installedVersions()
        #expect(listed.count == 200)
        let expectedFiles: Int = (0..<200).reduce(0) { total, index in total + 1 + index % 5 }
        let listedFiles: Int = listed.reduce(0) { $0 + $1.fileCount }
        #expect(listedFiles == expectedFiles)
        #expect(listed.first { $0.commit == String(format: "%040x", 7) }?.bytes == 300)
        #expect(Set(listed.map(\.name)).count == 20)
    }
}

@Suite struct CatalogJobTests {
    @Test func jobsAreQueuedUpdatedAndListedByState() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let start = Date(timeIntervalSince1970: 100)
        let first = try await catalog.enqueueJob(model: "sd-1.5", revision: "main", at: start)
        let second = try await catalog.enqueueJob(model: "tiny-sd1", revision: "v2", at: start)
        #expect(first.state == .queued && first.bytesDone == 0 && first.bytesTotal == nil && first.createdAt == start)

        let later = Date(timeIntervalSince1970: 200)
        try await catalog.updateJob(id: first.id, state: .running, bytesDone: 10, bytesTotal: 100, at: later)
        try await catalog.updateJob(id: second.id, state: .failed, bytesDone: 0, bytesTotal: nil, error: "revision v2 not found")

        let running = try await catalog.jobs(in: [.running])
        #expect(running.map(\.id) == [first.id])
        #expect(running.first?.bytesDone == 10 && running.first?.bytesTotal == 100 && running.first?.updatedAt == later)
        #expect(try await catalog.job(id: second.id)?.error == "revision v2 not found")
        #expect(try await catalog.jobs().map(\.id) == [first.id, second.id])
        #expect(try await catalog.jobs(in: [.done]).isEmpty)
        await #expect(throws: CatalogError.self) {
            try await catalog.updateJob(id: 999, state: .done, bytesDone: 0, bytesTotal: nil)
        }
    }
}
