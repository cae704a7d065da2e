/// The tensors a model needs for its config: names with their shapes, in construction order.
public struct ExpectedTensors: Sendable, Equatable {
    public private(set) var names: [String] = []
    public private(set) var shapes: [String: [Int]] = [:]
    /// Tensors a checkpoint may hold or leave out (buffers some library versions save).
    public private(set) var optional: [String: [Int]] = [:]

    public init() {}

    public mutating func add(_ name: String, _ shape: [Int]) {
        if shapes.updateValue(shape, forKey: name) == nil { names.append(name) }
    }

    public mutating func addOptional(_ name: String, _ shape: [Int]) {
        optional[name] = shape
    }

    /// A weight [out, in] (or a conv kernel) and its bias [out].
    mutating func linear(_ prefix: String, in input: Int, out output: Int, bias: Bool = true) {
        add("\(prefix).weight", [output, input])
        if bias { add("\(prefix).bias", [output]) }
    }

    mutating func conv(_ prefix: String, in input: Int, out output: Int, kernel: Int, bias: Bool = true) {
        add("\(prefix).weight", [output, input, kernel, kernel])
        if bias { add("\(prefix).bias", [output]) }
    }

    /// GroupNorm and LayerNorm: scale and shift of `channels`.
    mutating func norm(_ prefix: String, channels: Int) {
        add("\(prefix).weight", [channels])
        add("\(prefix).bias", [channels])
    }

    public var parameterCount: Int { shapes.values.reduce(0) { $0 + $1.reduce(1, *) } }
}
