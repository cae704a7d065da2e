import DepotMirror
@testable import DepotStore
import Foundation
import Testing

@Suite struct HubTreeTests {
    static let weight = CatalogFile(path: "unet/w.safetensors", size: 12345,
                                    sha256: "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393",
                                    etag: "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393", isLFS: true)
    static let config = CatalogFile(path: "unet/config.json", size: 3, sha256: String(repeating: "1", count: 64),
                                    etag: String(repeating: "2", count: 40), isLFS: false)
    static let index = CatalogFile(path: "model_index.json", size: 3, sha256: String(repeating: "3", count: 64),
                                   etag: String(repeating: "4", count: 40), isLFS: false)
    static let snapshot = InstalledSnapshot(repo: "org/m", commit: String(repeating: "f", count: 40), lastModified: Date(),
                                            files: Dictionary(uniqueKeysWithValues: [weight, config, index].map { ($0.path, $0) }))

    @Test("an LFS file's oid is the git blob sha1 of its pointer file (value from `git hash-object`)")
    func lfsPointerOID() throws {
        #expect(try HubTree.gitOID(of: Self.weight, blobPath: "/nonexistent") == "60c8d8ab2adcf57a391163a7eeb0cdb8bf348e44")
        #expect(try HubTree.gitOID(of: Self.config, blobPath: "/nonexistent") == Self.config.etag)
    }

    @Test("recursive listings hold folders and files; plain ones only direct children")
    func listings() throws {
        let oid: (CatalogFile) throws -> String = { try HubTree.gitOID(of: $0, blobPath: "/nonexistent") }
        let all = try #require(try HubTree.listing(of: Self.snapshot, folder: nil, recursive: true, gitOID: oid))
        #expect(all.entries.map { $0.path } == ["model_index.json", "unet", "unet/config.json", "unet/w.safetensors"])
        #expect(all.entries.map { $0.type } == ["file", "directory", "file", "file"])
        let lfs = try #require(all.entries.last?.lfs)
        #expect(lfs == HubTreeEntry.LFS(oid: Self.weight.sha256, size: 12345, pointerSize: 130))
        #expect(all.entries.last?.size == 12345)

        let root = try #require(try HubTree.listing(of: Self.snapshot, folder: nil, recursive: false, gitOID: oid))
        #expect(root.entries.map { $0.path } == ["model_index.json", "unet"])
        let unet = try #require(try HubTree.listing(of: Self.snapshot, folder: "unet", recursive: false, gitOID: oid))
        #expect(unet.entries.map { $0.path } == ["unet/config.json", "unet/w.safetensors"])
        #expect(try HubTree.listing(of: Self.snapshot, folder: "vae", recursive: true, gitOID: oid) == nil)
        #expect(try HubTree.listing(of: Self.snapshot, folder: "model_index.json", recursive: true, gitOID: oid) == nil)
    }
}

@Suite struct ByteRangeTests {
    @Test(arguments: [
        ("bytes=0-9", ByteRange.partial(0...9)),
        ("bytes=10-", .partial(10...99)),
        ("bytes=-5", .partial(95...99)),
        ("bytes=-500", .partial(0...99)),
        ("bytes=90-200", .partial(90...99)),
        ("bytes=100-", .unsatisfiable),
        ("bytes=100-120", .unsatisfiable),
        ("bytes=-0", .unsatisfiable),
        ("bytes=5-2", .whole),
        ("bytes=0-1,5-6", .whole),
        ("items=0-1", .whole),
        ("bytes=x-1", .whole),
    ])
    func parses(header: String, expected: ByteRange) {
        #expect(ByteRange(header: header, size: 100) == expected)
    }

    @Test func noHeaderMeansTheWholeFile() {
        #expect(ByteRange(header: nil, size: 100) == .whole)
    }
}
