import GRDB

/// Errors of the SQLite catalog. Each names what depot was doing and, for SQLite failures, the
/// statement and the database file.
public enum CatalogError: Error, Sendable, CustomStringConvertible {
    /// SQLite refused something; `context` says what depot was doing.
    case database(context: String, path: String, sql: String?, message: String)
    /// A version to record is incomplete or inconsistent (caught before anything is written).
    case invalidVersion(name: String, reason: String)
    /// No version has this id (it was removed meanwhile).
    case versionNotFound(id: Int64)
    /// No daemon job has this id.
    case jobNotFound(id: Int64)
    /// An extraction cannot be recorded (its archive is no recorded version's file).
    case invalidExtraction(archiveSHA256: String, reason: String)

    public var description: String {
        switch self {
        case .database(let context, let path, let sql, let message):
            let statement = sql.map { " in `\($0)`" } ?? ""
            return "Catalog \(path): \(context) failed: \(message)\(statement). "
                + "If the file is damaged, move it away; `depot pull` rebuilds it for new pulls."
        case .invalidVersion(let name, let reason):
            return "Cannot record \(name): \(reason)."
        case .versionNotFound(let id):
            return "No installed version with id \(id); run `depot list` to see what is installed."
        case .jobNotFound(let id):
            return "No job with id \(id); it may have been cleaned up."
        case .invalidExtraction(let sha256, let reason):
            return "Cannot record the extraction of archive \(sha256): \(reason); pull the model that ships it, then bundle again."
        }
    }

    static func wrapping(_ error: any Error, context: String, path: String) -> any Error {
        if let error = error as? DatabaseError {
            return CatalogError.database(context: context, path: path, sql: error.sql, message: error.message ?? "\(error.resultCode)")
        }
        return error
    }
}
