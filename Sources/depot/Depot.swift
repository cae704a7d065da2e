import ArgumentParser

@main
struct Depot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot",
        abstract: "Pull, verify, bundle and smoke-test Stable Diffusion models from the Hugging Face Hub.",
        subcommands: [TokenizeCommand.self, GenerateCommand.self, SmokeCommand.self]
    )
}
