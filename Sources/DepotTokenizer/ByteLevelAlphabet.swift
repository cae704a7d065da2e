/// GPT-2/CLIP byte-level alphabet: every byte gets a printable Unicode character so that
/// BPE can run on text without whitespace or control characters. Printable Latin-1 bytes
/// keep their own code point; the other 68 bytes are moved to U+0100 onwards, in byte order.
enum ByteLevelAlphabet {
    static let characterForByte: [Character] = {
        var table = [Character](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let keepsItself = (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
            let codePoint = keepsItself ? UInt32(byte) : { defer { next += 1 }; return next }()
            table[byte] = Character(Unicode.Scalar(codePoint)!)
        }
        return table
    }()

    static func encode<S: Sequence>(_ bytes: S) -> [Character] where S.Element == UInt8 {
        bytes.map { characterForByte[Int($0)] }
    }
}
