import Foundation
import Testing
import DepotTestSupport

/// OpenBLAS and libarchive are opened by the commands that use them, not linked into `depot`: the
/// binary does not need them (nor what they pull in) and a command that never generates or
/// extracts never maps them.
@Suite struct LazySystemLibraryTests {
    /// The libraries only OpenBLAS (libgfortran, libquadmath) and libarchive (libxml2 and Debian's ICU) bring.
    static let lazyLibraries = ["libopenblas", "libgfortran", "libquadmath", "libarchive", "libxml2", "libicuuc", "libicudata"]

    #if os(Linux)
    @Test func theBinaryDoesNotLinkOpenBLASOrLibarchive() throws {
        // ldd lists every library the loader maps at start: the DT_NEEDED entries and theirs.
        let result = try runChecked(URL(fileURLWithPath: "/usr/bin/ldd"), [try TestEnvironment.depotBinary().path])
        #expect(result.stdout.contains("libsqlite3"), "ldd output lists the linked libraries: \(result.stdout)")
        #expect(Self.lines(of: result.stdout, naming: Self.lazyLibraries).isEmpty)
    }

    @Test func listingNeverLoadsThem() throws {
        let sandbox = try DepotSandbox(hub: nil)
        // LD_DEBUG=files makes the dynamic loader report every library it opens, at start or by dlopen.
        let result = try sandbox.run(["list", "--json"], extraEnvironment: ["LD_DEBUG": "files"])
        #expect(result.status == 0, "depot list failed: \(result.stderr.suffix(2000))")
        #expect(result.stderr.contains("libsqlite3"), "the loader's report is missing: \(result.stderr.prefix(2000))")
        #expect(Self.lines(of: result.stderr, naming: Self.lazyLibraries).isEmpty)
    }

    @Test func generatingOpensOpenBLASButNotLibarchive() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let model = TestEnvironment.fixture("tiny-sd1")
        let result = try sandbox.run(["generate", "--model", model.path, "--prompt", "a cat", "--seed", "1", "--steps", "1",
                                      "--output", sandbox.home.path("image.png").path],
                                     extraEnvironment: ["LD_DEBUG": "files"])
        #expect(result.status == 0, "depot generate failed: \(result.stderr.suffix(2000))")
        #expect(!Self.lines(of: result.stderr, naming: ["libopenblas"]).filter { $0.contains("dynamically loaded by") }.isEmpty)
        #expect(Self.lines(of: result.stderr, naming: ["libarchive", "libxml2"]).isEmpty)
    }

    /// The report lines that mention any of `libraries`.
    static func lines(of report: String, naming libraries: [String]) -> [Substring] {
        report.split(separator: "\n").filter { line in libraries.contains { line.contains($0) } }
    }
    #endif
}
