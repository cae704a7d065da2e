@testable import DepotStore
import DepotTestSupport
import Foundation
import Synchronization
import Testing

/// Two depot processes starting at once on a fresh machine both switch the new catalog to WAL; the
/// one that finds the other holding its write lock gets SQLITE_BUSY from SQLite at once (its busy
/// handler is skipped, as waiting could deadlock) and must wait instead of failing.
@Suite struct CatalogOpeningTests {
    @Test func manyOpenersOfANewCatalogInOneProcessAllSucceed() throws {
        for round in 0..<5 {
            let folder = try TemporaryDirectory()
            let path = folder.root + "/depot/catalog.sqlite"
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                do {
                    _ = try Catalog(path: path)
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
            #expect(failures.withLock { $0 }.isEmpty, "round \(round): \(failures.withLock { $0 })")
        }
    }

    @Test func openingWaitsForAnotherProcessSwitchingANewCatalog() async throws {
        let folder = try TemporaryDirectory()
        let path = folder.root + "/catalog.sqlite"
        let ready = folder.root + "/ready"
        let script = """
            import sqlite3, sys, time
            connection = sqlite3.connect(sys.argv[1], isolation_level=None)
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("CREATE TABLE other_process (x)")
            open(sys.argv[2], "w").close()
            time.sleep(1.5)
            connection.execute("COMMIT")
            """
        let holder = Process()
        holder.executableURL = try TestEnvironment.python()
        holder.arguments = ["-c", script, path, ready]
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { holder.waitUntilExit() }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: ready), holder.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(FileManager.default.fileExists(atPath: ready), "the Python holder did not take its lock")

        let catalog = try Catalog(path: path)
        let committed = try await catalog.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'other_process'")
        }
        #expect(committed == 1, "the catalog opened after the other process committed")
        #expect(try await catalog.appliedMigrations() == Catalog.schemaVersions)
    }
}
