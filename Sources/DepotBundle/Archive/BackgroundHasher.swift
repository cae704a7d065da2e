import DepotCore
import Dispatch
import Foundation

/// SHA-256 of a stream computed on another thread, so hashing overlaps with decoding and writing
/// the same bytes. At most `depth` blocks wait; `update` blocks when the hasher falls behind.
final class BackgroundHasher: @unchecked Sendable {
    // Touched only on `queue`.
    private var hasher = ContentHasher()
    private let queue = DispatchQueue(label: "depot.bundle.hash")
    private let slots: DispatchSemaphore

    init(depth: Int = 32) {
        slots = DispatchSemaphore(value: depth)
    }

    func update(_ block: UnsafeRawBufferPointer) {
        let copy = Data(block)
        slots.wait()
        queue.async {
            self.hasher.update(copy)
            self.slots.signal()
        }
    }

    /// Waits for every queued block, then returns the digest.
    func finalize() -> ContentDigest {
        queue.sync { hasher.finalize() }
    }
}
