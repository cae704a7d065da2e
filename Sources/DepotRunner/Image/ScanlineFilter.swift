/// PNG scanline filtering (filter method 0): each row is stored as the filter that makes its bytes
/// smallest in absolute value (the heuristic the PNG specification recommends), which lets deflate
/// compress smooth images far better.
enum ScanlineFilter {
    static let bytesPerPixel = 3

    /// Filtered rows, each prefixed by its filter type byte.
    static func filter(pixels: [UInt8], width: Int, height: Int) -> [UInt8] {
        let rowLength = width * bytesPerPixel
        let zeroRow = [UInt8](repeating: 0, count: rowLength)
        var output: [UInt8] = []
        output.reserveCapacity((rowLength + 1) * height)
        var candidate = [UInt8](repeating: 0, count: rowLength)
        var best = [UInt8](repeating: 0, count: rowLength)
        for row in 0..<height {
            let current = Array(pixels[(row * rowLength)..<((row + 1) * rowLength)])
            let above = row == 0 ? zeroRow : Array(pixels[((row - 1) * rowLength)..<(row * rowLength)])
            var bestType: UInt8 = 0
            var bestScore = Int.max
            for type in UInt8(0)...4 {
                apply(type, current: current, above: above, into: &candidate)
                let score = candidate.reduce(0) { $0 + Int(Int8(bitPattern: $1).magnitude) }
                if score < bestScore {
                    bestScore = score
                    bestType = type
                    swap(&best, &candidate)
                }
            }
            output.append(bestType)
            output.append(contentsOf: best)
        }
        return output
    }

    private static func apply(_ type: UInt8, current: [UInt8], above: [UInt8], into result: inout [UInt8]) {
        for index in current.indices {
            let left = index >= bytesPerPixel ? current[index - bytesPerPixel] : 0
            let up = above[index]
            let upLeft = index >= bytesPerPixel ? above[index - bytesPerPixel] : 0
            let predictor: UInt8
            switch type {
            case 0: predictor = 0
            case 1: predictor = left
            case 2: predictor = up
            case 3: predictor = UInt8((Int(left) + Int(up)) / 2)
            default: predictor = paeth(left, up, upLeft)
            }
            result[index] = current[index] &- predictor
        }
    }

    private static func paeth(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt8 {
        let p = Int(a) + Int(b) - Int(c)
        let pa = abs(p - Int(a)), pb = abs(p - Int(b)), pc = abs(p - Int(c))
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }
}
