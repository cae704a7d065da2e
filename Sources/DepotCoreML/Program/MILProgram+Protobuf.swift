// Decoding of MIL.proto messages, from the field numbers of coremltools' mlmodel/format/MIL.proto.
// Only what inspection needs is read; other fields are skipped.

extension MILProgram {
    /// Program { int64 version = 1; map<string, Function> functions = 2; ... }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var version: UInt64 = 0
        var functions: [MILFunction] = []
        while let (field, value) = try reader.next() {
            switch field {
            case 1: version = try value.integer("Program.version", field: field)
            case 2:
                let (name, body) = try mapEntry(value, "Program.functions")
                guard let body else { continue }
                functions.append(try MILFunction(protobuf: body, name: name))
            default: continue
            }
        }
        self.init(version: String(version), functions: functions)
    }
}

/// A map<string, Message> entry { string key = 1; Message value = 2; }.
private func mapEntry(_ value: ProtobufReader.WireValue, _ context: String) throws(ProtobufError) -> (String, ProtobufReader?) {
    var entry = try value.message(context, field: 0)
    var key = ""
    var body: ProtobufReader?
    while let (field, value) = try entry.next() {
        switch field {
        case 1: key = try value.string(context + ".key", field: field)
        case 2: body = try value.message(context + ".value", field: field)
        default: continue
        }
    }
    body?.context = "\(context)[\(key)]"
    return (key, body)
}

extension MILFunction {
    /// Function { repeated NamedValueType inputs = 1; string opset = 2; map<string, Block> block_specializations = 3; }
    init(protobuf reader: ProtobufReader, name: String) throws(ProtobufError) {
        var reader = reader
        var inputs: [MILNamedType] = []
        var opset = ""
        var blocks: [(String, MILBlock)] = []
        while let (field, value) = try reader.next() {
            switch field {
            case 1: inputs.append(try MILNamedType(protobuf: try value.message("\(reader.context).inputs", field: field)))
            case 2: opset = try value.string("\(reader.context).opset", field: field)
            case 3:
                let (key, body) = try mapEntry(value, "\(reader.context).block_specializations")
                if let body { blocks.append((key, try MILBlock(protobuf: body))) }
            default: continue
            }
        }
        guard let block = blocks.first(where: { $0.0 == opset })?.1 ?? blocks.first?.1 else {
            throw .malformed(context: reader.context, offset: 0, reason: "function \(name) has no block")
        }
        self.init(name: name, opset: opset, inputs: inputs, block: block)
    }
}

extension MILBlock {
    /// Block { repeated NamedValueType inputs = 1; repeated string outputs = 2; repeated Operation operations = 3; }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var inputs: [MILNamedType] = [], outputs: [String] = [], operations: [MILOperation] = []
        while let (field, value) = try reader.next() {
            switch field {
            case 1: inputs.append(try MILNamedType(protobuf: try value.message("\(reader.context).inputs", field: field)))
            case 2: outputs.append(try value.string("\(reader.context).outputs", field: field))
            case 3: operations.append(try MILOperation(protobuf: try value.message("\(reader.context).operations", field: field)))
            default: continue
            }
        }
        self.init(inputs: inputs, operations: operations, outputs: outputs)
    }
}

extension MILOperation {
    /// Operation { string type = 1; map<string, Argument> inputs = 2; repeated NamedValueType outputs = 3;
    /// repeated Block blocks = 4; map<string, Value> attributes = 5; }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var type = ""
        var inputs: [(name: String, arguments: [MILArgument])] = []
        var outputs: [MILNamedType] = []
        var blocks: [MILBlock] = []
        var attributes: [String: MILTypedValue] = [:]
        while let (field, value) = try reader.next() {
            switch field {
            case 1: type = try value.string("Operation.type", field: field)
            case 2:
                let (name, body) = try mapEntry(value, "Operation(\(type)).inputs")
                if let body { inputs.append((name, try argumentBindings(body))) }
            case 3: outputs.append(try MILNamedType(protobuf: try value.message("Operation(\(type)).outputs", field: field)))
            case 4: blocks.append(try MILBlock(protobuf: try value.message("Operation(\(type)).blocks", field: field)))
            case 5:
                let (name, body) = try mapEntry(value, "Operation(\(type)).attributes")
                if let body { attributes[name] = try MILTypedValue(protobuf: body) }
            default: continue
            }
        }
        self.init(type: type, outputs: outputs, inputs: inputs, attributes: attributes, blocks: blocks)
    }
}

