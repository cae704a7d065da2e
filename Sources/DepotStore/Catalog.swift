import Foundation
import GRDB

/// depot's SQLite catalog (`$DEPOT_HOME/catalog.sqlite`): which models and versions are installed,
/// their files and hashes, and the blobs they use.
///
/// It is a WAL-mode `DatabasePool`, so `depot list` reads while a pull writes, and several depot
/// processes may share it (writers wait up to 10 s for each other). Every change is one
/// transaction; a version appears only once all of its files were verified.
public final class Catalog: Sendable {
    /// The database file.
    public let path: String
    let pool: DatabasePool

    /// Opens (creating it and its folder if needed) the catalog at `path` and brings its schema up
    /// to date.
    public convenience init(path: String) throws {
        try self.init(path: path, migrateUpTo: nil)
    }

    /// Opens an existing catalog for reading only (`depot list`, `show`): no writer connection, so
    /// closing it costs no checkpoint or disk flush. Returns nil when there is no catalog yet
    /// (nothing was ever installed). A catalog from an older depot is upgraded first.
    public static func openForReading(path: String) throws -> Catalog? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let reader = try Catalog(path: path, readOnly: true)
        let upToDate = try reader.readSync("reading the schema version") { db in try Self.migrator.hasCompletedMigrations(db) }
        return upToDate ? reader : try Catalog(path: path)
    }

    private init(path: String, readOnly: Bool) throws {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.readonly = readOnly
            configuration.busyMode = .timeout(Self.busySeconds)
            pool = try Self.openPool(path: path, configuration: configuration)
        } catch {
            throw CatalogError.wrapping(error, context: "opening the catalog for reading", path: path)
        }
    }

    private func readSync<T>(_ context: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch {
            throw CatalogError.wrapping(error, context: context, path: path)
        }
    }

    /// Opens the catalog, applying migrations only up to `lastMigration` (for upgrade tests).
    init(path: String, migrateUpTo lastMigration: String?) throws {
        self.path = path
        do {
            try FileManager.default.createDirectory(
                atPath: PathString.parent(of: path), withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(Self.busySeconds)
            pool = try Self.openPool(path: path, configuration: configuration)
            if let lastMigration {
                try Self.withMigrationLock(path) { try Self.migrator.migrate(pool, upTo: lastMigration) }
            } else if try !pool.read(Self.migrator.hasCompletedMigrations) {
                // Only take the write lock when there is something to migrate: `depot list`
                // stays a pure reader (and works on a catalog it may not write).
                try Self.withMigrationLock(path) { try Self.migrator.migrate(pool) }
            }
        } catch {
            throw CatalogError.wrapping(error, context: "opening and migrating the catalog", path: path)
        }
    }

    /// How long a connection waits for another process's lock.
    static let busySeconds: TimeInterval = 10

    /// Opens the pool, waiting while another process holds the lock that switching a new database
    /// to WAL needs: SQLite answers that switch with SQLITE_BUSY at once, without its busy handler,
    /// so two depot processes creating the catalog together would otherwise fail one of them.
    private static func openPool(path: String, configuration: Configuration) throws -> DatabasePool {
        let deadline = Date().addingTimeInterval(busySeconds)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    /// Runs `body` holding an exclusive flock on `<catalog>.lock`. GRDB's migrator checks and applies
    /// migrations in separate steps, so two processes opening a new catalog at once would both try
    /// to create the tables; with the lock the second one finds them done.
    private static func withMigrationLock<T>(_ path: String, _ body: () throws -> T) throws -> T {
        let lockPath = path + ".lock"
        let fd = try SystemCall.openFile(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, mode: 0o644)
        defer { try? SystemCall.closeFile(fd, path: lockPath) }
        try SystemCall.lockFile(fd, LOCK_EX, path: lockPath)
        return try body()
    }

    /// The migrations applied to this catalog, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await read("reading the schema version") { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Transactions with context

    func read<T: Sendable>(_ context: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw CatalogError.wrapping(error, context: context, path: path)
        }
    }

    func write<T: Sendable>(_ context: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch {
            throw CatalogError.wrapping(error, context: context, path: path)
        }
    }
}
