import CCurl
import DepotCore
import Foundation

/// Hashes a partial file in order while it is being written, reading each byte once it is part
/// of the contiguous written prefix, so hashing overlaps the transfer (and covers resumed bytes).
enum PrefixHasher {
    struct Digests: Sendable {
        var sha256: String
        var gitBlobSHA1: String?
    }

    private static let writebackStep: Int64 = 32 << 20

    /// Runs on a boundary thread; nil when the download stopped first or the file cannot be read.
    static func hash(fileDescriptor: Int32, state: DownloadState, withGitSHA1: Bool) -> Digests? {
        let size = state.size
        var hasher = ContentHasher(gitBlobSize: withGitSHA1 ? size : nil)
        let bufferSize = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 4096)
        defer { buffer.deallocate() }
        var hashed: Int64 = 0
        var writtenBack: Int64 = 0
        while hashed < size {
            guard let available = state.waitForContiguous(beyond: hashed) else { return nil }
            while hashed < available {
                let wanted = Int(min(Int64(bufferSize), available - hashed))
                let count = pread(fileDescriptor, buffer.baseAddress, wanted, off_t(hashed))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return nil }
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                hasher.update(bytes)
                hashed += Int64(count)
            }
            // The caller will fsync the file before installing it: start writing hashed bytes to
            // disk now, while the rest downloads.
            if hashed - writtenBack >= writebackStep || hashed == size {
                _ = depot_start_writeback(fileDescriptor, writtenBack, hashed - writtenBack)
                writtenBack = hashed
            }
        }
        let digest = hasher.finalize()
        return Digests(sha256: digest.sha256, gitBlobSHA1: digest.gitSHA1)
    }
}
