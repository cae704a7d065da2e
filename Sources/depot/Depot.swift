import ArgumentParser

@main
struct Depot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "depot",
        abstract: "Pull, verify, bundle and smoke-test Stable Diffusion models from the Hugging Face Hub.",
        discussion: """
            Models are stored in the Hugging Face cache ($HF_HUB_CACHE, default ~/.cache/huggingface/hub), \
            shared with huggingface_hub; depot's catalog lives in $DEPOT_HOME (default ~/.local/share/depot). \
            Set DEPOT_LOG_LEVEL=info to see retries, redirects and resumes.
            """,
        subcommands: [PullCommand.self, ListCommand.self, ShowCommand.self, RemoveCommand.self, VerifyCommand.self, CollectCommand.self,
                      TokenizeCommand.self, GenerateCommand.self, SmokeCommand.self, BundleCommand.self]
    )

    static func main() async {
        LoggingSetup.bootstrap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
