import DepotPull

/// What a bundle is doing, for progress displays (delivered from several tasks: handlers must be thread-safe).
public enum BundleEvent: Sendable {
    /// Progress of a model pulled because it was not installed.
    case pull(PullEvent)
    /// Another process is extracting the same archive; this bundle waits for it, then reuses its folder.
    case waitingForExtraction(archive: String)
    /// This bundle is extracting the archive (once; later bundles reuse the folder).
    case extracting(archive: String, bytes: Int64)
}
