import COpenBLAS
import Testing
@testable import DepotRunner

/// OpenBLAS is opened on first use (not linked): the loader either gives working functions or a
/// typed error that names the library and how to install it.
@Suite(.serialized) struct OpenBLASLibraryTests {
    @Test func theInstalledLibraryMultipliesMatrices() throws {
        try OpenBLASLibrary.load()
        let a: [Float] = [1, 2, 3, 4, 5, 6]      // 2×3
        let b: [Float] = [7, 8, 9, 10, 11, 12]   // 3×2
        var c = [Float](repeating: -1, count: 4)
        c.withUnsafeMutableBufferPointer { c in
            BLAS.sgemm(m: 2, n: 2, k: 3, a: a, lda: 3, b: b, ldb: 2, c: c.baseAddress!, ldc: 2, counted: false)
        }
        #expect(c == [58, 64, 139, 154])
        #expect(!BLASRuntime.coreName.isEmpty)
    }

    @Test func singleThreadedRestoresOpenBLASThreadCount() throws {
        try OpenBLASLibrary.load()
        let before = depot_openblas_get_num_threads()
        let inside = BLAS.singleThreaded { depot_openblas_get_num_threads() }
        #expect(inside == 1)
        #expect(depot_openblas_get_num_threads() == before)
    }

    #if os(Linux)
    @Test func aMissingLibraryIsAnErrorNamingItAndTheFix() {
        let error = #expect(throws: OpenBLASLibraryError.self) {
            try OpenBLASLibrary.load(soname: "libopenblas-depot-missing.so.0")
        }
        guard case let .unavailable(soname, reason, install)? = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(soname == "libopenblas-depot-missing.so.0")
        #expect(reason.contains("cannot open shared object file"))
        #expect(install == "apt install libopenblas0")
        let message = error?.description ?? ""
        #expect(message.contains("OpenBLAS (libopenblas-depot-missing.so.0)"))
        #expect(message.contains("`apt install libopenblas0`"))
    }

    @Test func aLibraryWithoutOpenBLASFunctionsIsRefused() {
        // zlib is a real shared library (curl's) that lacks cblas_sgemm: found, then refused by symbol.
        let error = #expect(throws: OpenBLASLibraryError.self) { try OpenBLASLibrary.load(soname: "libz.so.1") }
        guard case let .unavailable(_, reason, _)? = error else {
            Issue.record("expected unavailable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("cblas_sgemm"))
    }
    #endif
}
