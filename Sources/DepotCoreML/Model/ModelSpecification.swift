/// What depot reads from an .mlpackage's model.mlmodel (a Model message of coremltools' Model.proto).
struct ModelSpecification: Sendable {
    var specificationVersion: Int = 0
    var inputs: [CoreMLFeature] = []
    var outputs: [CoreMLFeature] = []
    var userDefinedMetadata: [String: String] = [:]
    var program: MILProgram?

    /// Model { int32 specificationVersion = 1; ModelDescription description = 2; MILSpec.Program mlProgram = 502; }
    init(protobuf reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        while let (field, wire) = try reader.next() {
            switch field {
            case 1: specificationVersion = Int(truncatingIfNeeded: try wire.integer("Model.specificationVersion", field: field))
            case 2: try readDescription(try wire.message("Model.description", field: field))
            case 502: program = try MILProgram(protobuf: try wire.message("Model.mlProgram", field: field))
            default: continue
            }
        }
    }

    /// ModelDescription { repeated FeatureDescription input = 1; repeated FeatureDescription output = 10; Metadata metadata = 100; }
    private mutating func readDescription(_ reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        while let (field, wire) = try reader.next() {
            switch field {
            case 1: inputs.append(try feature(try wire.message("ModelDescription.input", field: field)))
            case 10: outputs.append(try feature(try wire.message("ModelDescription.output", field: field)))
            case 100: try readMetadata(try wire.message("ModelDescription.metadata", field: field))
            default: continue
            }
        }
    }

    /// Metadata { ...; map<string, string> userDefined = 100; }
    private mutating func readMetadata(_ reader: ProtobufReader) throws(ProtobufError) {
        var reader = reader
        while let (field, wire) = try reader.next() {
            guard field == 100 else { continue }
            var entry = try wire.message("Metadata.userDefined", field: field)
            var key = "", value = ""
            while let (inner, innerWire) = try entry.next() {
                if inner == 1 { key = try innerWire.string(entry.context, field: inner) }
                if inner == 2 { value = try innerWire.string(entry.context, field: inner) }
            }
            userDefinedMetadata[key] = value
        }
    }
}

private let featureKinds = [1: "Int64", 2: "Double", 3: "String", 4: "Image", 5: "MultiArray",
                            6: "Dictionary", 7: "Sequence", 8: "State"]
private let arrayDataTypes: [UInt64: String] = [65568: "Float32", 65600: "Double", 131104: "Int32",
                                                131080: "Int8", 65552: "Float16"]

/// FeatureDescription { string name = 1; FeatureType type = 3; }, FeatureType { oneof Type { ...; ArrayFeatureType multiArrayType = 5; ... } },
/// ArrayFeatureType { repeated int64 shape = 1; ArrayDataType dataType = 2; }
private func feature(_ reader: ProtobufReader) throws(ProtobufError) -> CoreMLFeature {
    var reader = reader
    var result = CoreMLFeature(name: "", kind: "", dataType: nil, shape: [])
    while let (field, wire) = try reader.next() {
        switch field {
        case 1: result.name = try wire.string("FeatureDescription.name", field: field)
        case 3:
            var type = try wire.message("FeatureDescription(\(result.name)).type", field: field)
            while let (kind, kindWire) = try type.next() {
                guard let name = featureKinds[kind] else { continue }
                result.kind = name
                guard kind == 5 else { continue }
                var array = try kindWire.message(type.context, field: kind)
                while let (arrayField, arrayWire) = try array.next() {
                    if arrayField == 1 { result.shape += try arrayWire.packedVarints(array.context, field: arrayField).map { Int(truncatingIfNeeded: $0) } }
                    if arrayField == 2 {
                        let code = try arrayWire.integer(array.context, field: arrayField)
                        result.dataType = arrayDataTypes[code] ?? "unknown(\(code))"
                    }
                }
            }
        default: continue
        }
    }
    return result
}
