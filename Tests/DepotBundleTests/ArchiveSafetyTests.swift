import DepotBundle
import DepotTestSupport
import Foundation
import Testing

/// Malicious archives made with Python's zipfile and tarfile: each refused, nothing written outside
/// the extraction folder (and the folder itself removed by ExtractedArchives).
@Suite struct ArchiveSafetyTests {
    /// Writes `name` in a fresh folder with the Python snippet `body` (which sees `path`), returns the folder.
    private func makeArchive(_ name: String, _ body: String) throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory("archives")
        let script = "import zipfile, tarfile, io, stat\npath = \(String(reflecting: folder.path(name).path))\n" + body
        try runChecked(try TestEnvironment.python(), ["-c", script], timeout: 60)
        return folder
    }

    /// Extracts through ExtractedArchives under `folder/home`; returns the error and every path left under `folder`.
    private func attempt(_ folder: TemporaryDirectory, _ name: String, limits: ArchiveLimits = ArchiveLimits()) -> (error: ArchiveError?, left: [String]) {
        let archives = ExtractedArchives(depotHome: folder.path("home").path, limits: limits)
        var failure: ArchiveError?
        do {
            _ = try archives.extraction(of: folder.path(name).path, sha256: "abc")
        } catch let error as ArchiveError {
            failure = error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        let walker = FileManager.default.enumerator(atPath: folder.url.path)
        let left = (walker?.allObjects as? [String] ?? []).sorted()
        return (failure, left)
    }

    @Test func zipSlipIsRefused() throws {
        let folder = try makeArchive("slip.zip", """
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("models/ok.txt", "fine")
                z.writestr("models/../../../evil.txt", "escaped")
            """)
        let (error, left) = attempt(folder, "slip.zip")
        guard case .parentTraversal(_, let entry) = error else { Issue.record("expected a `..` refusal, got \(String(describing: error))"); return }
        #expect(entry == "models/../../../evil.txt")
        #expect(left == ["home", "home/extracted", "slip.zip"])
        #expect(!FileManager.default.fileExists(atPath: folder.url.deletingLastPathComponent().appendingPathComponent("evil.txt").path))
    }

    @Test func absolutePathIsRefused() throws {
        let outside = try TemporaryDirectory("outside")
        let folder = try makeArchive("absolute.zip", """
            with zipfile.ZipFile(path, "w") as z:
                info = zipfile.ZipInfo("x")
                info.filename = \(String(reflecting: outside.path("evil.txt").path))
                z.writestr(info, "escaped")
            """)
        let (error, left) = attempt(folder, "absolute.zip")
        guard case .absolutePath = error else { Issue.record("expected an absolute path refusal, got \(String(describing: error))"); return }
        #expect(left == ["absolute.zip", "home", "home/extracted"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }

    @Test func symlinkEscapeIsRefusedBeforeAnythingIsWrittenThroughIt() throws {
        let outside = try TemporaryDirectory("outside")
        let folder = try makeArchive("symlink.zip", """
            with zipfile.ZipFile(path, "w") as z:
                link = zipfile.ZipInfo("models/escape")
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(link, \(String(reflecting: outside.url.path)))
                z.writestr("models/escape/evil.txt", "escaped")
            """)
        let (error, left) = attempt(folder, "symlink.zip")
        guard case .linkEscapes(_, let entry, _) = error else { Issue.record("expected a link refusal, got \(String(describing: error))"); return }
        #expect(entry == "models/escape")
        #expect(left == ["home", "home/extracted", "symlink.zip"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }

    @Test func relativeSymlinkClimbingOutIsRefused() throws {
        let folder = try makeArchive("updir.zip", """
            with zipfile.ZipFile(path, "w") as z:
                link = zipfile.ZipInfo("a/b/link")
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(link, "../../../outside")
            """)
        let (error, _) = attempt(folder, "updir.zip")
        guard case .linkEscapes = error else { Issue.record("expected a link refusal, got \(String(describing: error))"); return }
    }

    @Test func hardLinkOutOfTheTarIsRefused() throws {
        let folder = try makeArchive("hardlink.tar", """
            with tarfile.open(path, "w") as t:
                info = tarfile.TarInfo("models/passwd")
                info.type = tarfile.LNKTYPE
                info.linkname = "../../../../etc/passwd"
                t.addfile(info)
            """)
        let (error, left) = attempt(folder, "hardlink.tar")
        guard case .linkEscapes = error else { Issue.record("expected a hard link refusal, got \(String(describing: error))"); return }
        #expect(left == ["hardlink.tar", "home", "home/extracted"])
    }

    @Test func deviceFileIsRefused() throws {
        let folder = try makeArchive("device.tar", """
            with tarfile.open(path, "w") as t:
                info = tarfile.TarInfo("models/null")
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
                t.addfile(info)
            """)
        let (error, left) = attempt(folder, "device.tar")
        guard case .specialFile = error else { Issue.record("expected a device refusal, got \(String(describing: error))"); return }
        #expect(left == ["device.tar", "home", "home/extracted"])
    }

    @Test func bombIsStoppedByTheExpansionRatio() throws {
        let folder = try makeArchive("bomb.zip", """
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                with z.open("models/zeros.bin", "w", force_zip64=True) as f:
                    block = bytes(1 << 20)
                    for _ in range(64):
                        f.write(block)
            """)
        let (error, left) = attempt(folder, "bomb.zip")
        guard case .expansionRatio(_, _, _, let limit) = error else { Issue.record("expected a ratio refusal, got \(String(describing: error))"); return }
        #expect(limit == 100)
        #expect(left == ["bomb.zip", "home", "home/extracted"])
    }

    @Test func totalSizeLimitIsEnforced() throws {
        let folder = try makeArchive("big.zip", """
            import os
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("models/a.bin", os.urandom(40000))
                z.writestr("models/b.bin", os.urandom(40000))
            """)
        let (error, _) = attempt(folder, "big.zip", limits: ArchiveLimits(maxTotalBytes: 50000))
        guard case .totalTooLarge(_, let limit) = error else { Issue.record("expected a size refusal, got \(String(describing: error))"); return }
        #expect(limit == 50000)
    }

    @Test func wellFormedArchiveIsExtractedOnceAndReused() throws {
        let folder = try makeArchive("good.zip", """
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("top/", "")
                z.writestr("top/Unet.mlmodelc/model.mil", "program(1.0)")
                z.writestr("./top/Unet.mlmodelc/weights/weight.bin", bytes(range(256)) * 4)
            """)
        let archives = ExtractedArchives(depotHome: folder.path("home").path)
        let first = try archives.extraction(of: folder.path("good.zip").path, sha256: "feed")
        #expect(!first.reused)
        #expect(first.folder == folder.path("home/extracted/feed").path)
        #expect(first.files.map(\.path).sorted() == ["top/Unet.mlmodelc/model.mil", "top/Unet.mlmodelc/weights/weight.bin"])
        #expect(first.files.first { $0.path.hasSuffix("weight.bin") }?.size == 1024)
        #expect(try String(contentsOfFile: first.folder + "/top/Unet.mlmodelc/model.mil", encoding: .utf8) == "program(1.0)")
        let second = try archives.extraction(of: folder.path("good.zip").path, sha256: "feed")
        #expect(second.reused)
        #expect(second.files == first.files)
    }

    @Test func gcRemovesExtractionsOfArchivesNoLongerInstalled() throws {
        let folder = try makeArchive("good.zip", """
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("top/Unet.mlmodelc/model.mil", "program(1.0)")
            """)
        let archives = ExtractedArchives(depotHome: folder.path("home").path)
        _ = try archives.extraction(of: folder.path("good.zip").path, sha256: "kept")
        _ = try archives.extraction(of: folder.path("good.zip").path, sha256: "gone")
        try FileManager.default.createDirectory(atPath: archives.root + "/kept.partial-1234", withIntermediateDirectories: false)
        #expect(try archives.removeExtractions(keeping: ["kept"]) == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: archives.root).sorted() == ["kept", "kept.json"])
    }
}
