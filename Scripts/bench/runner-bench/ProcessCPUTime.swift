import Foundation

/// CPU seconds used by the whole process (all threads, user + system). On a shared machine a
/// busy neighbour stretches wall time far more than the CPU time a computation needs, so CPU-time
/// throughput is a steadier diagnostic next to the wall-time figures.
enum ProcessCPUTime {
    static func now() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        return user + system
    }
}
