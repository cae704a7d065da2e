import Testing
@testable import DepotBundle

/// libarchive is opened when the first archive is read (not linked): a missing or wrong library is
/// a typed error that names it and how to install it.
@Suite struct ArchiveLibraryTests {
    @Test func theInstalledLibraryLoads() throws {
        try ArchiveLibrary.load()
    }

    #if os(Linux)
    @Test func aMissingLibraryIsAnErrorNamingItAndTheFix() {
        let error = #expect(throws: ArchiveError.self) { try ArchiveLibrary.load(soname: "libarchive-depot-missing.so.13") }
        guard case let .libraryUnavailable(soname, reason, install)? = error else {
            Issue.record("expected libraryUnavailable, got \(String(describing: error))")
            return
        }
        #expect(soname == "libarchive-depot-missing.so.13")
        #expect(reason.contains("cannot open shared object file"))
        #expect(install == "apt install libarchive13")
        let message = error?.description ?? ""
        #expect(message.contains("libarchive (libarchive-depot-missing.so.13)"))
        #expect(message.contains("`apt install libarchive13`"))
    }

    @Test func aLibraryWithoutArchiveFunctionsIsRefused() {
        let error = #expect(throws: ArchiveError.self) { try ArchiveLibrary.load(soname: "libz.so.1") }
        guard case let .libraryUnavailable(_, reason, _)? = error else {
            Issue.record("expected libraryUnavailable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("archive_read_new"))
    }
    #endif
}
