import DepotCore
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an extraction's file bytes go: written at once from the decoder's own block (still hot in
/// this core's cache), and copied into a pooled chunk that a second thread hashes (SHA-256), so
/// the hash comes from the bytes being written, never from reading the file back, and costs the
/// writing thread one in-cache copy. Digests come back in the order the files were begun.
///
/// Measured here (Scripts/bench/bundle): writing from chunks on a third thread instead made the
/// kernel's copy into the page cache several times slower (the chunk is cold in the writer's cache).
final class ExtractionSink: @unchecked Sendable {
    private enum HashCommand {
        case update(ChunkPool.Chunk)
        case end
    }

    private let pool: ChunkPool
    private var hasher: SerialWorker<HashCommand>!
    // The hasher thread's; read after `drain`.
    private var hashing = ContentHasher()
    private var digests: [ContentDigest] = []
    // The calling thread's.
    private var current: ChunkPool.Chunk?
    private var fd: Int32 = -1
    private var path = ""
    private var stopped = false

    /// 2 MiB in flight by default: small chunks stay in cache between the copy and the hash; on this
    /// 2-core machine under load larger pools (16-64 MiB) measured no better.
    init(chunks: Int = 16, chunkSize: Int = 128 << 10) {
        pool = ChunkPool(chunks: chunks, capacity: chunkSize)
        hasher = SerialWorker(name: "depot.extract.hash") { [unowned self] in self.run($0) }
    }

    /// Starts a file whose descriptor the caller opened; ``end()`` closes it.
    func begin(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Writes `block` to the current file and queues a copy of it for hashing.
    func append(_ block: UnsafeRawBufferPointer) throws(ArchiveError) {
        try Self.writeAll(fd, block, path: path)
        var rest = block
        while !rest.isEmpty {
            let chunk = current ?? pool.take()
            current = chunk
            rest = UnsafeRawBufferPointer(rebasing: rest[chunk.append(rest)...])
            if chunk.space == 0 { flush() }
        }
    }

    /// Ends the current file: closes it and queues the end of its hash.
    func end() {
        guard fd >= 0 else { return }
        flush()
        hasher.send(.end)
        close(fd)
        fd = -1
    }

    /// Waits for every queued hash; the digests of the files in the order they were begun.
    func finish() -> [ContentDigest] {
        end()
        hasher.drain()
        return digests
    }

    /// Closes what is open and ends the hashing thread (also after an error, with work still queued).
    func shutdown() {
        guard !stopped else { return }
        stopped = true
        end()
        hasher.stop()
    }

    private func flush() {
        guard let chunk = current, chunk.count > 0 else { return }
        pool.share(chunk, readers: 1)
        hasher.send(.update(chunk))
        current = nil
    }

    private func run(_ command: HashCommand) {
        switch command {
        case .update(let chunk):
            hashing.update(chunk.bytes)
            pool.done(chunk)
        case .end:
            digests.append(hashing.finalize())
            hashing = ContentHasher()
        }
    }

    private static func writeAll(_ fd: Int32, _ block: UnsafeRawBufferPointer, path: String) throws(ArchiveError) {
        var offset = 0
        while offset < block.count {
            let written = write(fd, block.baseAddress! + offset, block.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            offset += written
        }
    }
}
