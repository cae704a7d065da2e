// Decoding of MIL.proto's Value messages (immediate and blob-file values).

extension MILTypedValue {
    /// Value { ValueType type = 2; oneof { ImmediateValue immediateValue = 3; BlobFileValue blobFileValue = 5; } }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        var type: MILType?
        var value = MILValue.elements([])
        while let (field, wire) = try reader.next() {
            switch field {
            case 2: type = try MILType(protobuf: try wire.message("Value.type", field: field))
            case 3: value = try immediateValue(try wire.message("Value.immediateValue", field: field))
            case 5: value = .blobFile(try blobFileValue(try wire.message("Value.blobFileValue", field: field)))
            default: continue
            }
        }
        self.init(type: type, value: value)
    }
}

/// BlobFileValue { string fileName = 1; uint64 offset = 2; }
private func blobFileValue(_ reader: ProtobufReader) throws(ProtobufError) -> MILBlobReference {
    var reader = reader
    var reference = MILBlobReference(path: "", offset: 0)
    while let (field, wire) = try reader.next() {
        switch field {
        case 1: reference.path = try wire.string("BlobFileValue.fileName", field: field)
        case 2: reference.offset = try wire.integer("BlobFileValue.offset", field: field)
        default: continue
        }
    }
    return reference
}

/// ImmediateValue { oneof { TensorValue tensor = 1; TupleValue tuple = 2; ListValue list = 3; DictionaryValue dictionary = 4; } }
private func immediateValue(_ reader: ProtobufReader) throws(ProtobufError) -> MILValue {
    var reader = reader
    var result = MILValue.elements([])
    while let (field, wire) = try reader.next() {
        var body = try wire.message("ImmediateValue", field: field)
        switch field {
        case 1: result = try tensorValue(body)
        case 2, 3:
            // TupleValue / ListValue { repeated Value values = 1; }
            var values: [MILTypedValue] = []
            while let (inner, innerWire) = try body.next() {
                if inner == 1 { values.append(try MILTypedValue(protobuf: try innerWire.message("ImmediateValue.values", field: inner))) }
            }
            result = field == 2 ? .tuple(values) : .list(values)
        case 4:
            // DictionaryValue { repeated KeyValuePair values = 1 { Value key = 1; Value value = 2; } }
            var entries: [MILDictionaryEntry] = []
            while let (inner, innerWire) = try body.next() {
                guard inner == 1 else { continue }
                var pair = try innerWire.message("DictionaryValue.values", field: inner)
                var key: MILTypedValue?, value: MILTypedValue?
                while let (pairField, pairWire) = try pair.next() {
                    if pairField == 1 { key = try MILTypedValue(protobuf: try pairWire.message("KeyValuePair.key", field: pairField)) }
                    if pairField == 2 { value = try MILTypedValue(protobuf: try pairWire.message("KeyValuePair.value", field: pairField)) }
                }
                if let key, let value { entries.append(MILDictionaryEntry(key: key, value: value)) }
            }
            result = .dictionary(entries)
        default: continue
        }
    }
    return result
}

/// TensorValue { oneof { RepeatedFloats floats = 1; RepeatedInts ints = 2; RepeatedBools bools = 3;
/// RepeatedStrings strings = 4; RepeatedLongInts longInts = 5; RepeatedDoubles doubles = 6; RepeatedBytes bytes = 7; } },
/// each Repeated* { repeated T values = 1; }
private func tensorValue(_ reader: ProtobufReader) throws(ProtobufError) -> MILValue {
    var reader = reader
    var elements: [MILScalar] = []
    while let (field, wire) = try reader.next() {
        var body = try wire.message("TensorValue", field: field)
        while let (inner, values) = try body.next() {
            guard inner == 1 else { continue }
            let context = "TensorValue.values"
            switch field {
            case 1: elements += try values.packedFixed32(context, field: inner).map { .float(Double(Float(bitPattern: $0))) }
            case 2: elements += try values.packedVarints(context, field: inner).map { .integer(Int64(Int32(truncatingIfNeeded: $0))) }
            case 3: elements += try values.packedVarints(context, field: inner).map { .bool($0 != 0) }
            case 4: elements.append(.string(try values.string(context, field: inner)))
            case 5: elements += try values.packedVarints(context, field: inner).map { .integer(Int64(bitPattern: $0)) }
            case 6: elements += try values.packedFixed64(context, field: inner).map { .float(Double(bitPattern: $0)) }
            case 7: return .bytes(try values.rawBytes(context, field: inner))
            default: continue
            }
        }
    }
    return .elements(elements)
}
