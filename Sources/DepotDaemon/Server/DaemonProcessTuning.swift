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
        // waits. M_ARENA_MAX (-8) is spelled out, <malloc.h> being out of reach (see mallocFunction).
        let arenaMax: Int32 = -8
        _ = mallocFunction("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)?(arenaMax, 2)
        #endif
    }

    /// Hands the memory freed inside malloc's heaps back to the system (glibc's malloc_trim):
    /// a pull or a bundle leaves megabytes of freed buffers there, which an idle daemon would
    /// otherwise keep for its whole life. Harmless anywhere; called when a queue goes idle.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = mallocFunction("malloc_trim", as: (@convention(c) (Int) -> Int32).self)?(0)
        #endif
    }

    #if canImport(Glibc)
    /// A glibc malloc function by name: <malloc.h> is not part of Swift's Glibc module.
    private static func mallocFunction<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
    #endif
}
