import DepotCore
import Foundation
import GRDB

/// A DATETIME column's value: GRDB's text form (`2026-11-27 01:02:03.456`, UTC), written and read
/// by UTCTimestamp instead of GRDB's Date conversion, which goes through Foundation's
/// DateFormatter and Calendar and so loads ICU's locale and time zone data into the daemon.
/// Catalogs written with GRDB's conversion read the same.
struct CatalogDate: DatabaseValueConvertible {
    let date: Date

    init(_ date: Date) { self.date = date }

    var databaseValue: DatabaseValue { UTCTimestamp(date).formatted(.sqlite).databaseValue }

    static func fromDatabaseValue(_ dbValue: DatabaseValue) -> CatalogDate? {
        switch dbValue.storage {
        case .string(let text): return UTCTimestamp.parse(text, .sqlite).map(CatalogDate.init)
        // GRDB reads numbers as seconds since 1970.
        case .int64(let seconds): return CatalogDate(Date(timeIntervalSince1970: Double(seconds)))
        case .double(let seconds): return CatalogDate(Date(timeIntervalSince1970: seconds))
        case .null, .blob: return nil
        }
    }
}

extension Date {
    var catalogValue: CatalogDate { CatalogDate(self) }
}

extension Row {
    /// The date in a NOT NULL DATETIME column.
    func date(_ column: String) -> Date { (self[column] as CatalogDate).date }

    func optionalDate(_ column: String) -> Date? { (self[column] as CatalogDate?)?.date }
}
