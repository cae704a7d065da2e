import Testing
import DepotRunner

@Suite struct OpsBLASRuntimeTests {
    @Test func asksForVectorKernelsOnlyAfterAPrescottFallback() {
        let avx512: Set = ["sse3", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]
        #expect(BLASRuntime.betterCoreType(cpuFlags: avx512, current: "Prescott") == "SkylakeX")
        #expect(BLASRuntime.betterCoreType(cpuFlags: ["avx2", "fma"], current: "Prescott") == "Haswell")
        #expect(BLASRuntime.betterCoreType(cpuFlags: ["sse3"], current: "Prescott") == nil)
        #expect(BLASRuntime.betterCoreType(cpuFlags: avx512, current: "Zen") == nil)
    }

    @Test func keepsWhatTheUserSet() {
        let flags: Set = ["avx2", "fma"]
        #expect(BLASRuntime.tuning(environment: [:], cpuFlags: flags, currentCore: "Prescott")
                == ["OPENBLAS_CORETYPE": "Haswell", "OPENBLAS_THREAD_TIMEOUT": "4"])
        #expect(BLASRuntime.tuning(environment: ["OPENBLAS_CORETYPE": "Zen", "OPENBLAS_THREAD_TIMEOUT": "20"],
                                   cpuFlags: flags, currentCore: "Prescott").isEmpty)
        #expect(BLASRuntime.tuning(environment: [:], cpuFlags: flags, currentCore: "Zen") == ["OPENBLAS_THREAD_TIMEOUT": "4"])
    }
}
