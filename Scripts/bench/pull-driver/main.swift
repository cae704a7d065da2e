// The benchmark's stand-in for `depot pull` of one file, until the CLI exists: resolves main,
// lists the repository, downloads one file through HubClient.download (hashing as bytes
// arrive, verifying), and installs it by rename. Prints one JSON line.
//
// Usage: depot-pull-driver REPO PATH OUT_DIR   (HF_ENDPOINT / HF_TOKEN from the environment;
// DEPOT_CONNECTIONS overrides the number of parallel connections)
import DepotHub
import DepotStore
import Foundation

@main
struct PullDriver {
    static func main() async {
        let arguments = CommandLine.arguments
        guard arguments.count == 4 else {
            FileHandle.standardError.write(Data("usage: depot-pull-driver REPO PATH OUT_DIR\n".utf8))
            exit(2)
        }
        let (repo, path, output) = (arguments[1], arguments[2], URL(fileURLWithPath: arguments[3]))
        do {
            // The same settings depot itself reads (HF_ENDPOINT, HF_TOKEN, DEPOT_CONNECTIONS...).
            let settings = try DepotConfig.load()
            let configuration = HubConfiguration(endpoint: settings.endpoint, token: settings.token,
                                                 connections: settings.connectionsPerFile,
                                                 parallelThreshold: settings.parallelThresholdBytes, chunkSize: settings.chunkSizeBytes)
            let client = HubClient(configuration: configuration)
            let commit = try await client.revision(repo: repo, revision: "main").commit
            guard let file = try await client.listFiles(repo: repo, commit: commit).first(where: { $0.path == path }),
                  let expected = file.expectedHash
            else {
                throw HubError.entryNotFound(repo: repo, revision: commit, path: path, url: configuration.endpoint)
            }
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            let target = output.appendingPathComponent((path as NSString).lastPathComponent)
            let partial = URL(fileURLWithPath: target.path + ".incomplete")
            let result = try await client.download(DownloadRequest(
                repo: repo, commit: commit, path: path, size: file.size, expectedHash: expected, partialFile: partial))
            guard rename(partial.path, target.path) == 0 else {
                throw HubError.fileSystem(path: target.path, reason: String(cString: strerror(errno)))
            }
            print(#"{"path": "\#(path)", "sha256": "\#(result.sha256)", "bytes_transferred": \#(result.bytesTransferred), "bytes_resumed": \#(result.bytesResumed)}"#)
        } catch {
            FileHandle.standardError.write(Data("depot-pull-driver: \(error)\n".utf8))
            exit(1)
        }
    }
}
