import Foundation

/// Splits elementwise work across the cores. OpenBLAS parallelises the matrix products itself;
/// everything else (im2col, norms, activations, softmax, layout changes) goes through here.
enum Parallel {
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Calls `body` on contiguous sub-ranges of 0..<count; `grain` is the least work worth a thread.
    static func forRanges(_ count: Int, grain: Int = 1 << 15, _ body: (Range<Int>) -> Void) {
        let slices = min(cores, max(1, count / max(grain, 1)))
        if slices <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let length = (count + slices - 1) / slices
        // The slices touch disjoint ranges of the caller's buffers, so sharing the closure is safe.
        withoutActuallyEscaping(body) { escaping in
            let shared = UncheckedSendable(escaping)
            DispatchQueue.concurrentPerform(iterations: slices) { slice in
                let start = slice * length, end = min(count, start + length)
                if start < end { shared.value(start..<end) }
            }
        }
    }
}

struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
