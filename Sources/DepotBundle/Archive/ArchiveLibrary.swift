import CArchive

/// libarchive is opened when the first archive is read, not linked: commands that never extract
/// do not map it (nor libxml2, ICU and the compression libraries) and run where it is not installed.
enum ArchiveLibrary {
    /// Opens `soname` (the usual names when nil, which does nothing once open); the first library
    /// that opens serves the process.
    static func load(soname: String? = nil) throws(ArchiveError) {
        var message = [CChar](repeating: 0, count: 512)
        guard depot_archive_load(soname, &message, message.count) != 0 else { return }
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw .libraryUnavailable(soname: soname ?? DEPOT_ARCHIVE_SONAME, reason: reason, install: DEPOT_ARCHIVE_INSTALL)
    }
}
