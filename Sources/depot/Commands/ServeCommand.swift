import ArgumentParser
import DepotDaemon
import DepotStore
import Foundation

/// `depot serve`: the daemon that owns downloads (they survive the terminal that asked, and resume after a crash).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the depot daemon: a job queue for pulls and the HTTP API of docs/API.md.",
        discussion: """
            By default the daemon listens on the Unix socket $DEPOT_HOME/depot.sock (mode 0600), and \
            `depot pull`, `list` and `rm` go through it while it runs. --listen HOST:PORT serves TCP \
            instead; an address other than loopback needs a token (--token or DEPOT_TOKEN) that every \
            request sends as `Authorization: Bearer TOKEN`. SIGTERM or Ctrl-C stops it: running pulls \
            keep their partial files and resume at the next start.

            Examples:
              depot serve
              depot serve --listen 127.0.0.1:7860
              DEPOT_TOKEN=secret depot serve --listen 0.0.0.0:7860
            """
    )

    @Option(name: .long, help: ArgumentHelp("Serve TCP on this address instead of the Unix socket.", valueName: "HOST:PORT"))
    var listen: String?

    @Option(name: .long, help: ArgumentHelp("The token requests must carry (default: DEPOT_TOKEN).", valueName: "TOKEN"))
    var token: String?

    @Option(name: .long, help: ArgumentHelp("Pulls to run at once (default: daemon_max_jobs, 2).", valueName: "N"))
    var maxJobs: Int?

    @Option(name: .long, help: ArgumentHelp("Files each pull fetches at once.", valueName: "M"))
    var jobConnections = 4

    func run() async throws {
        DaemonProcessTuning.apply()
        try await reportingErrors(json: false) {
            let config = try DepotConfig.load()
            let address = try listen.map { try DaemonAddress(listen: $0) } ?? .unixSocket(path: config.daemonSocket)
            let environmentToken = ProcessInfo.processInfo.environment["DEPOT_TOKEN"]
            let options = DaemonServer.Options(
                address: address, token: token ?? (environmentToken?.isEmpty == false ? environmentToken : nil),
                maxJobs: maxJobs ?? config.daemonMaxJobs, connectionsPerJob: jobConnections)
            let server = try DaemonServer(options: options, config: config)
            try await server.run { bound in
                StandardStreams.printError("depot serve: listening on \(bound) (pid \(getpid())); stop with Ctrl-C or SIGTERM")
            }
        }
    }
}
