import DepotStore
import Foundation

/// One row of `depot list --json`.
public struct InstalledVersionSummary: Sendable, Codable {
    public var name: String
    public var repo: String
    public var kind: String
    public var commit: String
    public var revision: String
    public var files: Int
    public var bytes: Int64
    public var pulledAt: Date
    public var verified: Bool
    public var verifiedAt: Date?
    /// `pass` or `fail` from the last `depot smoke`, nil when never smoke-tested.
    public var smoke: String?
    public var smokeAt: Date?

    enum CodingKeys: String, CodingKey {
        case name, repo, kind, commit, revision, files, bytes, verified, smoke
        case pulledAt = "pulled_at", verifiedAt = "verified_at", smokeAt = "smoke_at"
    }
}

/// `depot show --json`: a model's installed versions with their files.
public struct ModelDetails: Sendable, Codable {
    public struct Version: Sendable, Codable {
        public var commit: String
        public var revision: String
        public var pulledAt: Date
        public var verifiedAt: Date?
        public var bytes: Int64
        public var snapshot: String
        public var files: [File]

        enum CodingKeys: String, CodingKey {
            case commit, revision, bytes, snapshot, files
            case pulledAt = "pulled_at", verifiedAt = "verified_at"
        }
    }

    public struct File: Sendable, Codable {
        public var path: String
        public var size: Int64
        public var sha256: String
        public var etag: String
        public var lfs: Bool
        public var blob: String
    }

    public var name: String
    public var repo: String
    public var kind: String
    public var versions: [Version]
}

extension DepotService {
    /// Every installed version, newest first.
    public func listInstalled() async throws -> [InstalledVersionSummary] {
        try await catalog.installedVersions().sorted { $0.pulledAt > $1.pulledAt }.map {
            InstalledVersionSummary(name: $0.name, repo: $0.repo, kind: $0.kind, commit: $0.commit, revision: $0.revision,
                                    files: $0.fileCount, bytes: $0.bytes, pulledAt: $0.pulledAt,
                                    verified: $0.state == .installed, verifiedAt: $0.verifiedAt,
                                    smoke: $0.smokePassed.map { $0 ? "pass" : "fail" }, smokeAt: $0.smokeAt)
        }
    }

    /// The installed versions of one model (name or repo id, optionally @COMMIT) with their files.
    public func show(_ reference: String) async throws -> ModelDetails {
        let versions = try await installedVersions(named: reference)
        let first = versions[0]
        var details = ModelDetails(name: first.name, repo: first.repo, kind: first.kind, versions: [])
        for version in versions {
            details.versions.append(ModelDetails.Version(
                commit: version.commit, revision: version.revision, pulledAt: version.pulledAt,
                verifiedAt: version.verifiedAt, bytes: version.bytes,
                snapshot: try layout.snapshotFolder(repo: version.repo, commit: version.commit),
                files: try await catalog.files(ofVersion: version.id).map {
                    ModelDetails.File(path: $0.path, size: $0.size, sha256: $0.sha256, etag: $0.etag, lfs: $0.isLFS,
                                      blob: try layout.blobPath(repo: version.repo, etag: $0.etag))
                }))
        }
        return details
    }
}

extension DepotService {
    /// The snapshot folder of an installed model's newest version (or of NAME@COMMIT): the folder
    /// the runner and the bundler read.
    public func snapshotFolder(of reference: String) async throws -> URL {
        let version = try await installedVersions(named: reference)[0]
        return URL(fileURLWithPath: try layout.snapshotFolder(repo: version.repo, commit: version.commit), isDirectory: true)
    }

    /// Records a smoke test's outcome against the installed version `reference` names (the newest one).
    public func recordSmoke(of reference: String, passed: Bool, detail: String) async throws {
        let version = try await installedVersions(named: reference)[0]
        try await catalog.recordSmoke(ofVersion: version.id, passed: passed, detail: detail)
    }
}
