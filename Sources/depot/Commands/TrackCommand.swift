import ArgumentParser
import DepotPull
import DepotStore
import DepotSync
import Foundation

/// `depot track`: keep a model current. The daemon (`depot serve`) checks the branch on schedule,
/// pulls a new commit and keeps the newest versions.
struct TrackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "track",
        abstract: "Keep a model current: the daemon pulls new commits of its branch and keeps the newest versions.",
        discussion: """
            Recorded in the catalog, so it works whether or not `depot serve` runs; the daemon starts \
            checking within 30 s. Pinned versions (`depot pin NAME@COMMIT`) are never removed.
            """
    )

    @Argument(help: ArgumentHelp("A registry name or repo id, optionally @BRANCH.", valueName: "NAME[@BRANCH]"))
    var model: String

    @Option(help: ArgumentHelp("How often to check the Hub: 30m, 6h, 1d, 1h30m.", valueName: "INTERVAL"))
    var every = TrackInterval.defaultInterval.description

    @Option(help: "How many of the newest versions to keep; older unpinned ones are removed after a new pull.")
    var keep = 2

    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var name: String
        var model: String
        var repo: String
        var revision: String
        var every: String
        var everySeconds: Int
        var keep: Int
        var nextCheckAt: Date
        var daemonRunning: Bool
        var daemonSocket: String

        enum CodingKeys: String, CodingKey {
            case name, model, repo, revision, every, keep
            case everySeconds = "every_seconds", nextCheckAt = "next_check_at"
            case daemonRunning = "daemon_running", daemonSocket = "daemon_socket"
        }
    }

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let interval = try TrackInterval(parsing: every)
            let service = try DepotService.fromEnvironment()
            let receipt = try await Tracking(service: service).track(model, every: interval, keep: keep)
            let socket = service.config.daemonSocket
            let running = DaemonSocketProbe.answers(at: socket)
            if output.json {
                try StandardStreams.printJSON(Report(
                    name: receipt.track.name, model: receipt.model, repo: receipt.repo, revision: receipt.revision,
                    every: interval.description, everySeconds: interval.seconds, keep: receipt.track.keep,
                    nextCheckAt: receipt.track.nextCheckAt, daemonRunning: running, daemonSocket: socket))
                return
            }
            print("tracking \(receipt.track.name) (\(receipt.repo)@\(receipt.revision)): every \(interval), "
                  + "the daemon checks for a new commit, pulls it, and keeps the newest \(receipt.track.keep) "
                  + "version\(receipt.track.keep == 1 ? "" : "s") of \(receipt.model) (pinned ones always stay)")
            if running {
                print("the daemon at \(socket) picks this up within 30 s")
            } else {
                print("no daemon answers at \(socket): run `depot serve` to start syncing")
            }
        }
    }
}

/// Whether something accepts connections on the daemon's Unix socket. One blocking connect on a
/// local socket: it answers or fails at once.
enum DaemonSocketProbe {
    static func answers(at path: String) -> Bool {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
            raw[path.utf8.count] = 0
        }
        #if os(Linux)
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_UNIX, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        return result == 0
    }
}
