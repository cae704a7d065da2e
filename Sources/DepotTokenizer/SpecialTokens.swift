import Foundation

/// The special tokens of a tokenizer folder: special_tokens_map.json first, then
/// tokenizer_config.json, then CLIP's defaults. Entries are strings or `{"content": ...}` objects.
struct SpecialTokens: Sendable, Equatable {
    var bos = "<|startoftext|>"
    var eos = "<|endoftext|>"
    var unk = "<|endoftext|>"
    var pad = "<|endoftext|>"
    var modelMaxLength = 77
    /// Tokens listed in tokenizer_config.json's added_tokens_decoder (content -> id): cut out of the text whole.
    var addedTokens: [String: Int] = [:]

    static func load(from directory: URL) throws -> SpecialTokens {
        var tokens = SpecialTokens()
        // tokenizer_config.json is read first so that special_tokens_map.json wins where both speak.
        for name in ["tokenizer_config.json", "special_tokens_map.json"] {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let object = try readJSONObject(url)
            if let value = tokenText(object["bos_token"]) { tokens.bos = value }
            if let value = tokenText(object["eos_token"]) { tokens.eos = value }
            if let value = tokenText(object["unk_token"]) { tokens.unk = value }
            if let value = tokenText(object["pad_token"]) { tokens.pad = value }
            if let length = object["model_max_length"] as? Int, length > 2, length < 1_000_000 {
                tokens.modelMaxLength = length
            }
            if let added = object["added_tokens_decoder"] as? [String: Any] {
                for (key, value) in added {
                    if let id = Int(key), let content = tokenText(value) { tokens.addedTokens[content] = id }
                }
            }
        }
        return tokens
    }

    var all: [String] { [bos, eos, unk, pad] }

    private static func tokenText(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let object = value as? [String: Any], let text = object["content"] as? String { return text }
        return nil
    }

    private static func readJSONObject(_ url: URL) throws -> [String: Any] {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError.unreadableFile(url, underlying: error.localizedDescription)
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TokenizerError.unreadableFile(url, underlying: "not a JSON object")
        }
        return object
    }
}
