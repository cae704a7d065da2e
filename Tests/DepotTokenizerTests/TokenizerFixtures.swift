import Foundation

/// Locates Tests/Fixtures from this source file, walking up to the package root.
enum TokenizerFixtures {
    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                return directory.appendingPathComponent("Tests/Fixtures")
            }
            directory = directory.deletingLastPathComponent()
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

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
