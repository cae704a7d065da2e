import Crypto
import Foundation

/// The git blob id of a file: SHA-1 of `blob <size>\0` followed by the bytes.
/// Non-LFS files on the Hub are identified by it.
struct GitBlobSHA1 {
    private var hasher = Insecure.SHA1()

    init(size: Int64) {
        hasher.update(data: Data("blob \(size)\0".utf8))
    }

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: bytes)
    }

    func finalizeHex() -> String {
        hasher.finalize().hexString
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String { map { String(format: "%02x", $0) }.joined() }
}
