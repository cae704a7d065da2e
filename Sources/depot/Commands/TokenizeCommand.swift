import ArgumentParser
import DepotTokenizer
import Foundation

/// `depot tokenize`: CLIP token ids of prompts, as transformers' CLIPTokenizer gives them.
struct TokenizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show the CLIP token ids of prompts (the ids a text encoder receives).",
        discussion: "DIR is a tokenizer folder (vocab.json, merges.txt, special_tokens_map.json), e.g. MODEL/tokenizer."
    )

    @Option(name: .long, help: ArgumentHelp("Tokenizer folder.", valueName: "DIR"))
    var tokenizer: String

    @Flag(name: .long, help: "Print a JSON array of {prompt, ids, input_ids}.")
    var json = false

    @Argument(help: "Prompts to tokenize.")
    var prompts: [String]

    struct Entry: Encodable {
        let prompt: String
        let ids: [Int]
        let input_ids: [Int]
    }

    func run() async throws {
        try await reportingErrors(json: json) { try tokenize() }
    }

    private func tokenize() throws {
        let clip = try CLIPTokenizer(directory: URL(fileURLWithPath: tokenizer))
        let entries = prompts.map { Entry(prompt: $0, ids: clip.encode($0), input_ids: clip.inputIDs($0)) }
        if json {
            try StandardStreams.printJSON(entries)
            return
        }
        for entry in entries {
            let padding = entry.input_ids.reversed().prefix { $0 == clip.padID }.count
            print("prompt:    \(entry.prompt.debugDescription)")
            print("ids:       \(entry.ids.count) tokens \(entry.ids)")
            print("input_ids: \(entry.input_ids.count) = start, \(entry.input_ids.count - padding - 2) ids, end, \(padding) x pad \(clip.padID)")
        }
    }
}
