/// Splits normalized CLIP text into words the way CLIP's pattern does:
/// `<|startoftext|>|<|endoftext|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+`
/// trying the alternatives in that order at each position (the text is already lowercase).
/// The byte-level step that follows splits a matched `<|endoftext|>` literal once more, into
/// `<|`, `endoftext` and `|>`, so the literals come out as three words.
enum CLIPPreTokenizer {
    private static let literalTokens: [[Unicode.Scalar]] = ["<|startoftext|>", "<|endoftext|>"].map { Array($0.unicodeScalars) }
    private static let contractionSuffixes: [[Unicode.Scalar]] = ["s", "t", "re", "ve", "m", "ll", "d"].map { Array($0.unicodeScalars) }

    static func split(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var words: [String] = []
        var position = 0
        while position < scalars.count {
            if let literal = literalTokens.first(where: { hasPrefix(scalars, $0, at: position) }) {
                words.append(contentsOf: splitLetterRuns(literal))
                position += literal.count
            } else if let length = matchLength(in: scalars, at: position) {
                var word = String.UnicodeScalarView()
                word.append(contentsOf: scalars[position..<(position + length)])
                words.append(String(word))
                position += length
            } else {
                position += 1
            }
        }
        return words
    }

    private static func matchLength(in scalars: [Unicode.Scalar], at position: Int) -> Int? {
        if scalars[position] == "'" {
            for suffix in contractionSuffixes where hasPrefix(scalars, suffix, at: position + 1) {
                return suffix.count + 1
            }
        }
        let first = scalars[position]
        if isLetter(first) {
            var end = position + 1
            while end < scalars.count, isLetter(scalars[end]) { end += 1 }
            return end - position
        }
        if isNumber(first) { return 1 }
        if isWhitespace(first) { return nil }
        var end = position + 1
        while end < scalars.count, !isWhitespace(scalars[end]), !isLetter(scalars[end]), !isNumber(scalars[end]) { end += 1 }
        return end - position
    }

    /// Cuts a literal into maximal runs of letters and of non-letters.
    private static func splitLetterRuns(_ scalars: [Unicode.Scalar]) -> [String] {
        var runs: [String] = []
        var current = String.UnicodeScalarView()
        var currentIsLetters = false
        for scalar in scalars {
            if !current.isEmpty, isLetter(scalar) != currentIsLetters {
                runs.append(String(current))
                current = String.UnicodeScalarView()
            }
            currentIsLetters = isLetter(scalar)
            current.append(scalar)
        }
        if !current.isEmpty { runs.append(String(current)) }
        return runs
    }

    private static func hasPrefix(_ scalars: [Unicode.Scalar], _ prefix: [Unicode.Scalar], at position: Int) -> Bool {
        guard position + prefix.count <= scalars.count else { return false }
        return zip(scalars[position...], prefix).allSatisfy { $0 == $1 }
    }

    static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        CLIPTextNormalizer.isWhitespace(scalar)
    }
}
