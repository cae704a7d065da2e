/// Deflate (RFC 1951) with one block of the fixed Huffman codes and LZ77 matches found through a
/// hash chain: much smaller than stored blocks for images, simple enough to keep here.
enum DeflateEncoder {
    private static let windowSize = 32_768
    private static let minimumMatch = 3
    private static let maximumMatch = 258
    private static let maximumChain = 64
    private static let hashBits = 15

    private static let lengthBases: [Int] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
                                             67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtraBits: [Int] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                                 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distanceBases: [Int] = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
                                               513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    private static let distanceExtraBits: [Int] = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
                                                   8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

    static func compress(_ input: [UInt8]) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, width: 1)  // BFINAL
        writer.write(1, width: 2)  // BTYPE 01: fixed Huffman codes
        var head = [Int](repeating: -1, count: 1 << hashBits)
        var previous = [Int](repeating: -1, count: windowSize)
        var position = 0

        func hash(_ at: Int) -> Int {
            let value = Int(input[at]) << 16 | Int(input[at + 1]) << 8 | Int(input[at + 2])
            return (value &* 2_654_435_761) >> (32 - hashBits) & ((1 << hashBits) - 1)
        }
        func insert(_ at: Int) {
            guard at + minimumMatch <= input.count else { return }
            let key = hash(at)
            previous[at % windowSize] = head[key]
            head[key] = at
        }

        while position < input.count {
            var bestLength = 0
            var bestDistance = 0
            if position + minimumMatch <= input.count {
                var candidate = head[hash(position)]
                var chain = 0
                let limit = min(maximumMatch, input.count - position)
                while candidate >= 0, position - candidate <= windowSize, chain < maximumChain {
                    var length = 0
                    while length < limit, input[candidate + length] == input[position + length] { length += 1 }
                    if length > bestLength {
                        bestLength = length
                        bestDistance = position - candidate
                        if length == limit { break }
                    }
                    let next = previous[candidate % windowSize]
                    if next >= candidate { break }
                    candidate = next
                    chain += 1
                }
            }
            if bestLength >= minimumMatch {
                writeLength(bestLength, to: &writer)
                writeDistance(bestDistance, to: &writer)
                for offset in 0..<bestLength { insert(position + offset) }
                position += bestLength
            } else {
                writeLiteral(Int(input[position]), to: &writer)
                insert(position)
                position += 1
            }
        }
        writeLiteral(256, to: &writer)  // end of block
        return writer.flush()
    }

    /// Fixed code of a literal/length symbol (0...287).
    private static func writeLiteral(_ symbol: Int, to writer: inout BitWriter) {
        switch symbol {
        case 0...143: writer.writeCode(UInt32(0x30 + symbol), width: 8)
        case 144...255: writer.writeCode(UInt32(0x190 + symbol - 144), width: 9)
        case 256...279: writer.writeCode(UInt32(symbol - 256), width: 7)
        default: writer.writeCode(UInt32(0xC0 + symbol - 280), width: 8)
        }
    }

    private static func writeLength(_ length: Int, to writer: inout BitWriter) {
        let index = (lengthBases.lastIndex { $0 <= length })!
        writeLiteral(257 + index, to: &writer)
        if lengthExtraBits[index] > 0 { writer.write(UInt32(length - lengthBases[index]), width: lengthExtraBits[index]) }
    }

    private static func writeDistance(_ distance: Int, to writer: inout BitWriter) {
        let index = (distanceBases.lastIndex { $0 <= distance })!
        writer.writeCode(UInt32(index), width: 5)
        if distanceExtraBits[index] > 0 { writer.write(UInt32(distance - distanceBases[index]), width: distanceExtraBits[index]) }
    }
}
