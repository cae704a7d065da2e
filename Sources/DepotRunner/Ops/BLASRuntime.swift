import COpenBLAS
import Foundation

/// Which kernels OpenBLAS runs. Debian's OpenBLAS 0.3.21 picks kernels by CPU model at load time and
/// falls back to its SSE3 "Prescott" kernels on CPUs it does not recognise (virtual machines that
/// report a generic model), several times slower than the AVX2/AVX-512 ones the CPU supports.
/// It reads OPENBLAS_CORETYPE only when it loads, so fixing the choice means relaunching.
public enum BLASRuntime {
    public static var coreName: String { String(cString: openblas_get_corename()) }

    /// The kernel family to request when OpenBLAS fell back to Prescott on a CPU that can do better.
    public static func betterCoreType(cpuFlags: Set<String>, current: String) -> String? {
        guard current.lowercased() == "prescott" else { return nil }
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// Re-executes the current program with OPENBLAS_CORETYPE set when OpenBLAS fell back to generic
    /// kernels and the user did not choose a core type. Call first thing in main; returns normally
    /// when nothing needs to change (or the relaunch is impossible).
    public static func relaunchWithBetterKernelsIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil,
              let better = betterCoreType(cpuFlags: cpuFlags(), current: coreName) else { return }
        setenv("OPENBLAS_CORETYPE", better, 1)
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", arguments)
        // execv only returns on failure: carry on with the generic kernels.
    }

    private static func cpuFlags() -> Set<String> {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(line.split(separator: ":").last?.split(separator: " ").map(String.init) ?? [])
    }
}
