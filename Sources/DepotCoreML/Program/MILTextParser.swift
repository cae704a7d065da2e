/// Parses the text form of a MIL program (model.mil in an .mlmodelc). Both literal styles are read:
/// `tensor<string, []>("x")` / `tensor<uint64, []>(64)` (older compilers) and `string("x")` / `uint64(64)`.
struct MILTextParser {
    typealias Token = MILTextTokenizer.Token
    typealias Failure = MILTextTokenizer.Failure

    private let tokens: [Token]
    private var position = 0

    static func parse(_ text: String) throws(Failure) -> MILProgram {
        var parser = MILTextParser(tokens: try MILTextTokenizer.tokens(of: text))
        return try parser.program()
    }

    private init(tokens: [Token]) { self.tokens = tokens }

    // MARK: Structure

    private mutating func program() throws(Failure) -> MILProgram {
        try expectIdentifier("program")
        try expect("(")
        let version = try number()
        try expect(")")
        if peek("[") { _ = try attributes() }
        try expect("{")
        var functions: [MILFunction] = []
        while !peek("}") { functions.append(try function()) }
        try expect("}")
        return MILProgram(version: version, functions: functions)
    }

    private mutating func function() throws(Failure) -> MILFunction {
        try expectIdentifier("func")
        let name = try identifier()
        try expect("<")
        let opset = try identifier()
        try expect(">")
        try expect("(")
        var inputs: [MILNamedType] = []
        while !peek(")") {
            let type = try valueType()
            inputs.append(MILNamedType(name: try identifier(), type: type))
            if !accept(",") { break }
        }
        try expect(")")
        if peek("[") { _ = try attributes() }
        return MILFunction(name: name, opset: opset, inputs: inputs, block: try block())
    }

    private mutating func block() throws(Failure) -> MILBlock {
        try expect("{")
        var operations: [MILOperation] = []
        while !peek("}") { operations.append(try operation()) }
        try expect("}")
        try expectArrow()
        try expect("(")
        var outputs: [String] = []
        while !peek(")") {
            outputs.append(try identifier())
            if !accept(",") { break }
        }
        try expect(")")
        _ = accept(";")
        return MILBlock(operations: operations, outputs: outputs)
    }

    private mutating func operation() throws(Failure) -> MILOperation {
        var outputs: [MILNamedType] = []
        if accept("(") {
            while !peek(")") {
                let type = try valueType()
                outputs.append(MILNamedType(name: try identifier(), type: type))
                if !accept(",") { break }
            }
            try expect(")")
        } else {
            let type = try valueType()
            outputs.append(MILNamedType(name: try identifier(), type: type))
        }
        try expect("=")
        let type = try identifier()
        try expect("(")
        var inputs: [(name: String, arguments: [MILArgument])] = []
        while !peek(")") {
            let name = try identifier()
            try expect("=")
            inputs.append((name, try arguments()))
            if !accept(",") { break }
        }
        try expect(")")
        let attributes = peek("[") ? try attributes() : [:]
        if peek("{") { throw failure("ops with nested blocks (\(type)) are not supported in text programs") }
        try expect(";")
        return MILOperation(type: type, outputs: outputs, inputs: inputs, attributes: attributes)
    }

    /// `x`, a literal, or a parenthesised list of either (variadic inputs).
    private mutating func arguments() throws(Failure) -> [MILArgument] {
        guard accept("(") else { return [try argument()] }
        var result: [MILArgument] = []
        while !peek(")") {
            result.append(try argument())
            if !accept(",") { break }
        }
        try expect(")")
        return result
    }

    private mutating func argument() throws(Failure) -> MILArgument {
        if case .identifier(let name) = current.kind, !startsLiteral(at: position) {
            position += 1
            return .variable(name)
        }
        return .value(try literal())
    }

    private mutating func attributes() throws(Failure) -> [String: MILTypedValue] {
        try expect("[")
        var result: [String: MILTypedValue] = [:]
        while !peek("]") {
            let name = try identifier()
            try expect("=")
            result[name] = try literal()
            if !accept(",") { break }
        }
        try expect("]")
        return result
    }

    // MARK: Types and literals

    private func startsLiteral(at index: Int) -> Bool {
        guard index + 1 < tokens.count, case .punctuation(let next) = tokens[index + 1].kind else { return false }
        return next == "(" || next == "<"
    }

    private mutating func valueType() throws(Failure) -> MILType {
        let name = try identifier()
        switch name {
        case "tensor":
            try expect("<")
            let dataType = try identifier()
            try expect(",")
            try expect("[")
            var shape: [Int?] = []
            while !peek("]") {
                shape.append(try dimension())
                if !accept(",") { break }
            }
            try expect("]")
            try expect(">")
            return .tensor(MILDataType(rawValue: dataType), shape: shape)
        case "list":
            try expect("<")
            let element = try valueType()
            try expect(",")
            let length = try dimension()
            try expect(">")
            return .list(element, length: length)
        case "dict":
            try expect("<")
            let key = try valueType()
            try expect(",")
            let value = try valueType()
            try expect(">")
            return .dictionary(key: key, value: value)
        case "tuple":
            try expect("<")
            var types: [MILType] = []
            while !peek(">") {
                types.append(try valueType())
                if !accept(",") { break }
            }
            try expect(">")
            return .tuple(types)
        case "state":
            try expect("<")
            let wrapped = try valueType()
            try expect(">")
            return .state(wrapped)
        default:
            return .scalar(MILDataType(rawValue: name))
        }
    }

