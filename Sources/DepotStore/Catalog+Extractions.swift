import Foundation
import GRDB

/// One file of an extracted archive: its path inside the extraction folder, size and SHA-256
/// (hashed from the bytes as they were written).
public struct ExtractedFile: Sendable, Codable, Equatable {
    public var path: String
    public var size: Int64
    public var sha256: String

    public init(path: String, size: Int64, sha256: String) {
        self.path = path
        self.size = size
        self.sha256 = sha256
    }
}

/// An archive extracted into `folder`, recorded against the archive's blob.
public struct ExtractionRecord: Sendable, Equatable {
    public var archiveSHA256: String
    public var folder: String
    public var files: [ExtractedFile]
    public var extractedAt: Date
}

extension Catalog {
    /// Records (or replaces) the extraction of the archive whose content hash is `archiveSHA256`.
    /// The archive must be the blob of a recorded version's file; otherwise nothing is recorded
    /// and a `CatalogError` says so.
    public func recordExtraction(archiveSHA256: String, folder: String, files: [ExtractedFile], at date: Date = Date()) async throws {
        try await write("recording the extraction of archive \(archiveSHA256) into \(folder)") { db in
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = ?)", arguments: [archiveSHA256]) == true else {
                throw CatalogError.invalidExtraction(archiveSHA256: archiveSHA256, reason: "no installed version holds that archive")
            }
            try db.execute(sql: "DELETE FROM extractions WHERE archive_sha256 = ?", arguments: [archiveSHA256])
            try db.execute(sql: "INSERT INTO extractions (archive_sha256, folder, bytes, file_count, extracted_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [archiveSHA256, folder, files.reduce(0) { $0 + $1.size }, files.count, date.catalogValue])
            let insert = try db.makeStatement(sql: "INSERT INTO extracted_files (archive_sha256, path, size, sha256) VALUES (?, ?, ?, ?)")
            for file in files { try insert.execute(arguments: [archiveSHA256, file.path, file.size, file.sha256]) }
        }
    }

    /// The recorded extraction of an archive, or nil when there is none.
    public func extraction(ofArchive archiveSHA256: String) async throws -> ExtractionRecord? {
        try await read("reading the extraction of archive \(archiveSHA256)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT folder, extracted_at FROM extractions WHERE archive_sha256 = ?",
                                             arguments: [archiveSHA256]) else { return nil }
            let files = try Row.fetchAll(db, sql: "SELECT path, size, sha256 FROM extracted_files WHERE archive_sha256 = ? ORDER BY path",
                                         arguments: [archiveSHA256])
                .map { ExtractedFile(path: $0["path"], size: $0["size"], sha256: $0["sha256"]) }
            return ExtractionRecord(archiveSHA256: archiveSHA256, folder: row["folder"], files: files, extractedAt: row.date("extracted_at"))
        }
    }

    /// The archives with a recorded extraction (by SHA-256): what gc keeps.
    public func extractedArchives() async throws -> Set<String> {
        try await read("listing extracted archives") { db in
            Set(try String.fetchAll(db, sql: "SELECT archive_sha256 FROM extractions"))
        }
    }

    /// Forgets an extraction (its folder went missing or is being removed).
    public func removeExtractionRecord(archiveSHA256: String) async throws {
        try await write("forgetting the extraction of archive \(archiveSHA256)") { db in
            try db.execute(sql: "DELETE FROM extractions WHERE archive_sha256 = ?", arguments: [archiveSHA256])
        }
    }
}
