import COpenBLAS
import Foundation

/// How OpenBLAS runs, which it decides once, from the environment, when it loads:
/// - Debian's OpenBLAS 0.3.21 picks kernels by CPU model and falls back to its SSE3 "Prescott"
///   kernels on CPUs it does not recognise (virtual machines that report a generic model),
///   several times slower than the AVX2/AVX-512 kernels the CPU supports (OPENBLAS_CORETYPE).
/// - Its worker threads spin for about 2^28 cycles after every product (OPENBLAS_THREAD_TIMEOUT),
///   taking a core from the elementwise work between products; 2^4 makes them sleep at once.
/// Changing either means relaunching the process with the variables set.
public enum BLASRuntime {
    public static var coreName: String { String(cString: depot_openblas_get_corename()) }

    /// The kernel family to request when OpenBLAS fell back to Prescott on a CPU that can do better.
    public static func betterCoreType(cpuFlags: Set<String>, current: String) -> String? {
        guard current.lowercased() == "prescott" else { return nil }
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// The variables to add to `environment` (those the user set are kept as they are).
    public static func tuning(environment: [String: String], cpuFlags: Set<String>, currentCore: String) -> [String: String] {
        var changes: [String: String] = [:]
        if environment["OPENBLAS_CORETYPE"] == nil, let better = betterCoreType(cpuFlags: cpuFlags, current: currentCore) {
            changes["OPENBLAS_CORETYPE"] = better
        }
        if environment["OPENBLAS_THREAD_TIMEOUT"] == nil { changes["OPENBLAS_THREAD_TIMEOUT"] = "4" }
        return changes
    }

    /// Re-executes the current program once with the tuning variables set. Call first thing in
    /// main; returns normally when nothing needs to change or the relaunch is impossible.
    public static func relaunchTunedIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DEPOT_BLAS_TUNED"] == nil else { return }
        // Without OpenBLAS there is nothing to tune: the runner reports it missing when it starts.
        guard (try? OpenBLASLibrary.load()) != nil else { return }
        let changes = tuning(environment: environment, cpuFlags: cpuFlags(), currentCore: coreName)
        guard !changes.isEmpty else { return }
        for (name, value) in changes { setenv(name, value, 1) }
        setenv("DEPOT_BLAS_TUNED", "1", 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv only returns on failure: carry on untuned.
    }

    private static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }
}
