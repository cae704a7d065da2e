import Foundation

/// A fixed set of reusable buffers that decoded bytes are copied into and then read by other
/// threads; a chunk goes back to the pool when each of its readers is done with it. Reusing them
/// keeps the bytes in cache and the allocator out of the loop.
final class ChunkPool: @unchecked Sendable {
    final class Chunk: @unchecked Sendable {
        let storage: UnsafeMutableRawBufferPointer
        var count = 0
        fileprivate var readers = 0

        init(capacity: Int) { storage = .allocate(byteCount: capacity, alignment: 64) }
        deinit { storage.deallocate() }

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }
        var space: Int { storage.count - count }

        /// Copies as much of `block` as fits; returns how many bytes were taken.
        func append(_ block: UnsafeRawBufferPointer) -> Int {
            let taken = min(space, block.count)
            storage.baseAddress!.advanced(by: count).copyMemory(from: block.baseAddress!, byteCount: taken)
            count += taken
            return taken
        }
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var free: [Chunk]
    private let all: [Chunk]

    init(chunks: Int, capacity: Int) {
        all = (0..<chunks).map { _ in Chunk(capacity: capacity) }
        free = all
    }

    /// An empty chunk, waiting for one to come back when all are in use.
    func take() -> Chunk {
        condition.withLock {
            while free.isEmpty { condition.wait() }
            let chunk = free.removeLast()
            chunk.count = 0
            return chunk
        }
    }

    /// Hands `chunk` to `readers` consumers; each calls ``done(_:)``.
    func share(_ chunk: Chunk, readers: Int) {
        condition.withLock { chunk.readers = readers }
    }

    /// One consumer is finished with `chunk`; the last one returns it to the pool.
    func done(_ chunk: Chunk) {
        condition.withLock {
            chunk.readers -= 1
            if chunk.readers == 0 {
                free.append(chunk)
                condition.signal()
            }
        }
    }
}
