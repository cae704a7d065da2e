import DepotTestSupport
import Foundation

/// The tokenizer fixtures: transformers' ids for public and edge-case prompts.
enum TokenizerFixtures {
    static func url(_ relativePath: String) -> URL { TestEnvironment.fixture(relativePath) }

    struct PromptCase: Decodable {
        let prompt: String
        let ids: [Int]
        let input_ids: [Int]
    }

    static func publicPrompts() throws -> [PromptCase] {
        let data = try Data(contentsOf: url("tokenizer/clip-prompts-public.json"))
        return try JSONDecoder().decode([PromptCase].self, from: data)
    }

    /// Edge-case prompts per tokenizer folder, written by Scripts/gen-tokenizer-fixtures.py.
    static func extraPrompts() throws -> [String: [PromptCase]] {
        let data = try Data(contentsOf: url("tokenizer/clip-prompts-extra.json"))
        return try JSONDecoder().decode([String: [PromptCase]].self, from: data)
    }

    /// Describes every case whose ids differ from what the tokenizer gives.
    static func mismatches(_ cases: [PromptCase], _ encode: (String) -> [Int], _ inputIDs: (String) -> [Int]) -> [String] {
        var found: [String] = []
        for entry in cases {
            let ids = encode(entry.prompt)
            if ids != entry.ids { found.append("ids of \(entry.prompt.debugDescription): \(ids) expected \(entry.ids)") }
            if inputIDs(entry.prompt) != entry.input_ids { found.append("input_ids of \(entry.prompt.debugDescription)") }
        }
        return found
    }
}
