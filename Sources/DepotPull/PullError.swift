import Foundation

/// Why a pull, verify, rm or show could not do what was asked, and what to do about it.
public enum PullError: Error, Sendable, CustomStringConvertible {
    case offlineNotInstalled(name: String, revision: String)
    case noFilesMatched(repo: String, commit: String, filter: String)
    case unverifiableFile(repo: String, path: String)
    case notInstalled(name: String)
    case versionNotFound(name: String, commit: String, installed: [String])
    case knownHashMismatch(repo: String, path: String, expected: String, actual: String)
    case structureInvalid(repo: String, commit: String, findings: [String])

    public var description: String {
        switch self {
        case .offlineNotInstalled(let name, let revision):
            return "\(name)@\(revision) is not installed, and HF_HUB_OFFLINE=1 forbids downloading it: unset HF_HUB_OFFLINE to pull it"
        case .noFilesMatched(let repo, let commit, let filter):
            return "no file of \(repo)@\(commit.prefix(10)) passes the file filter (\(filter)): check the --include/--exclude globs (`*` also matches `/`)"
        case .unverifiableFile(let repo, let path):
            return "\(repo): the Hub gave no hash for \(path), so it cannot be verified; refusing to install it"
        case .notInstalled(let name):
            return "\(name) is not installed: `depot list` shows what is, `depot pull \(name)` installs it"
        case .knownHashMismatch(let repo, let path, let expected, let actual):
            return "\(repo): \(path) has SHA-256 \(actual), but depot's registry knows it as \(expected); the repository changed this file. Pin a revision with NAME@COMMIT or update the registry."
        case .structureInvalid(let repo, let commit, let findings):
            return "\(repo)@\(commit.prefix(10)): every file matches the Hub byte for byte, but the model is not whole or not consistent, so it was not installed:\n"
                + findings.map { "  - \($0)" }.joined(separator: "\n")
                + "\nReport it to the repository's owner, pick another revision with NAME@COMMIT, or install it anyway with --skip-structure-check."
        case .versionNotFound(let name, let commit, let installed):
            return "no installed version of \(name) has a commit starting with \(commit); installed: \(installed.map { String($0.prefix(10)) }.joined(separator: ", "))"
        }
    }
}
