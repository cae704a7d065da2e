import CArchive
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place DepotBundle calls libarchive (opened on first use, see `ArchiveLibrary`): a
/// streaming reader over an archive file. Blocking; used from one task at a time.
final class ArchiveReader {
    enum EntryType { case file, directory, symlink(String), hardlink(String), special }

    struct Entry {
        var path: String
        var type: EntryType
        /// The size the header declares (nil when unset).
        var declaredSize: Int64?
    }

    private let handle: OpaquePointer
    let path: String
    /// The archive mapped into memory, which libarchive decodes in place (no read(2) copy).
    private var mapping: (address: UnsafeMutableRawPointer, size: Int)?

    /// - Parameter checkEntryCRC: false skips computing and checking zip entries' CRC-32, for an
    ///   archive whose bytes were already verified as a whole (its SHA-256).
    init(path: String, checkEntryCRC: Bool = true) throws(ArchiveError) {
        try ArchiveLibrary.load()
        guard let handle = depot_archive_read_new() else { throw .unreadable(archive: path, reason: "libarchive could not allocate a reader") }
        self.handle = handle
        self.path = path
        depot_archive_read_support_format_zip(handle)
        depot_archive_read_support_format_tar(handle)
        depot_archive_read_support_filter_all(handle)
        if !checkEntryCRC { depot_archive_read_set_format_option(handle, "zip", "ignorecrc32", "1") }
        mapping = Self.map(path)
        let status = mapping.map { depot_archive_read_open_memory(handle, $0.address, $0.size) }
            ?? depot_archive_read_open_filename(handle, path, 1 << 20)
        if status != ARCHIVE_OK {
            let reason = lastError
            depot_archive_read_free(handle)
            if let mapping { munmap(mapping.address, mapping.size) }
            throw .unreadable(archive: path, reason: reason)
        }
    }

    deinit {
        depot_archive_read_free(handle)
        if let mapping { munmap(mapping.address, mapping.size) }
    }

    /// A read-only private mapping of the whole file, read sequentially; nil when it cannot be
    /// mapped (empty, not a regular file), and the caller reads it instead. The archives
    /// extracted are store blobs, which are never written in place, so the mapping stays valid.
    private static func map(_ path: String) -> (address: UnsafeMutableRawPointer, size: Int)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else { return nil }
        _ = madvise(address, size, MADV_SEQUENTIAL)
        return (address, size)
    }

    private var lastError: String {
        depot_archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    /// The next entry's header, or nil at the end.
    func next() throws(ArchiveError) -> Entry? {
        var entry: OpaquePointer?
        let status = depot_archive_read_next_header(handle, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry else { throw .unreadable(archive: path, reason: lastError) }
        let name = (depot_archive_entry_pathname_utf8(entry) ?? depot_archive_entry_pathname(entry)).map { String(cString: $0) } ?? ""
        let type: EntryType
        if let target = depot_archive_entry_hardlink(entry) {
            type = .hardlink(String(cString: target))
        } else {
            switch depot_archive_entry_filetype(entry) & 0o170000 {
            case 0o100000: type = .file
            case 0o040000: type = .directory
            case 0o120000: type = .symlink(depot_archive_entry_symlink(entry).map { String(cString: $0) } ?? "")
            default: type = .special
            }
        }
        return Entry(path: name, type: type, declaredSize: depot_archive_entry_size_is_set(entry) != 0 ? depot_archive_entry_size(entry) : nil)
    }

    /// Streams the current entry's data in the blocks libarchive decodes into (no extra copy, and
    /// small enough to stay in cache while they are hashed and written); `body` sees each block
    /// with its offset in the entry.
    func readBlocks(_ body: (UnsafeRawBufferPointer, Int64) throws(ArchiveError) -> Void) throws(ArchiveError) {
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = depot_archive_read_data_block(handle, &block, &size, &offset)
            if status == ARCHIVE_EOF { return }
            // A data read warns about damage (a zip entry's bad CRC-32): the bytes are wrong, so it is an error.
            guard status == ARCHIVE_OK else { throw .unreadable(archive: path, reason: lastError) }
            if size > 0, let block { try body(UnsafeRawBufferPointer(start: block, count: size), Int64(offset)) }
        }
    }
}
