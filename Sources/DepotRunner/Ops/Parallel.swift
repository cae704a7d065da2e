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

/// Keeps large temporaries (weights converted to float32, patch matrices, activations) in the malloc
/// heap instead of fresh mmaps, which the kernel would fault in and zero page by page on every
/// operation, and keeps freed heap memory for the next operation. Applied when the first model loads.
/// (glibc's mallopt is not in the Glibc module's headers, hence the lookup.)
enum AllocationPolicy {
    static let applied: Bool = {
        #if os(Linux)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(symbol, to: MallocOption.self)
        let trimThreshold: Int32 = -1, mmapMaximum: Int32 = -4  // M_TRIM_THRESHOLD, M_MMAP_MAX
        _ = mallopt(mmapMaximum, 0)
        _ = mallopt(trimThreshold, 512 << 20)
        return true
        #else
        return false
        #endif
    }()
}
