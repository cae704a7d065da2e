/// A float32 tensor: a shape and row-major contiguous storage.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var data: [Float]

    public init(shape: [Int], data: [Float]) {
        precondition(shape.reduce(1, *) == data.count, "shape \(shape) needs \(shape.reduce(1, *)) values, got \(data.count)")
        self.shape = shape
        self.data = data
    }

    public static func zeros(_ shape: [Int]) -> Tensor {
        Tensor(shape: shape, data: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A tensor whose storage `fill` writes completely (no zeroing pass).
    static func uninitialized(_ shape: [Int], fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        let count = shape.reduce(1, *)
        let data = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
        return Tensor(shape: shape, data: data)
    }

    public var count: Int { data.count }

    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, data: data) }

    /// Elementwise sum of two tensors of the same shape.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        precondition(lhs.shape == rhs.shape, "cannot add \(lhs.shape) and \(rhs.shape)")
        return Tensor.uninitialized(lhs.shape) { out in
            lhs.data.withUnsafeBufferPointer { a in
                rhs.data.withUnsafeBufferPointer { b in
                    Parallel.forRanges(out.count) { range in
                        for index in range { out[index] = a[index] + b[index] }
                    }
                }
            }
        }
    }

    /// Multiplies every value by `factor`.
    public func scaled(by factor: Float) -> Tensor {
        Tensor(shape: shape, data: data.map { $0 * factor })
    }

    /// Largest absolute value (0 for an empty tensor).
    public var maxAbs: Float { data.reduce(0) { max($0, abs($1)) } }
}
