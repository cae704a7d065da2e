/// What a pull is doing, for progress displays. Delivered from many tasks at once: handlers must be thread-safe.
public enum PullEvent: Sendable {
    /// The revision resolved and the file list is known.
    case planned(repo: String, commit: String, files: Int, bytes: Int64)
    /// A file started downloading (progress may start above zero when an earlier run left a partial).
    case fileStarted(path: String, size: Int64)
    case fileProgress(path: String, completed: Int64, total: Int64)
    case fileFinished(path: String, size: Int64, status: PulledFile.Status)
    /// Another process holds the file's lock; this pull waits for it.
    case waitingForLock(path: String)
}
