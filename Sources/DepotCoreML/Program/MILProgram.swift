/// An operation argument: a reference to a variable, or (in newer programs) a value written inline.
public enum MILArgument: Sendable, Equatable {
    case variable(String)
    case value(MILTypedValue)
}

/// One MIL operation: `outputs = type(inputs)[attributes]`, with nested blocks for control flow.
public struct MILOperation: Sendable, Equatable {
    public var type: String
    public var outputs: [MILNamedType]
    /// Named inputs in program order; a name binds several arguments for variadic inputs (concat's `values`).
    public var inputs: [(name: String, arguments: [MILArgument])]
    public var attributes: [String: MILTypedValue]
    public var blocks: [MILBlock]

    public init(type: String, outputs: [MILNamedType], inputs: [(name: String, arguments: [MILArgument])],
                attributes: [String: MILTypedValue], blocks: [MILBlock] = []) {
        self.type = type
        self.outputs = outputs
        self.inputs = inputs
        self.attributes = attributes
        self.blocks = blocks
    }

    /// The op's `name` attribute, else its first output's name.
    public var name: String { attributes["name"]?.stringValue ?? outputs.first?.name ?? type }

    public func arguments(_ input: String) -> [MILArgument] {
        inputs.first { $0.name == input }?.arguments ?? []
    }

    public static func == (lhs: MILOperation, rhs: MILOperation) -> Bool {
        lhs.type == rhs.type && lhs.outputs == rhs.outputs && lhs.attributes == rhs.attributes && lhs.blocks == rhs.blocks
            && lhs.inputs.map(\.name) == rhs.inputs.map(\.name) && lhs.inputs.map(\.arguments) == rhs.inputs.map(\.arguments)
    }
}

public struct MILBlock: Sendable, Equatable {
    public var inputs: [MILNamedType]
    public var operations: [MILOperation]
    public var outputs: [String]

    public init(inputs: [MILNamedType] = [], operations: [MILOperation], outputs: [String]) {
        self.inputs = inputs
        self.operations = operations
        self.outputs = outputs
    }

    /// Every operation, nested blocks included, in program order.
    public func forEachOperation(_ body: (MILOperation) throws -> Void) rethrows {
        for operation in operations {
            try body(operation)
            for block in operation.blocks { try block.forEachOperation(body) }
        }
    }
}

public struct MILFunction: Sendable, Equatable {
    public var name: String
    /// The opset the body targets ("ios16", or "CoreML6" in protobuf programs).
    public var opset: String
    public var inputs: [MILNamedType]
    public var block: MILBlock

    public init(name: String, opset: String, inputs: [MILNamedType], block: MILBlock) {
        self.name = name
        self.opset = opset
        self.inputs = inputs
        self.block = block
    }

    /// The output variables with their types, found from the ops that produce them.
    public var outputs: [MILNamedType] {
        var types: [String: MILType] = [:]
        for input in inputs { types[input.name] = input.type }
        block.forEachOperation { operation in
            for output in operation.outputs { types[output.name] = output.type }
        }
        return block.outputs.compactMap { name in types[name].map { MILNamedType(name: name, type: $0) } }
    }
}

/// A MIL program, from model.mil (text) or an .mlpackage's model.mlmodel (protobuf).
public struct MILProgram: Sendable, Equatable {
    /// "1.0" in text programs, "1" from protobuf.
    public var version: String
    public var functions: [MILFunction]

    public init(version: String, functions: [MILFunction]) {
        self.version = version
        self.functions = functions
    }

    /// Count of every op type in the program, nested blocks included.
    public var operationHistogram: [String: Int] {
        var histogram: [String: Int] = [:]
        for function in functions {
            function.block.forEachOperation { histogram[$0.type, default: 0] += 1 }
        }
        return histogram
    }
}
