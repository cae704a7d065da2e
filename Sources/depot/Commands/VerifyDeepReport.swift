import DepotInspect
import DepotPull
import Foundation

/// `depot verify --deep --json`: the hash report's fields, with each version's structural check.
struct DeepVerifyReport: Encodable {
    struct Version: Encodable {
        var name: String
        var repo: String
        var commit: String
        var ok: Bool
        var problems: [VerifyReport.Problem]
        var structure: StructuralCheck.Report
    }

    var ok: Bool
    var filesChecked: Int
    var bytesChecked: Int64
    var versions: [Version]

    enum CodingKeys: String, CodingKey {
        case ok, versions
        case filesChecked = "files_checked", bytesChecked = "bytes_checked"
    }

    init(hashes: VerifyReport, snapshot: (VerifyReport.Version) async throws -> URL) async throws {
        filesChecked = hashes.filesChecked
        bytesChecked = hashes.bytesChecked
        versions = []
        for version in hashes.versions {
            let structure = StructuralCheck.run(try await snapshot(version))
            versions.append(Version(name: version.name, repo: version.repo, commit: version.commit, ok: version.ok && structure.ok,
                                    problems: version.problems, structure: structure))
        }
        ok = hashes.ok && versions.allSatisfy(\.ok)
    }
}

enum VerifyRendering {
    static func printHashes(_ report: VerifyReport) {
        for version in report.versions {
            print("\(version.ok ? "ok  " : "BAD ") \(version.name) \(version.repo)@\(version.commit.prefix(10))")
            printProblems(version.problems)
        }
        print(summary(files: report.filesChecked, bytes: report.bytesChecked, ok: report.ok))
    }

    static func printDeep(_ report: DeepVerifyReport) {
        for version in report.versions {
            print("\(version.ok ? "ok  " : "BAD ") \(version.name) \(version.repo)@\(version.commit.prefix(10))  (\(version.structure.kind), \(version.structure.filesChecked.count) weight files checked)")
            printProblems(version.problems)
            for finding in version.structure.findings {
                print("     \(finding.severity == .error ? "ERROR" : "warn ") \(finding)")
            }
        }
        print(summary(files: report.filesChecked, bytes: report.bytesChecked, ok: report.ok))
    }

    static func printStructure(_ report: StructuralCheck.Report, title: String) {
        print("\(report.ok ? "ok  " : "BAD ") \(title)  (\(report.kind), \(report.filesChecked.count) weight files checked)")
        for finding in report.findings {
            print("     \(finding.severity == .error ? "ERROR" : "warn ") \(finding)")
        }
    }

    private static func printProblems(_ problems: [VerifyReport.Problem]) {
        for problem in problems {
            print("     \(problem.path): \(problem.problem) (blob \(problem.blob); expected sha256 \(problem.expectedSHA256)\(problem.actualSHA256.map { ", found \($0)" } ?? ""))")
        }
    }

    private static func summary(files: Int, bytes: Int64, ok: Bool) -> String {
        "\(files) files, \(Format.bytes(bytes)) checked: \(ok ? "all good" : "problems found; `depot pull NAME` downloads the bad files again")"
    }
}
