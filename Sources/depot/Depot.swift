import ArgumentParser

@main
struct Depot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot",
        abstract: "Pull, verify, bundle and smoke-test Stable Diffusion models from the Hugging Face Hub.",
        subcommands: [PullCommand.self, ListCommand.self, ShowCommand.self, RemoveCommand.self, VerifyCommand.self, CollectCommand.self,
                      TokenizeCommand.self, GenerateCommand.self, SmokeCommand.self]
    )
}
