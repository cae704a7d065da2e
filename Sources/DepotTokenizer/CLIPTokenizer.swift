import Foundation

/// transformers' CLIPTokenizer (the path taken without ftfy), loaded from a tokenizer folder
/// with vocab.json and merges.txt.
public struct CLIPTokenizer: Sendable {
    /// CLIP uses only the first 49152 - 256 - 2 merges of merges.txt.
    static let mergeCount = 49152 - 256 - 2

    public let vocabulary: [String: Int]
    public let bosID: Int
    public let eosID: Int
    public let unkID: Int
    public let padID: Int
    public let maxLength: Int
    private let encoder: BytePairEncoder
    private let specialTokenIDs: [String: Int]

    public init(directory: URL) throws {
        let vocabularyURL = directory.appendingPathComponent("vocab.json")
        let mergesURL = directory.appendingPathComponent("merges.txt")
        let vocabulary = try Self.readVocabulary(vocabularyURL)
        self.vocabulary = vocabulary
        encoder = BytePairEncoder(merges: try Self.readMerges(mergesURL))
        let special = try SpecialTokens.load(from: directory)
        func id(_ name: String, _ token: String) throws -> Int {
            guard let id = vocabulary[token] else {
                throw TokenizerError.unknownSpecialToken(name: name, token: token, directory: directory)
            }
            return id
        }
        bosID = try id("bos_token", special.bos)
        eosID = try id("eos_token", special.eos)
        unkID = try id("unk_token", special.unk)
        padID = try id("pad_token", special.pad)
        maxLength = special.modelMaxLength
        var specialIDs = special.addedTokens
        for token in special.all { specialIDs[token] = vocabulary[token] }
        specialTokenIDs = specialIDs
    }

    /// Token ids without start, end or padding (`tokenizer(prompt, add_special_tokens=False)`).
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        for piece in SpecialTokenSplitter.split(text, specialTokens: Array(specialTokenIDs.keys)) {
            switch piece {
            case .special(let token):
                ids.append(specialTokenIDs[token] ?? unkID)
            case .text(let chunk):
                for word in CLIPPreTokenizer.split(CLIPTextNormalizer.normalize(chunk)) {
                    let symbols = encoder.encode(ByteLevelAlphabet.encode(Array(word.utf8)))
                    ids.append(contentsOf: symbols.map { vocabulary[$0] ?? unkID })
                }
            }
        }
        return ids
    }

    /// The model input: start token, at most `maxLength - 2` ids, end token, then padding to `maxLength`.
    public func inputIDs(_ text: String) -> [Int] {
        let body = encode(text).prefix(maxLength - 2)
        var ids = [bosID] + body + [eosID]
        ids.append(contentsOf: repeatElement(padID, count: maxLength - ids.count))
        return ids
    }

    private static func readVocabulary(_ url: URL) throws -> [String: Int] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TokenizerError.missingFile(url) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TokenizerError.unreadableFile(url, underlying: error.localizedDescription)
        }
        do {
            return try JSONDecoder().decode([String: Int].self, from: data)
        } catch {
            throw TokenizerError.malformedVocabulary(url, detail: String(describing: error))
        }
    }

    private static func readMerges(_ url: URL) throws -> [(String, String)] {
        guard FileManager.default.fileExists(atPath: url.path) else { throw TokenizerError.missingFile(url) }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TokenizerError.unreadableFile(url, underlying: error.localizedDescription)
        }
        let lines = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n", omittingEmptySubsequences: false)
        var merges: [(String, String)] = []
        merges.reserveCapacity(mergeCount)
        // Line 0 is the "#version" header.
        for (index, line) in lines.enumerated().dropFirst().prefix(mergeCount) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError.malformedMerges(url, line: index + 1, text: String(line))
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        return merges
    }
}
