import Foundation
import Testing
import DepotTestSupport

/// OpenBLAS and libarchive are opened by the commands that use them, not linked into `depot`: the
/// binary does not need them (nor what they pull in), a command that never generates or extracts
/// never maps them and runs where they are missing, and one that needs them says which and how to
/// install it.
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

    /// A folder on LD_LIBRARY_PATH whose libopenblas.so.0 and libarchive.so.13 are empty files: the
    /// loader finds them before the installed ones and cannot open them, as on a machine without them.
    static func brokenLibraries(in sandbox: DepotSandbox) throws -> [String: String] {
        let folder = sandbox.home.path("broken-libraries")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for soname in ["libopenblas.so.0", "libarchive.so.13"] {
            FileManager.default.createFile(atPath: folder.appendingPathComponent(soname).path, contents: Data())
        }
        return ["LD_LIBRARY_PATH": folder.path]
    }

    @Test func listingWorksWithoutThem() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let result = try sandbox.run(["list", "--json"], extraEnvironment: try Self.brokenLibraries(in: sandbox))
        #expect(result.status == 0, "depot list failed: \(result.stderr)")
        #expect(try JSONSerialization.jsonObject(with: result.stdoutData) is [Any])
    }

    @Test func generatingWithoutOpenBLASIsAnErrorNamingIt() throws {
        let sandbox = try DepotSandbox(hub: nil)
        let result = try sandbox.run(["generate", "--model", TestEnvironment.fixture("tiny-sd1").path, "--prompt", "a cat",
                                      "--seed", "1", "--steps", "1", "--output", sandbox.home.path("image.png").path],
                                     extraEnvironment: try Self.brokenLibraries(in: sandbox))
        // 1 is depot's error exit; a crash would be a signal (134 for abort).
        #expect(result.status == 1, "depot generate ended with \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("OpenBLAS (libopenblas.so.0)"), "\(result.stderr)")
        #expect(result.stderr.contains("apt install libopenblas0"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: sandbox.home.path("image.png").path))
    }

    /// The report lines that mention any of `libraries`.
    static func lines(of report: String, naming libraries: [String]) -> [Substring] {
        report.split(separator: "\n").filter { line in libraries.contains { line.contains($0) } }
    }
    #endif
}
