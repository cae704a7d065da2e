import Foundation

/// Keeps large temporaries (weights converted to float32, patch matrices, activations) in the malloc
/// heap instead of fresh mmaps, which the kernel would fault in and zero page by page on every
/// operation, and keeps freed heap memory for the next operation. Applied when the first model loads.
/// (glibc's mallopt is not in the Glibc module's headers, hence the lookup.)
public enum AllocationPolicy {
    public static let applied: Bool = {
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
