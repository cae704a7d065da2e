import ArgumentParser
import DepotBundle
import DepotDaemon
import DepotPull
import DepotStore
import Foundation

/// `depot bundle`: the resource folder Apple's Core ML Stable Diffusion CLI loads, or a check of one.
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Assemble (or check) the resource folder that Apple's StableDiffusionSample --resource-path reads.",
        discussion: """
            Builds a flat folder of compiled Core ML models (.mlmodelc) plus vocab.json and merges.txt from \
            openai/clip-vit-base-patch32, pulling whatever is not installed. Files are hard-linked from the \
            store when on the same file system (--copy copies them). The folder is assembled beside DIR and \
            renamed into place; an existing DIR is replaced only with --force. DIR/bundle.json records every \
            file with its SHA-256 and the command that runs Apple's CLI on it.

            Examples:
              depot bundle coreml-sd-2.1-base -o Resources
              depot bundle coreml-sd-1.5 --variant original -o Resources --force
              depot bundle coreml-sd-1.5 --controlnet lllyasviel/sd-controlnet-mlsd -o Resources
              depot bundle coreml-sdxl-base --refiner ORG/SDXL-REFINER-COREML -o Resources
              depot bundle coreml-sd3-medium --t5 -o Resources
              depot bundle --check Resources
            """
    )

    @Argument(help: ArgumentHelp("The Core ML model to bundle (registry name or repo id).", valueName: "NAME"))
    var model: String?

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The folder to write.", valueName: "DIR"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Attention variant: original, split-einsum or split-einsum-v2.", valueName: "VARIANT"))
    var variant: String?

    @Option(name: .customLong("controlnet"), help: ArgumentHelp("A ControlNet model to add as controlnet/<Name>.mlmodelc (repeatable; the base must ship ControlledUnet).", valueName: "NAME"))
    var controlNets: [String] = []

    @Option(name: .long, help: ArgumentHelp("An SDXL refiner whose UNet becomes UnetRefiner.mlmodelc.", valueName: "NAME"))
    var refiner: String?

    @Flag(name: .customLong("t5"), help: "SD3: add the T5 text encoder (TextEncoderT5.mlmodelc) with google-t5/t5-small's tokenizer.json and tokenizer_config.json.")
    var t5 = false

    @Flag(name: .long, help: "Copy files instead of hard-linking them from the store.")
    var copy = false

    @Flag(name: .long, help: "Replace DIR if it exists.")
    var force = false

    @Option(name: .long, help: ArgumentHelp("Check an existing folder against Apple's resource contract instead of bundling.", valueName: "DIR"))
    var check: String?

    @OptionGroup var outputOptions: OutputOptions

    func validate() throws {
        if check != nil {
            guard model == nil, output == nil else { throw ValidationError("--check DIR takes no NAME or -o") }
            return
        }
        guard model != nil else { throw ValidationError("give NAME -o DIR to bundle, or --check DIR to check a folder") }
        guard output != nil else { throw ValidationError("-o DIR is required: the folder to write") }
        if let variant, !["original", "split-einsum", "split-einsum-v2"].contains(variant) {
            throw ValidationError("--variant must be original, split-einsum or split-einsum-v2")
        }
    }

    func run() async throws {
        if let check {
            try await runCheck(URL(fileURLWithPath: check))
            return
        }
        try await reportingErrors(json: outputOptions.json) {
            let report = if let daemon = await DaemonClient.running(config: try DepotConfig.load()), daemon.address.isThisMachine {
                try await bundleOnDaemon(daemon)
            } else {
                try await bundleInProcess()
            }
            if outputOptions.json {
                try StandardStreams.printJSON(report)
                return
            }
            for warning in report.warnings { StandardStreams.printError("warning: \(warning.message)") }
            let how = report.copied == 0 ? "hard-linked" : report.linked == 0 ? "copied" : "\(report.linked) linked, \(report.copied) copied"
            print("\(report.folder): \(report.kind.rawValue) pipeline\(report.attention.map { " (\($0.rawValue))" } ?? ""), \(report.files) files, \(Format.bytes(report.bytes)) \(how), in \(String(format: "%.2f", report.durationSeconds)) s")
            for model in report.models { print("  \(model.name) \(model.repo)@\(model.commit.prefix(10)) \(model.source)") }
            print("run: \(report.command)")
        }
    }

    private func bundleInProcess() async throws -> BundleReport {
        let bundler = Bundler(service: try DepotService.fromEnvironment())
        let request = BundleRequest(name: model ?? "", output: URL(fileURLWithPath: output ?? ""), variant: variant, copy: copy, force: force,
                                    controlNets: controlNets, refiner: refiner, t5: t5)
        let display = ProgressDisplay()
        defer { display.close() }
        return try await bundler.bundle(request) { event in
            switch event {
            case .pull(let pull): display.show(pull)
            case .waitingForExtraction(let archive): StandardStreams.printError("waiting for another depot extracting \(archive)")
            case .extracting(let archive, let bytes): StandardStreams.printError("extracting \(archive) (\(Format.bytes(bytes)), once: later bundles reuse it)")
            }
        }
    }

    /// The daemon runs the bundle as a job (its pulls survive this terminal); this follows the
    /// job's events with the same progress display. Interrupting this leaves the job running.
    private func bundleOnDaemon(_ daemon: DaemonClient) async throws -> BundleReport {
        let folder = URL(fileURLWithPath: output ?? "").standardizedFileURL.path
        let job = try await daemon.bundle(BundleBody(name: model ?? "", output: folder, variant: variant, copy: copy, force: force,
                                                     controlnets: controlNets, refiner: refiner, t5: t5))
        let display = ProgressDisplay()
        defer { display.close() }
        guard case .bundled(_, let report?) = try await daemon.follow(job, on: display) else {
            throw DaemonClient.reportMissing(job: job, rerun: "bundle")
        }
        return report
    }

    private func runCheck(_ folder: URL) async throws {
        let report = ResourceFolderChecker().check(folder)
        if outputOptions.json {
            try StandardStreams.printJSON(report)
        } else {
            for problem in report.problems { print("\(problem.severity.rawValue): \(problem.message)") }
            if report.ok {
                print("\(report.folder): OK, \(report.kind?.rawValue ?? "?") pipeline\(report.attention.map { " (\($0.rawValue))" } ?? ""), \(report.models.count) models")
                if let command = report.command { print("run: \(command)") }
            } else {
                StandardStreams.printError("depot: \(report.folder) is not a usable resource folder (\(report.errors.count) problem\(report.errors.count == 1 ? "" : "s"))")
            }
        }
        if !report.ok { throw ExitCode.failure }
    }
}
