/// Splits model.mil text into tokens: identifiers, numbers, strings, punctuation and `->`.
struct MILTextTokenizer {
    enum Kind: Equatable {
        case identifier(String)
        /// The literal as written (decimal, exponent, hexadecimal float, `inf`, `nan`), signed.
        case number(String)
        case string(String)
        case punctuation(Character)
        case arrow
        case end
    }

    struct Token {
        var kind: Kind
        var line: Int
        var column: Int
    }

    struct Failure: Error {
        var line: Int
        var column: Int
        var problem: String
    }

    static func tokens(of text: String) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var index = 0, line = 1, lineStart = 0
        func isIdentifierByte(_ byte: UInt8) -> Bool {
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x5F || byte == 0x2E || byte == 0x40 || byte >= 0x80
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        while index < bytes.count {
            let byte = bytes[index]
            let column = index - lineStart + 1
            switch byte {
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x2F where index + 1 < bytes.count && bytes[index + 1] == 0x2F:
                // A `//` comment runs to the end of the line.
                while index < bytes.count && bytes[index] != 0x0A { index += 1 }
            case 0x22:
                var value: [UInt8] = []
                index += 1
                while true {
                    guard index < bytes.count, bytes[index] != 0x0A else {
                        throw Failure(line: line, column: column, problem: "unterminated string")
                    }
                    let character = bytes[index]
                    index += 1
                    if character == 0x22 { break }
                    if character == 0x5C, index < bytes.count {
                        let escaped = bytes[index]
                        index += 1
                        switch escaped {
                        case 0x6E: value.append(0x0A)
                        case 0x74: value.append(0x09)
                        default: value.append(escaped)
                        }
                    } else {
                        value.append(character)
                    }
                }
                tokens.append(Token(kind: .string(String(decoding: value, as: UTF8.self)), line: line, column: column))
            case 0x2D where index + 1 < bytes.count && bytes[index + 1] == 0x3E:
                tokens.append(Token(kind: .arrow, line: line, column: column))
                index += 2
            case _ where isDigit(byte) || ((byte == 0x2D || byte == 0x2B) && index + 1 < bytes.count
                                           && (isDigit(bytes[index + 1]) || bytes[index + 1] == 0x69 || bytes[index + 1] == 0x6E)):
                // Numbers, signed infinities and NaN: digits, letters (hex floats, exponents), '.', and signs after p/e.
                let start = index
                index += 1
                while index < bytes.count {
                    let next = bytes[index]
                    let previous = bytes[index - 1] | 0x20
                    if isIdentifierByte(next) || ((next == 0x2D || next == 0x2B) && (previous == 0x65 || previous == 0x70)) {
                        index += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(kind: .number(String(decoding: bytes[start..<index], as: UTF8.self)), line: line, column: column))
            case _ where isIdentifierByte(byte):
                let start = index
                while index < bytes.count && isIdentifierByte(bytes[index]) { index += 1 }
                let word = String(decoding: bytes[start..<index], as: UTF8.self)
                let kind: Kind = (word == "inf" || word == "nan") ? .number(word) : .identifier(word)
                tokens.append(Token(kind: kind, line: line, column: column))
            case 0x28, 0x29, 0x5B, 0x5D, 0x7B, 0x7D, 0x3C, 0x3E, 0x2C, 0x3D, 0x3B, 0x3F:
                tokens.append(Token(kind: .punctuation(Character(Unicode.Scalar(byte))), line: line, column: column))
                index += 1
            default:
                throw Failure(line: line, column: column, problem: "unexpected character '\(Character(Unicode.Scalar(byte)))'")
            }
        }
        tokens.append(Token(kind: .end, line: line, column: index - lineStart + 1))
        return tokens
    }
}
