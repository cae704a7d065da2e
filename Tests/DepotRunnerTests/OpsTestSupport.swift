import DepotRunner

/// Deterministic pseudo-random values in [-1, 1) for op tests.
struct OpsTestValues {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }

    mutating func next() -> Float {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(state >> 40) / Float(1 << 23) - 1
    }

    mutating func tensor(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in next() })
    }

    mutating func values(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Direct convolution by definition, for comparison.
func naiveConv(_ x: Tensor, _ w: Tensor, _ bias: [Float]?, stride: Int, padding: Padding2D) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let oh = (h + padding.top + padding.bottom - kh) / stride + 1
    let ow = (wd + padding.left + padding.right - kw) / stride + 1
    var out = [Float](repeating: 0, count: n * o * oh * ow)
    for b in 0..<n { for oc in 0..<o { for y in 0..<oh { for xx in 0..<ow {
        var sum: Float = bias?[oc] ?? 0
        for ic in 0..<c { for i in 0..<kh { for j in 0..<kw {
            let iy = y * stride + i - padding.top, ix = xx * stride + j - padding.left
            if iy >= 0 && iy < h && ix >= 0 && ix < wd {
                sum += x.data[((b * c + ic) * h + iy) * wd + ix] * w.data[((oc * c + ic) * kh + i) * kw + j]
            }
        }}}
        out[((b * o + oc) * oh + y) * ow + xx] = sum
    }}}}
    return Tensor(shape: [n, o, oh, ow], data: out)
}
