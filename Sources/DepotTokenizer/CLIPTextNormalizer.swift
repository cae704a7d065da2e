import Foundation

/// The normalizer of transformers' CLIPTokenizer (tokenizers backend): NFC composition, every
/// run of white space replaced by one space, then lowercasing character by character (no
/// context rules such as Greek final sigma, no trimming, control characters kept).
enum CLIPTextNormalizer {
    static func normalize(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        var output = ""
        output.reserveCapacity(composed.utf8.count)
        var previousWasSpace = false
        for scalar in composed.unicodeScalars {
            if isWhitespace(scalar) {
                if !previousWasSpace { output.unicodeScalars.append(" ") }
                previousWasSpace = true
            } else {
                output += scalar.properties.lowercaseMapping
                previousWasSpace = false
            }
        }
        return output
    }

    /// The Unicode White_Space property, which is what `\s` means in the tokenizer's patterns.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }
}
