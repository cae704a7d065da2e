import ArgumentParser
import DepotCore
import DepotRunner

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
        version: DepotVersion.current,
        subcommands: [PullCommand.self, ListCommand.self, ShowCommand.self, RemoveCommand.self, VerifyCommand.self, InspectCommand.self, CollectCommand.self,
                      TokenizeCommand.self, GenerateCommand.self, SmokeCommand.self, BundleCommand.self, ServeCommand.self, StatusCommand.self,
                      TrackCommand.self, UntrackCommand.self, PinCommand.self]
    )

    static func main() async {
        #if os(Linux)
        // The runner's speed depends on OpenBLAS picking kernels for this CPU; it cannot be told
        // after it loaded, so commands that run the model restart once with the right variables.
        if let command = CommandLine.arguments.dropFirst().first, ["generate", "smoke"].contains(command) {
            BLASRuntime.relaunchTunedIfNeeded()
        }
        #endif
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