/// Argument { repeated Binding arguments = 1; }, Binding { oneof { string name = 1; Value value = 2; } }
private func argumentBindings(_ reader: ProtobufReader) throws(ProtobufError) -> [MILArgument] {
    var reader = reader
    var result: [MILArgument] = []
    while let (field, value) = try reader.next() {
        guard field == 1 else { continue }
        var binding = try value.message("\(reader.context).binding", field: field)
        while let (bindingField, bindingValue) = try binding.next() {
            switch bindingField {
            case 1: result.append(.variable(try bindingValue.string(binding.context, field: bindingField)))
            case 2: result.append(.value(try MILTypedValue(protobuf: try bindingValue.message(binding.context, field: bindingField))))
            default: continue
            }
        }
    }
    return result
}

extension MILNamedType {
    /// NamedValueType { string name = 1; ValueType type = 2; }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var name = ""
        var type: MILType?
        while let (field, value) = try reader.next() {
            switch field {
            case 1: name = try value.string("NamedValueType.name", field: field)
            case 2: type = try MILType(protobuf: try value.message("NamedValueType(\(name)).type", field: field))
            default: continue
            }
        }
        guard let type else { throw .malformed(context: "NamedValueType(\(name))", offset: 0, reason: "no type") }
        self.init(name: name, type: type)
    }
}

extension MILType {
    /// ValueType { oneof { TensorType tensorType = 1; ListType listType = 2; TupleType tupleType = 3;
    /// DictionaryType dictionaryType = 4; StateType stateType = 5; } }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var result: MILType?
        while let (field, value) = try reader.next() {
            var body = try value.message(reader.context, field: field)
            switch field {
            case 1: result = try tensorType(body)
            case 2:
                var element: MILType?, length: Int?
                while let (inner, innerValue) = try body.next() {
                    if inner == 1 { element = try MILType(protobuf: try innerValue.message(body.context, field: inner)) }
                    if inner == 2 { length = try dimension(try innerValue.message(body.context, field: inner)) }
                }
                if let element { result = .list(element, length: length) }
            case 3:
                var types: [MILType] = []
                while let (inner, innerValue) = try body.next() {
                    if inner == 1 { types.append(try MILType(protobuf: try innerValue.message(body.context, field: inner))) }
                }
                result = .tuple(types)
            case 4:
                var key: MILType?, valueType: MILType?
                while let (inner, innerValue) = try body.next() {
                    if inner == 1 { key = try MILType(protobuf: try innerValue.message(body.context, field: inner)) }
                    if inner == 2 { valueType = try MILType(protobuf: try innerValue.message(body.context, field: inner)) }
                }
                if let key, let valueType { result = .dictionary(key: key, value: valueType) }
            case 5:
                while let (inner, innerValue) = try body.next() {
                    if inner == 1 { result = .state(try MILType(protobuf: try innerValue.message(body.context, field: inner))) }
                }
            default: continue
            }
        }
        guard let result else { throw .malformed(context: reader.context, offset: 0, reason: "ValueType without a type") }
        self = result
    }
}

/// TensorType { DataType dataType = 1; int64 rank = 2; repeated Dimension dimensions = 3; }
private func tensorType(_ reader: ProtobufReader) throws(ProtobufError) -> MILType {
    var reader = reader
    var dataType = MILDataType(rawValue: "unknown")
    var shape: [Int?] = []
    while let (field, value) = try reader.next() {
        switch field {
        case 1:
            let code = try value.integer("TensorType.dataType", field: field)
            dataType = MILDataType.protobufCodes[code] ?? MILDataType(rawValue: "unknown(\(code))")
        case 3: shape.append(try dimension(try value.message("TensorType.dimensions", field: field)))
        default: continue
        }
    }
    return .tensor(dataType, shape: shape)
}

/// Dimension { oneof { ConstantDimension constant = 1 { uint64 size = 1; }; UnknownDimension unknown = 2; } }
private func dimension(_ reader: ProtobufReader) throws(ProtobufError) -> Int? {
    var reader = reader
    var size: Int?
    while let (field, value) = try reader.next() {
        guard field == 1 else { continue }
        var constant = try value.message("Dimension.constant", field: field)
        size = 0
        while let (inner, innerValue) = try constant.next() {
            if inner == 1 { size = Int(truncatingIfNeeded: try innerValue.integer("Dimension.constant.size", field: inner)) }
        }
    }
    return size
}
