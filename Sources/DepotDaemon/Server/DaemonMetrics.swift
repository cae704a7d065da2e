import DepotStore
import Foundation
import Synchronization

/// The daemon's counters, shown by `GET /metrics` in the Prometheus text format.
public final class DaemonMetrics: Sendable {
    /// Upper bounds (seconds) of the request latency histogram's buckets.
    static let latencyBuckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    private struct Counters {
        var bytesDownloaded: Int64 = 0
        var verificationFailures = 0
        var latencyCounts = [Int](repeating: 0, count: DaemonMetrics.latencyBuckets.count)
        var requests = 0
        var latencySum = 0.0
    }

    private let counters = Mutex(Counters())

    public init() {}

    func addDownloaded(bytes: Int64) { counters.withLock { $0.bytesDownloaded += bytes } }
    func addVerificationFailure() { counters.withLock { $0.verificationFailures += 1 } }

    func observeRequest(seconds: Double) {
        counters.withLock { counters in
            counters.requests += 1
            counters.latencySum += seconds
            if let bucket = Self.latencyBuckets.firstIndex(where: { seconds <= $0 }) { counters.latencyCounts[bucket] += 1 }
        }
    }

    /// The exposition text, with `jobs` counted by state at the time of the request.
    func render(jobs: [JobState: Int]) -> String {
        let counters = counters.withLock { $0 }
        var lines: [String] = []
        lines.append("# HELP depot_downloaded_bytes_total Bytes that crossed the network for pulls the daemon completed.")
        lines.append("# TYPE depot_downloaded_bytes_total counter")
        lines.append("depot_downloaded_bytes_total \(counters.bytesDownloaded)")
        lines.append("# HELP depot_verification_failures_total Pulls that failed because a file's hash or size did not match.")
        lines.append("# TYPE depot_verification_failures_total counter")
        lines.append("depot_verification_failures_total \(counters.verificationFailures)")
        lines.append("# HELP depot_jobs Jobs in the catalog by state.")
        lines.append("# TYPE depot_jobs gauge")
        for state in JobState.allCases {
            lines.append("depot_jobs{state=\"\(state.rawValue)\"} \(jobs[state] ?? 0)")
        }
        lines.append("# HELP depot_http_request_duration_seconds Time to answer API requests (until the response head).")
        lines.append("# TYPE depot_http_request_duration_seconds histogram")
        var cumulative = 0
        for (bound, count) in zip(Self.latencyBuckets, counters.latencyCounts) {
            cumulative += count
            lines.append("depot_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(cumulative)")
        }
        lines.append("depot_http_request_duration_seconds_bucket{le=\"+Inf\"} \(counters.requests)")
        lines.append("depot_http_request_duration_seconds_sum \(counters.latencySum)")
        lines.append("depot_http_request_duration_seconds_count \(counters.requests)")
        return lines.joined(separator: "\n") + "\n"
    }
}
