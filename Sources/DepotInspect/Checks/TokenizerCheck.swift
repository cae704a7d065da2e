import Foundation

/// A CLIP tokenizer folder: vocab.json and merges.txt present (or tokenizer.json), and a vocabulary
/// that fits the text encoder's embedding table.
public enum TokenizerCheck {
    public struct Vocabulary: Sendable, Equatable {
        public var entries: Int
        public var largestID: Int
    }

    public static func check(name: String, root: URL, vocabularySize: Int?, encoder: String) -> [Finding] {
        let folder = root.appendingPathComponent(name, isDirectory: true)
        let exists = { (file: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(file).path) }
        var findings: [Finding] = []
        guard exists("vocab.json") else {
            if exists("tokenizer.json") { return [] }
            return [Finding(file: "\(name)/vocab.json", expected: "vocab.json and merges.txt (or tokenizer.json)", found: "no such file",
                            message: "the tokenizer is incomplete; pull the model again")]
        }
        if !exists("merges.txt") {
            findings.append(Finding(file: "\(name)/merges.txt", expected: "the BPE merges next to vocab.json", found: "no such file",
                                    message: "the tokenizer is incomplete; pull the model again"))
        }
        let vocabulary: Vocabulary
        do {
            vocabulary = try read(folder.appendingPathComponent("vocab.json"))
        } catch {
            findings.append(Finding(file: "\(name)/vocab.json", message: "not a JSON object of token -> id; pull the model again"))
            return findings
        }
        if let vocabularySize, vocabulary.entries > vocabularySize || vocabulary.largestID >= vocabularySize {
            findings.append(Finding(file: "\(name)/vocab.json", subject: "\(encoder)/config.json vocab_size",
                                    expected: "at most \(vocabularySize) tokens with ids below \(vocabularySize)",
                                    found: "\(vocabulary.entries) tokens, largest id \(vocabulary.largestID)",
                                    message: "the tokenizer's vocabulary does not fit the text encoder's embedding table"))
        }
        return findings
    }

    struct NotAVocabulary: Error {}

    static func read(_ url: URL) throws -> Vocabulary {
        guard let map = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else { throw NotAVocabulary() }
        var largest = -1
        for value in map.values {
            guard let id = value as? Int, id >= 0 else { throw NotAVocabulary() }
            largest = max(largest, id)
        }
        return Vocabulary(entries: map.count, largestID: largest)
    }
}
