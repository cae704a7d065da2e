import Foundation
import Testing
import DepotCore
import DepotTestSupport

@Suite("Content hashing")
struct ContentHasherTests {
    @Test("git blob sha1 and SHA-256 agree with git and the Hub's oids")
    func knownDigests() throws {
        var hasher = ContentHasher(gitBlobSize: 12)
        hasher.update(Data("hello world\n".utf8))
        let digest = hasher.finalize()
        // `printf 'hello world\n' | git hash-object --stdin` and `sha256sum`
        #expect(digest.gitSHA1 == "3b18e512dba79e4c8300dd08aeb37f8e728b8dad")
        #expect(digest.sha256 == "a948904f2f0f479b8f8197694b30184b0d2ed1c1cd2a1ec0fb85d299a192a447")
        #expect(digest.size == 12)
        #expect(digest.matches(etag: "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"))
        #expect(digest.matches(etag: "A948904F2F0F479B8F8197694B30184B0D2ED1C1CD2A1EC0FB85D299A192A447"))
        #expect(!digest.matches(etag: "3b18e512dba79e4c8300dd08aeb37f8e728b8dae"))
        #expect(!digest.matches(etag: "not-a-hash"))
    }

    @Test("hashing a file from disk equals the LFS oid of the fixture")
    func fileDigest() throws {
        let path = TestEnvironment.fixture("tiny-sd1/unet/diffusion_pytorch_model.safetensors").path
        let digest = try ContentHasher.digest(ofFileAt: path, gitBlob: true)
        #expect(digest.sha256 == "47083b5875c073dbce747017846372709c89505f6e9fa832fc9709a9a76e54a2")
        #expect(digest.size == 2888024)
        #expect(throws: FileDigestError.self) { try ContentHasher.digest(ofFileAt: "/nonexistent/file") }
    }
}