    /// A fixed size, or nil for a symbolic (`is0`) or unknown (`?`) dimension.
    private mutating func dimension() throws(Failure) -> Int? {
        switch current.kind {
        case .number(let text):
            position += 1
            guard let value = Int(text) else { throw failure("dimension \(text) is not an integer") }
            return value
        case .identifier:
            position += 1
            return nil
        case .punctuation("?"):
            position += 1
            return nil
        default:
            throw failure("expected a dimension, found \(describe(current))")
        }
    }

    /// `type(payload)`: the payload is BLOBFILE(...), a scalar, a [nested list] or a {dictionary}.
    private mutating func literal() throws(Failure) -> MILTypedValue {
        let type = try valueType()
        try expect("(")
        let value: MILValue
        if case .identifier("BLOBFILE") = current.kind {
            value = .blobFile(try blobFile())
        } else if peek("{") {
            value = .dictionary(try dictionaryPayload())
        } else {
            var elements: [MILScalar] = []
            try payloadElements(into: &elements)
            value = .elements(elements)
        }
        try expect(")")
        return MILTypedValue(type: type, value: value)
    }

    private mutating func blobFile() throws(Failure) -> MILBlobReference {
        position += 1
        try expect("(")
        var path: String?
        var offset: UInt64?
        while !peek(")") {
            let key = try identifier()
            try expect("=")
            let value = try literal()
            switch key {
            case "path": path = value.stringValue
            case "offset": offset = value.scalars?.first?.integerValue.flatMap { UInt64(exactly: $0) }
            default: break
            }
            if !accept(",") { break }
        }
        try expect(")")
        guard let path, let offset else { throw failure("BLOBFILE needs a string path and an integer offset") }
        return MILBlobReference(path: path, offset: offset)
    }

    private mutating func payloadElements(into elements: inout [MILScalar]) throws(Failure) {
        if accept("[") {
            while !peek("]") {
                try payloadElements(into: &elements)
                if !accept(",") { break }
            }
            try expect("]")
            return
        }
        elements.append(try scalar())
    }

    private mutating func dictionaryPayload() throws(Failure) -> [MILDictionaryEntry] {
        try expect("{")
        var entries: [MILDictionaryEntry] = []
        while !peek("}") {
            try expect("{")
            let key = try scalar()
            try expect(",")
            let value = try scalar()
            try expect("}")
            entries.append(MILDictionaryEntry(key: MILTypedValue(type: nil, value: .elements([key])),
                                              value: MILTypedValue(type: nil, value: .elements([value]))))
            if !accept(",") { break }
        }
        try expect("}")
        return entries
    }

    private mutating func scalar() throws(Failure) -> MILScalar {
        let token = current
        position += 1
        switch token.kind {
        case .string(let value): return .string(value)
        case .identifier("true"): return .bool(true)
        case .identifier("false"): return .bool(false)
        case .number(let text):
            if let integer = Int64(text) { return .integer(integer) }
            if let double = Self.parseFloat(text) { return .float(double) }
            throw Failure(line: token.line, column: token.column, problem: "bad number \(text)")
        default:
            throw Failure(line: token.line, column: token.column, problem: "expected a value, found \(describe(token))")
        }
    }

    /// Decimal and hexadecimal (`0x1.8p+3`) floats, `inf`, `-inf`, `nan`.
    private static func parseFloat(_ text: String) -> Double? {
        switch text {
        case "inf", "+inf": return .infinity
        case "-inf": return -.infinity
        case "nan", "-nan", "+nan": return .nan
        default: return Double(text)
        }
    }

    // MARK: Tokens

    private var current: Token { tokens[position] }

    private func peek(_ character: Character) -> Bool {
        if case .punctuation(let found) = current.kind { return found == character }
        return false
    }

    private mutating func accept(_ character: Character) -> Bool {
        guard peek(character) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ character: Character) throws(Failure) {
        guard accept(character) else { throw failure("expected '\(character)', found \(describe(current))") }
    }

    private mutating func expectArrow() throws(Failure) {
        guard current.kind == .arrow else { throw failure("expected '->', found \(describe(current))") }
        position += 1
    }

    private mutating func identifier() throws(Failure) -> String {
        guard case .identifier(let name) = current.kind else { throw failure("expected a name, found \(describe(current))") }
        position += 1
        return name
    }

    private mutating func expectIdentifier(_ word: String) throws(Failure) {
        guard case .identifier(word) = current.kind else { throw failure("expected '\(word)', found \(describe(current))") }
        position += 1
    }

    private mutating func number() throws(Failure) -> String {
        guard case .number(let text) = current.kind else { throw failure("expected a number, found \(describe(current))") }
        position += 1
        return text
    }

    private func failure(_ problem: String) -> Failure {
        Failure(line: current.line, column: current.column, problem: problem)
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .identifier(let name): "'\(name)'"
        case .number(let text): text
        case .string(let value): "\"\(value)\""
        case .punctuation(let character): "'\(character)'"
        case .arrow: "'->'"
        case .end: "the end of the file"
        }
    }
}
