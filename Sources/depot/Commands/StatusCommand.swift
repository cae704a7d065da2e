import ArgumentParser
import DepotDaemon
import DepotStore
import Foundation

/// `depot status`: the daemon that runs (if any) and its jobs.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the running depot daemon and its jobs."
    )

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await reportingErrors(json: output.json) {
            let config = try DepotConfig.load()
            guard let client = await DaemonClient.running(config: config) else {
                if output.json {
                    try StandardStreams.printJSON(["running": false])
                } else {
                    print("No depot daemon runs (socket \(config.daemonSocket)). Start one with `depot serve` (or `systemctl --user start depot`).")
                }
                return
            }
            let status = try await client.status()
            if output.json {
                try StandardStreams.printJSON(status)
                return
            }
            print("depot daemon \(status.version) on \(status.address), pid \(status.pid), up \(Format.duration(status.uptimeSeconds)), at most \(status.maxJobs) jobs at once")
            guard !status.jobs.isEmpty else {
                print("No jobs. Queue one with `depot pull NAME`.")
                return
            }
            var table = TextTable(header: ["JOB", "KIND", "STATE", "NAME", "REVISION/OUTPUT", "PROGRESS", "RATE", "UPDATED"])
            for job in status.jobs {
                let progress = job.bytesTotal.map { "\(Format.bytes(job.bytesDone)) / \(Format.bytes($0))" } ?? Format.bytes(job.bytesDone)
                table.rows.append([String(job.id), job.kind.rawValue, job.state.rawValue, job.name, job.output ?? job.revision, progress,
                                   job.rate.map(Format.rate) ?? "-", Format.timestamp(job.updatedAt)])
            }
            print(table.render())
            for job in status.jobs where job.state == .failed {
                if let error = job.error { print("job \(job.id): \(error)") }
            }
        }
    }
}
