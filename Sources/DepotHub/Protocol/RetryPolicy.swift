import Foundation

/// How often and how long to wait before retrying a transient failure
/// (connection errors, 408, 429, 5xx, stalls).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts after the first one.
    public var maxRetries: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Longest wait a `Retry-After` can ask for; a longer one is cut to this.
    public var maxRetryAfter: Double

    public init(maxRetries: Int = 5, baseDelay: Double = 0.5, maxDelay: Double = 20, maxRetryAfter: Double = 300) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait before retry number `retry` (0-based): exponential backoff with jitter in
    /// [half, full] of the step, or the server's `Retry-After` when it gave one.
    public func delay(forRetry retry: Int, retryAfter: Double? = nil) -> Double {
        if let retryAfter { return min(retryAfter, maxRetryAfter) }
        let step = min(maxDelay, baseDelay * pow(2, Double(min(retry, 30))))
        return step * Double.random(in: 0.5...1.0)
    }
}
