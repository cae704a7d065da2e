import Foundation
import Testing
@testable import DepotTokenizer

@Suite struct CLIPTokenizerTests {
    let tokenizer: CLIPTokenizer

    init() throws {
        tokenizer = try CLIPTokenizer(directory: TokenizerFixtures.url("clip-vit-base-patch32"))
    }

    @Test func everyPublicPromptMatchesTransformers() throws {
        let cases = try TokenizerFixtures.publicPrompts()
        #expect(cases.count >= 100)
        let mismatches = TokenizerFixtures.mismatches(cases, tokenizer.encode, tokenizer.inputIDs)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) prompts differ:\n\(mismatches.prefix(10).joined(separator: "\n"))")
    }

    @Test(arguments: ["tiny-sd1", "tiny-sd2"])
    func edgeCasePromptsMatchTransformers(folder: String) throws {
        let folderTokenizer = try CLIPTokenizer(directory: TokenizerFixtures.url("\(folder)/tokenizer"))
        let cases = try #require(try TokenizerFixtures.extraPrompts()[folder])
        #expect(cases.count >= 100)
        let mismatches = TokenizerFixtures.mismatches(cases, folderTokenizer.encode, folderTokenizer.inputIDs)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(cases.count) prompts differ:\n\(mismatches.prefix(10).joined(separator: "\n"))")
    }

    @Test func inputIDsAreFramedAndPadded() {
        let inputIDs = tokenizer.inputIDs("a cat")
        #expect(inputIDs.count == 77)
        #expect(inputIDs.prefix(4) == [49406, 320, 2368, 49407])
        #expect(inputIDs.dropFirst(4).allSatisfy { $0 == 49407 })
    }

    @Test func longPromptKeepsTheEndToken() {
        let inputIDs = tokenizer.inputIDs(Array(repeating: "word", count: 200).joined(separator: " "))
        #expect(inputIDs.count == 77)
        #expect(inputIDs.first == 49406)
        #expect(inputIDs.last == 49407)
        #expect(inputIDs[75] == tokenizer.vocabulary["word</w>"])
    }

    @Test func sd2FolderPadsWithExclamationMark() throws {
        let sd2 = try CLIPTokenizer(directory: TokenizerFixtures.url("tiny-sd2/tokenizer"))
        #expect(sd2.padID == 0)
        let inputIDs = sd2.inputIDs("a cat")
        #expect(inputIDs.prefix(4) == [49406, 320, 2368, 49407])
        #expect(inputIDs.dropFirst(4).allSatisfy { $0 == 0 })
    }

    /// Ids from transformers 5.24 for a folder whose tokenizer_config.json adds "<sks>" as id 49408.
    @Test func addedTokensFromTheConfigAreKeptWhole() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("depot-added-tokens-\(UUID())")
        try FileManager.default.copyItem(at: TokenizerFixtures.url("tiny-sd1/tokenizer"), to: directory)
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = #"{"model_max_length": 77, "pad_token": "<|endoftext|>", "added_tokens_decoder": {"49408": {"content": "<sks>", "special": false}}}"#
        try Data(config.utf8).write(to: directory.appendingPathComponent("tokenizer_config.json"))
        let custom = try CLIPTokenizer(directory: directory)
        #expect(custom.encode("a <sks> dog") == [320, 49408, 1929])
        #expect(custom.encode("a<sks>dog") == [320, 49408, 1929])
        #expect(custom.encode("A <SKS> dog") == [320, 283, 48136, 285, 1929])
    }

    @Test func missingVocabularyNamesTheFile() {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("no-tokenizer-\(UUID())")
        #expect {
            try CLIPTokenizer(directory: directory)
        } throws: { error in
            "\(error)".contains("vocab.json")
        }
    }
}
