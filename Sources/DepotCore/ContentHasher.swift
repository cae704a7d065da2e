import Crypto
import Foundation

/// The digests the Hub names files by, computed in one pass while bytes stream by:
/// SHA-256 of the content (an LFS oid) and, when the size is known up front, the git blob sha1
/// (`sha1("blob <size>\0" + content)`, the oid of a file stored in git itself).
public struct ContentHasher {
    private var sha256 = SHA256()
    private var gitSHA1: Insecure.SHA1?
    public private(set) var byteCount: Int64 = 0

    /// - Parameter gitBlobSize: the file's full size, to compute its git blob sha1 as well; nil skips it.
    public init(gitBlobSize: Int64? = nil) {
        if let gitBlobSize {
            var sha1 = Insecure.SHA1()
            sha1.update(data: Data("blob \(gitBlobSize)\0".utf8))
            gitSHA1 = sha1
        }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        sha256.update(bufferPointer: bytes)
        gitSHA1?.update(bufferPointer: bytes)
        byteCount += Int64(bytes.count)
    }

    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    public func finalize() -> ContentDigest {
        ContentDigest(sha256: sha256.finalize().hexString, gitSHA1: gitSHA1?.finalize().hexString, size: byteCount)
    }

    /// Hashes a whole file from disk with large sequential reads.
    public static func digest(ofFileAt path: String, gitBlob: Bool = false) throws -> ContentDigest {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileDigestError(path: path, errno: errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileDigestError(path: path, errno: errno) }
        var hasher = ContentHasher(gitBlobSize: gitBlob ? Int64(info.st_size) : nil)
        let chunk = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress, chunk)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileDigestError(path: path, errno: errno)
            }
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return hasher.finalize()
    }
}

/// What a file hashed to.
public struct ContentDigest: Sendable, Equatable, Codable {
    public var sha256: String
    public var gitSHA1: String?
    public var size: Int64

    public init(sha256: String, gitSHA1: String?, size: Int64) {
        self.sha256 = sha256
        self.gitSHA1 = gitSHA1
        self.size = size
    }

    /// Whether this content is what a Hub etag names: a 64-hex etag is a SHA-256, a 40-hex one a git blob sha1.
    public func matches(etag: String) -> Bool {
        switch etag.count {
        case 64: return etag.lowercased() == sha256
        case 40: return etag.lowercased() == gitSHA1
        default: return false
        }
    }
}

/// A file could not be read for hashing.
public struct FileDigestError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var errno: Int32

    public var description: String {
        "cannot read \(path) to hash it: \(String(cString: strerror(errno)))"
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, the form the Hub and the HF cache use for every hash.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
