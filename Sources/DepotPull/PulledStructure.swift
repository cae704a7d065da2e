import DepotInspect
import Foundation

/// The structural check a pull runs on a new snapshot before recording it.
enum PulledStructure {
    /// Runs ``StructuralCheck`` on the snapshot; errors fail the pull. A file filter (`--include`,
    /// `--exclude`, a registry variant) leaves parts of a repository out on purpose, so "this is
    /// absent" findings under a path the filter dropped are expected and not reported.
    static func check(snapshot: String, repo: String, commit: String, filteredOut: [String]) throws -> StructuralCheck.Report {
        var report = StructuralCheck.run(URL(fileURLWithPath: snapshot, isDirectory: true))
        report.findings.removeAll { isAbsenceCausedByFilter($0, filteredOut: filteredOut) }
        let errors = report.findings.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw PullError.structureInvalid(repo: repo, commit: commit, findings: errors.map(\.description))
        }
        return report
    }

    private static let absenceMarkers = ["no such folder", "no such file", "no weights"]

    private static func isAbsenceCausedByFilter(_ finding: Finding, filteredOut: [String]) -> Bool {
        guard let found = finding.found, absenceMarkers.contains(found) else { return false }
        let path = finding.file
        return filteredOut.contains { $0 == path || (path.hasSuffix("/") && $0.hasPrefix(path)) }
    }
}
