#if canImport(Glibc)
import Glibc
#endif

/// Process-wide settings only the long-running `depot serve` wants, applied once at its start
/// (never in tests or other commands, which share their process with other code), and the
/// return of freed memory when its work queues go idle.
public enum DaemonProcessTuning {
    public static func apply() {
        #if canImport(Glibc)
        // glibc gives each thread that contends for malloc an arena of its own, up to 8 per core,
        // and every arena keeps the memory freed into it. Two are plenty for a daemon that mostly
        // waits. <malloc.h> is not part of Swift's Glibc module: mallopt is looked up by name and
        // M_ARENA_MAX (-8) spelled out.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let arenaMax: Int32 = -8
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            _ = unsafeBitCast(symbol, to: Mallopt.self)(arenaMax, 2)
        }
        #endif
    }

    /// Hands the memory freed inside malloc's heaps back to the system (glibc's malloc_trim):
    /// a pull or a bundle leaves megabytes of freed buffers there, which an idle daemon would
    /// otherwise keep for its whole life. Harmless anywhere; called when a queue goes idle.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        #endif
    }
}
