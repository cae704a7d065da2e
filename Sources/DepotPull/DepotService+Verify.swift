import DepotCore
import DepotStore
import Foundation

/// The outcome of `depot verify`: the `--json` shape in docs/cli-json.md.
public struct VerifyReport: Sendable, Codable {
    public struct Version: Sendable, Codable {
        public var name: String
        public var repo: String
        public var commit: String
        public var ok: Bool
        public var problems: [Problem]
    }

    public struct Problem: Sendable, Codable {
        public var path: String
        public var blob: String
        public var problem: String
        public var expectedSHA256: String
        public var actualSHA256: String?

        enum CodingKeys: String, CodingKey {
            case path, blob, problem
            case expectedSHA256 = "expected_sha256", actualSHA256 = "actual_sha256"
        }
    }

    public var ok: Bool
    public var filesChecked: Int
    public var bytesChecked: Int64
    public var versions: [Version]

    enum CodingKeys: String, CodingKey {
        case ok, versions
        case filesChecked = "files_checked", bytesChecked = "bytes_checked"
    }
}

extension DepotService {
    /// Re-hashes every file of the installed versions of `name` (all versions when nil), compares
    /// with the SHA-256 recorded at pull time, and marks the versions that pass as verified.
    public func verify(name: String?, progress: @escaping @Sendable (String, Int64) -> Void = { _, _ in }) async throws -> VerifyReport {
        let versions = if let name { try await installedVersions(named: name) } else { try await catalog.installedVersions() }
        var report = VerifyReport(ok: true, filesChecked: 0, bytesChecked: 0, versions: [])
        for version in versions {
            var problems: [VerifyReport.Problem] = []
            for file in try await catalog.files(ofVersion: version.id) {
                let blob = try layout.blobPath(repo: version.repo, etag: file.etag)
                progress(file.path, file.size)
                report.filesChecked += 1
                let digest: ContentDigest
                do {
                    digest = try ContentHasher.digest(ofFileAt: blob)
                } catch {
                    problems.append(.init(path: file.path, blob: blob, problem: "missing", expectedSHA256: file.sha256, actualSHA256: nil))
                    continue
                }
                report.bytesChecked += digest.size
                if digest.size != file.size {
                    problems.append(.init(path: file.path, blob: blob, problem: "size mismatch: expected \(file.size) bytes, found \(digest.size)",
                                          expectedSHA256: file.sha256, actualSHA256: digest.sha256))
                } else if digest.sha256 != file.sha256 {
                    problems.append(.init(path: file.path, blob: blob, problem: "hash mismatch",
                                          expectedSHA256: file.sha256, actualSHA256: digest.sha256))
                }
            }
            // A broken version is pulled again in full by the next pull: bad blobs are re-downloaded.
            try await catalog.recordVerification(ofVersion: version.id, passed: problems.isEmpty)
            report.ok = report.ok && problems.isEmpty
            report.versions.append(.init(name: version.name, repo: version.repo, commit: version.commit,
                                         ok: problems.isEmpty, problems: problems))
        }
        return report
    }

    /// Installed versions of a model by name or repo id, optionally `NAME@COMMIT-PREFIX`.
    public func installedVersions(named reference: String) async throws -> [InstalledVersion] {
        let (name, commitPrefix) = Self.splitAtCommit(reference)
        let versions = try await catalog.findVersions(nameOrRepo: name)
        guard !versions.isEmpty else { throw PullError.notInstalled(name: name) }
        guard let commitPrefix else { return versions }
        let chosen = versions.filter { $0.commit.hasPrefix(commitPrefix.lowercased()) }
        guard !chosen.isEmpty else {
            throw PullError.versionNotFound(name: name, commit: commitPrefix, installed: versions.map(\.commit))
        }
        return chosen
    }

    static func splitAtCommit(_ reference: String) -> (String, String?) {
        guard let at = reference.lastIndex(of: "@") else { return (reference, nil) }
        return (String(reference[..<at]), String(reference[reference.index(after: at)...]))
    }
}
