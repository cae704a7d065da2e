@testable import DepotStore
import DepotTestSupport
import Foundation
import GRDB
import Testing

/// The catalog's DATETIME columns: the text GRDB's own Date conversion wrote (catalogs of earlier
/// depot versions) and the text CatalogDate writes are one format, read back to the millisecond.
@Suite struct CatalogDateTests {
    let dates = [0, 1_764_205_323.456, 951_782_400.5, -86_400.25, 4_102_444_799.999].map { Date(timeIntervalSince1970: $0) }

    func sameMillisecond(_ a: Date, _ b: Date) -> Bool { abs(a.timeIntervalSince(b)) < 0.0005 }

    @Test func catalogDatesAreGRDBsTextForm() throws {
        let queue = try DatabaseQueue()
        for date in dates {
            let written = try queue.read { db in try String.fetchOne(db, sql: "SELECT ?", arguments: [date.catalogValue]) }
            let grdb = try queue.read { db in try String.fetchOne(db, sql: "SELECT ?", arguments: [date]) }
            #expect(written == grdb)
            let fromGRDB = try queue.read { db in try Row.fetchOne(db, sql: "SELECT ? AS d", arguments: [date])! }
            #expect(sameMillisecond(fromGRDB.date("d"), date))
        }
    }

    @Test func numbersAndNullsReadAsGRDBReadsThem() throws {
        let queue = try DatabaseQueue()
        let row = try queue.read { db in try Row.fetchOne(db, sql: "SELECT 86400 AS i, 1.5 AS f, NULL AS n, 'yesterday' AS bad")! }
        #expect(row.date("i") == Date(timeIntervalSince1970: 86_400))
        #expect(row.date("f") == Date(timeIntervalSince1970: 1.5))
        #expect(row.optionalDate("n") == nil)
        #expect(CatalogDate.fromDatabaseValue(row["bad"]) == nil)
    }

    @Test func aJobsTimesSurviveTheCatalog() async throws {
        let folder = try TemporaryDirectory()
        let catalog = try Catalog(path: folder.root + "/catalog.sqlite")
        let created = Date(timeIntervalSince1970: 1_764_205_323.456)
        let job = try await catalog.enqueueJob(model: "tiny-sd1", revision: "main", at: created)
        #expect(sameMillisecond(job.createdAt, created) && sameMillisecond(job.updatedAt, created))
        let later = created.addingTimeInterval(61.5)
        try await catalog.updateJob(id: job.id, state: .running, bytesDone: 5, bytesTotal: 10, at: later)
        let reread = try #require(try await catalog.job(id: job.id))
        #expect(sameMillisecond(reread.createdAt, created) && sameMillisecond(reread.updatedAt, later))
    }
}
