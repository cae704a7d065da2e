/// Where the constant values of a program come from, and which of them are the model's logical weights:
/// a blob const read as is, or the outermost constexpr op of a compressed weight.
struct WeightGraph: Sendable {
    enum Source: Sendable {
        case blob(Int)
        case immediate(MILTypedValue)
        case constexpr(MILOperation)
    }

    private(set) var blobs: [CoreMLBlob] = []
    private(set) var sources: [String: Source] = [:]
    /// Variable names of the logical weights, in program order.
    private(set) var roots: [String] = []

    /// `resolve` turns a reference into its checked blob record (it throws for a bad reference).
    init(program: MILProgram,
         resolve: (_ name: String, _ type: MILType?, _ reference: MILBlobReference) throws(CoreMLError) -> (file: String, record: WeightBlobRecord)) throws(CoreMLError) {
        var order: [String] = []
        var consumed: Set<String> = []
        for function in program.functions {
            var operations: [MILOperation] = []
            function.block.forEachOperation { operations.append($0) }
            for operation in operations {
                let isConstexpr = operation.type.hasPrefix("constexpr_")
                if operation.type == "const", let output = operation.outputs.first, let value = operation.attributes["val"] {
                    if let reference = value.blobReference {
                        try addBlob(name: output.name, type: output.type, reference: reference, resolve: resolve)
                        order.append(output.name)
                    } else {
                        sources[output.name] = .immediate(value)
                    }
                    continue
                }
                for (input, arguments) in operation.inputs {
                    for (index, argument) in arguments.enumerated() {
                        switch argument {
                        case .variable(let name):
                            if isConstexpr { consumed.insert(name) }
                        case .value(let value):
                            let name = "\(operation.name)_\(input)_\(index)"
                            if let reference = value.blobReference {
                                try addBlob(name: name, type: value.type, reference: reference, resolve: resolve)
                            } else {
                                sources[name] = .immediate(value)
                            }
                        }
                    }
                }
                // iOS16 constexpr ops hold their tensors as attributes rather than inputs.
                for (attribute, value) in operation.attributes.sorted(by: { $0.key < $1.key }) where attribute != "name" {
                    let name = "\(operation.name)_\(attribute)"
                    if let reference = value.blobReference {
                        try addBlob(name: name, type: value.type, reference: reference, resolve: resolve)
                    } else {
                        sources[name] = .immediate(value)
                    }
                }
                if isConstexpr, let output = operation.outputs.first {
                    sources[output.name] = .constexpr(operation)
                    order.append(output.name)
                }
            }
        }
        roots = order.filter { !consumed.contains($0) }
    }

    private mutating func addBlob(name: String, type: MILType?, reference: MILBlobReference,
                                  resolve: (String, MILType?, MILBlobReference) throws(CoreMLError) -> (file: String, record: WeightBlobRecord)) throws(CoreMLError) {
        let (file, record) = try resolve(name, type, reference)
        let declared = type ?? .tensor(MILDataType(rawValue: record.dataType.milName), shape: [])
        sources[name] = .blob(blobs.count)
        blobs.append(CoreMLBlob(name: name, type: declared, reference: reference, file: file, record: record))
    }

    /// The source an op argument names: a variable's producer, an inline value, or an attribute.
    func source(of operation: MILOperation, input: String) -> Source? {
        guard let argument = operation.arguments(input).first else { return sources["\(operation.name)_\(input)"] }
        switch argument {
        case .variable(let name): return sources[name]
        case .value:
            return sources["\(operation.name)_\(input)_0"]
        }
    }

    /// The declared type of an op argument.
    func type(of operation: MILOperation, input: String) -> MILType? {
        switch source(of: operation, input: input) {
        case .blob(let index): blobs[index].type
        case .immediate(let value): value.type
        case .constexpr(let producer): producer.outputs.first?.type
        case nil: nil
        }
    }

    /// Blob bytes a weight occupies, through every constexpr input.
    func storedBytes(of source: Source) -> Int {
        switch source {
        case .blob(let index): Int(blobs[index].record.sizeInBytes)
        case .immediate: 0
        case .constexpr(let operation):
            (operation.inputs.map(\.name) + operation.attributes.keys.filter { $0 != "name" }).reduce(0) { total, input in
                total + (self.source(of: operation, input: input).map(storedBytes) ?? 0)
            }
        }
    }
}
