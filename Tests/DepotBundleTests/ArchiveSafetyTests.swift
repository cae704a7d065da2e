import DepotBundle
import DepotCore
import DepotStore
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

    /// ExtractedArchives under `folder/home`, with its catalog in `folder/catalog`.
    private func archives(_ folder: TemporaryDirectory, limits: ArchiveLimits = ArchiveLimits()) throws -> ExtractedArchives {
        let catalog = try Catalog(path: folder.path("catalog/catalog.sqlite").path)
        return ExtractedArchives(depotHome: folder.path("home").path, catalog: catalog, limits: limits)
    }

    /// Records `name` (in `folder`) as the file of an installed version, as a pull would; returns its SHA-256.
    private func recordAsInstalled(_ folder: TemporaryDirectory, _ name: String, in archives: ExtractedArchives, model: String = "m") async throws -> String {
        let digest = try ContentHasher.digest(ofFileAt: folder.path(name).path)
        let file = VerifiedFile(path: name, size: digest.size, sha256: digest.sha256, etag: digest.sha256, isLFS: true)
        _ = try await archives.catalog.recordInstalledVersion(NewVersion(name: model, repo: "org/\(model)", kind: "coreml",
                                                                         commit: String(repeating: "a", count: 40), revision: "main", files: [file]))
        return digest.sha256
    }

    /// Extracts through ExtractedArchives under `folder/home`; returns the error and every path left
    /// under `folder` but the catalog and the lock file depot keeps beside the extraction target.
    private func attempt(_ folder: TemporaryDirectory, _ name: String, limits: ArchiveLimits = ArchiveLimits()) async throws -> (error: ArchiveError?, left: [String]) {
        let archives = try archives(folder, limits: limits)
        var failure: ArchiveError?
        do {
            _ = try await archives.extraction(of: folder.path(name).path, sha256: "abc")
        } catch let error as ArchiveError {
            failure = error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        let walker = FileManager.default.enumerator(atPath: folder.url.path)
        let left = (walker?.allObjects as? [String] ?? []).filter { $0 != "home/extracted/abc.lock" && !$0.hasPrefix("catalog") }.sorted()
        return (failure, left)
    }

    @Test func zipSlipIsRefused() async throws {
        let folder = try makeArchive("slip.zip", """
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("models/ok.txt", "fine")
                z.writestr("models/../../../evil.txt", "escaped")
            """)
        let (error, left) = try await attempt(folder, "slip.zip")
        guard case .parentTraversal(_, let entry) = error else { Issue.record("expected a `..` refusal, got \(String(describing: error))"); return }
        #expect(entry == "models/../../../evil.txt")
        #expect(left == ["home", "home/extracted", "slip.zip"])
        #expect(!FileManager.default.fileExists(atPath: folder.url.deletingLastPathComponent().appendingPathComponent("evil.txt").path))
    }

    @Test func absolutePathIsRefused() async throws {
        let outside = try TemporaryDirectory("outside")
        let folder = try makeArchive("absolute.zip", """
            with zipfile.ZipFile(path, "w") as z:
                info = zipfile.ZipInfo("x")
                info.filename = \(String(reflecting: outside.path("evil.txt").path))
                z.writestr(info, "escaped")
            """)
        let (error, left) = try await attempt(folder, "absolute.zip")
        guard case .absolutePath = error else { Issue.record("expected an absolute path refusal, got \(String(describing: error))"); return }
        #expect(left == ["absolute.zip", "home", "home/extracted"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }

    @Test func symlinkEscapeIsRefusedBeforeAnythingIsWrittenThroughIt() async throws {
        let outside = try TemporaryDirectory("outside")
        let folder = try makeArchive("symlink.zip", """
            with zipfile.ZipFile(path, "w") as z:
                link = zipfile.ZipInfo("models/escape")
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(link, \(String(reflecting: outside.url.path)))
                z.writestr("models/escape/evil.txt", "escaped")
            """)
        let (error, left) = try await attempt(folder, "symlink.zip")
        guard case .linkEscapes(_, let entry, _) = error else { Issue.record("expected a link refusal, got \(String(describing: error))"); return }
        #expect(entry == "models/escape")
        #expect(left == ["home", "home/extracted", "symlink.zip"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.url.path).isEmpty)
    }

    @Test func relativeSymlinkClimbingOutIsRefused() async throws {
        let folder = try makeArchive("updir.zip", """
            with zipfile.ZipFile(path, "w") as z:
                link = zipfile.ZipInfo("a/b/link")
                link.create_system = 3
                link.external_attr = (stat.S_IFLNK | 0o777) << 16
                z.writestr(link, "../../../outside")
            """)
        let (error, _) = try await attempt(folder, "updir.zip")
        guard case .linkEscapes = error else { Issue.record("expected a link refusal, got \(String(describing: error))"); return }
    }

    @Test func hardLinkOutOfTheTarIsRefused() async throws {
        let folder = try makeArchive("hardlink.tar", """
            with tarfile.open(path, "w") as t:
                info = tarfile.TarInfo("models/passwd")
                info.type = tarfile.LNKTYPE
                info.linkname = "../../../../etc/passwd"
                t.addfile(info)
            """)
        let (error, left) = try await attempt(folder, "hardlink.tar")
        guard case .linkEscapes = error else { Issue.record("expected a hard link refusal, got \(String(describing: error))"); return }
        #expect(left == ["hardlink.tar", "home", "home/extracted"])
    }

    @Test func deviceFileIsRefused() async throws {
        let folder = try makeArchive("device.tar", """
            with tarfile.open(path, "w") as t:
                info = tarfile.TarInfo("models/null")
                info.type = tarfile.CHRTYPE
                info.devmajor, info.devminor = 1, 3
                t.addfile(info)
            """)
        let (error, left) = try await attempt(folder, "device.tar")
        guard case .specialFile = error else { Issue.record("expected a device refusal, got \(String(describing: error))"); return }
        #expect(left == ["device.tar", "home", "home/extracted"])
    }

    @Test func bombIsStoppedByTheExpansionRatio() async throws {
        let folder = try makeArchive("bomb.zip", """
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
                with z.open("models/zeros.bin", "w", force_zip64=True) as f:
                    block = bytes(1 << 20)
                    for _ in range(64):
                        f.write(block)
            """)
        let (error, left) = try await attempt(folder, "bomb.zip")
        guard case .expansionRatio(_, _, _, let limit) = error else { Issue.record("expected a ratio refusal, got \(String(describing: error))"); return }
        #expect(limit == 100)
        #expect(left == ["bomb.zip", "home", "home/extracted"])
    }

    @Test func totalSizeLimitIsEnforced() async throws {
        let folder = try makeArchive("big.zip", """
            import os
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("models/a.bin", os.urandom(40000))
                z.writestr("models/b.bin", os.urandom(40000))
            """)
        let (error, _) = try await attempt(folder, "big.zip", limits: ArchiveLimits(maxTotalBytes: 50000))
        guard case .totalTooLarge(_, let limit) = error else { Issue.record("expected a size refusal, got \(String(describing: error))"); return }
        #expect(limit == 50000)
    }

    @Test func wellFormedArchiveIsExtractedOnceRecordedAndReused() async throws {
        let folder = try makeArchive("good.zip", """
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
                z.writestr("top/", "")
                z.writestr("top/Unet.mlmodelc/model.mil", "program(1.0)")
                z.writestr("./top/Unet.mlmodelc/weights/weight.bin", bytes(range(256)) * 4)
            """)
        let archives = try archives(folder)
        let sha256 = try await recordAsInstalled(folder, "good.zip", in: archives)
        let first = try await archives.extraction(of: folder.path("good.zip").path, sha256: sha256)
        #expect(!first.reused)
        #expect(first.folder == folder.path("home/extracted/\(sha256)").path)
        #expect(first.files.map(\.path).sorted() == ["top/Unet.mlmodelc/model.mil", "top/Unet.mlmodelc/weights/weight.bin"])
        let weight = try #require(first.files.first { $0.path.hasSuffix("weight.bin") })
        #expect(weight.size == 1024)
        // The hash taken while writing is the hash of what is on disk.
        #expect(try ContentHasher.digest(ofFileAt: first.folder + "/" + weight.path).sha256 == weight.sha256)
        #expect(try String(contentsOfFile: first.folder + "/top/Unet.mlmodelc/model.mil", encoding: .utf8) == "program(1.0)")

        // The catalog holds the extraction against the zip's blob; a second call reuses it.
        let record = try #require(try await archives.catalog.extraction(ofArchive: sha256))
        #expect(record.folder == first.folder)
        #expect(record.files == first.files.sorted { $0.path < $1.path })
        let second = try await archives.extraction(of: folder.path("good.zip").path, sha256: sha256)
        #expect(second.reused)
        #expect(second.files == record.files)
    }

    @Test func entriesLargerThanTheHashChunksAreHashedAsPythonHashesThem() async throws {
        // Sizes around the sink's 128 KiB chunks and libarchive's blocks, stored and deflated, big
        // and small files interleaved (so one file's hash never takes bytes of the next).
        let folder = try makeArchive("big.zip", """
            import hashlib, json, random
            rng = random.Random(7)
            sizes = {"a.bin": 5 * 1048576 + 123, "b.txt": 17, "c.bin": 131072, "d.bin": 131073, "e.bin": 0, "f.bin": 3 * 1048576}
            expected = {}
            with zipfile.ZipFile(path, "w") as z:
                for i, (name, size) in enumerate(sizes.items()):
                    data = rng.randbytes(size)
                    expected[name] = hashlib.sha256(data).hexdigest()
                    z.writestr(zipfile.ZipInfo(name), data, compress_type=zipfile.ZIP_DEFLATED if i % 2 else zipfile.ZIP_STORED)
            json.dump(expected, open(path + ".json", "w"))
            """)
        let archives = try archives(folder)
        let sha256 = try await recordAsInstalled(folder, "big.zip", in: archives)
        let extraction = try await archives.extraction(of: folder.path("big.zip").path, sha256: sha256)
        let expected = try JSONDecoder().decode([String: String].self, from: Data(contentsOf: folder.path("big.zip.json")))
        #expect(Dictionary(uniqueKeysWithValues: extraction.files.map { ($0.path, $0.sha256) }) == expected)
        for file in extraction.files {
            #expect(try ContentHasher.digest(ofFileAt: extraction.folder + "/" + file.path).sha256 == file.sha256, "\(file.path)")
        }
    }

    @Test func entryCRCIsCheckedUnlessTheArchiveWasVerifiedAsAWhole() throws {
        // A stored entry whose bytes were changed after the zip was written: its CRC-32 no longer matches.
        let folder = try makeArchive("flipped.zip", """
            with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
                z.writestr("top/weight.bin", b"A" * 4096)
            data = bytearray(open(path, "rb").read())
            data[data.index(b"A" * 4096) + 100] = ord("B")
            open(path, "wb").write(bytes(data))
            """)
        let checked = folder.path("checked").path, trusted = folder.path("trusted").path
        for target in [checked, trusted] { try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false) }
        let refusal = #expect(throws: ArchiveError.self) { try SafeArchiveExtractor().extract(folder.path("flipped.zip").path, into: checked) }
        #expect(refusal.map { String(describing: $0).contains("CRC") } == true, "\(String(describing: refusal))")
        // ExtractedArchives only extracts blobs verified by their SHA-256, so it skips the CRC; the
        // hashes it records are still those of the bytes written.
        let files = try SafeArchiveExtractor(checksEntryCRC: false).extract(folder.path("flipped.zip").path, into: trusted)
        #expect(files.map(\.path) == ["top/weight.bin"])
        #expect(try ContentHasher.digest(ofFileAt: trusted + "/top/weight.bin").sha256 == files.first?.sha256)
    }

    @Test func anArchiveNoVersionHoldsIsNotRecorded() async throws {
        let folder = try makeArchive("stray.zip", """
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("top/Unet.mlmodelc/model.mil", "program(1.0)")
            """)
        let archives = try archives(folder)
        await #expect(throws: CatalogError.self) {
            try await archives.extraction(of: folder.path("stray.zip").path, sha256: "feed")
        }
        #expect(try await archives.catalog.extractedArchives().isEmpty)
    }

    @Test func gcRemovesTheExtractionWithItsZip() async throws {
        let folder = try makeArchive("good.zip", """
            with zipfile.ZipFile(path, "w") as z:
                z.writestr("top/Unet.mlmodelc/model.mil", "program(1.0)")
            """)
        try FileManager.default.copyItem(at: folder.path("good.zip"), to: folder.path("other.zip"))
        try runChecked(try TestEnvironment.python(), ["-c", "open(\(String(reflecting: folder.path("other.zip").path)), 'ab').write(b'x')"])
        let archives = try archives(folder)
        let kept = try await recordAsInstalled(folder, "good.zip", in: archives, model: "kept")
        let gone = try await recordAsInstalled(folder, "other.zip", in: archives, model: "gone")
        _ = try await archives.extraction(of: folder.path("good.zip").path, sha256: kept)
        _ = try await archives.extraction(of: folder.path("other.zip").path, sha256: gone)
        try FileManager.default.createDirectory(atPath: archives.root + "/\(kept).partial-1234", withIntermediateDirectories: false)
        #expect(try await archives.collect() == 1)  // only the partial: both zips are installed
        #expect(try FileManager.default.contentsOfDirectory(atPath: archives.root).filter { !$0.hasSuffix(".lock") }.sorted() == [gone, kept].sorted())

        // `depot rm` of the version holding other.zip drops its blob record, and with it the extraction record.
        let version = try #require(try await archives.catalog.findVersions(nameOrRepo: "gone").first)
        _ = try await archives.catalog.removeVersion(id: version.id)
        #expect(try await archives.catalog.extractedArchives() == [kept])
        #expect(try await archives.collect() == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: archives.root).sorted() == [kept, "\(kept).lock"])
    }
}
