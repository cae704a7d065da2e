import Foundation

/// Why a tokenizer folder could not be loaded.
public enum TokenizerError: Error, CustomStringConvertible, LocalizedError {
    case missingFile(URL)
    case unreadableFile(URL, underlying: String)
    case malformedVocabulary(URL, detail: String)
    case malformedMerges(URL, line: Int, text: String)
    case unknownSpecialToken(name: String, token: String, directory: URL)

    public var description: String {
        switch self {
        case .missingFile(let url):
            return "tokenizer file \(url.path) is missing; a CLIP tokenizer folder needs vocab.json and merges.txt"
        case .unreadableFile(let url, let underlying):
            return "cannot read tokenizer file \(url.path): \(underlying)"
        case .malformedVocabulary(let url, let detail):
            return "vocabulary \(url.path) is not a JSON object of token -> id: \(detail); re-download the tokenizer folder"
        case .malformedMerges(let url, let line, let text):
            return "merges file \(url.path) line \(line) is not a pair of symbols: \"\(text)\"; re-download the tokenizer folder"
        case .unknownSpecialToken(let name, let token, let directory):
            return "\(name) \"\(token)\" configured in \(directory.path) is not in vocab.json; fix special_tokens_map.json or tokenizer_config.json"
        }
    }

    public var errorDescription: String? { description }
}
