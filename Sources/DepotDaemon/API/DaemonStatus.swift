import Foundation

/// `GET /v1/status`: which daemon answers, since when, and its jobs.
public struct DaemonStatus: Sendable, Codable {
    public var address: String
    public var pid: Int32
    public var version: String
    public var startedAt: Date
    public var uptimeSeconds: Double
    public var maxJobs: Int
    public var jobs: [JobView]

    enum CodingKeys: String, CodingKey {
        case address, pid, version, jobs
        case startedAt = "started_at", uptimeSeconds = "uptime_s", maxJobs = "max_jobs"
    }
}
