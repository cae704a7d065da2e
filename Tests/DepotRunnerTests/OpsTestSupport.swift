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
