// Scripts/bench/catalog-list's driver: fills a catalog with versions, or opens it and prints the
// installed versions the way `depot list` does (open + migrate check + one query + output).
//
//   depot-catalog-driver fill CATALOG COUNT    record COUNT versions of 12 files each
//   depot-catalog-driver list CATALOG          print one line per installed version
//   depot-catalog-driver noop                  start and exit (the process floor)
import DepotStore
import Foundation

@main
struct CatalogDriver {
    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        switch (arguments.first, arguments.count) {
        case ("fill", 3):
            try await fill(path: arguments[2], count: Int(arguments[3]) ?? 200)
        case ("list", 2):
            try await list(path: arguments[2])
        case ("noop", 1):
            return
        default:
            FileHandle.standardError.write(Data("usage: depot-catalog-driver fill CATALOG COUNT | list CATALOG | noop\n".utf8))
            exit(2)
        }
    }

    static func fill(path: String, count: Int) async throws {
        let catalog = try Catalog(path: path)
        let components = ["model_index.json", "scheduler/scheduler_config.json", "text_encoder/config.json",
                          "text_encoder/model.safetensors", "tokenizer/merges.txt", "tokenizer/special_tokens_map.json",
                          "tokenizer/tokenizer_config.json", "tokenizer/vocab.json", "unet/config.json",
                          "unet/diffusion_pytorch_model.safetensors", "vae/config.json", "vae/diffusion_pytorch_model.safetensors"]
        for index in 0..<count {
            let files = components.enumerated().map { offset, path in
                let hash = String(format: "%064x", index * 100 + offset)
                return VerifiedFile(path: path, size: Int64(1_000 * (offset + 1)), sha256: hash,
                                    etag: hash, isLFS: path.hasSuffix(".safetensors"))
            }
            try await catalog.recordInstalledVersion(NewVersion(
                name: "model-\(index % 25)", repo: "bench/model-\(index % 25)", kind: "diffusers",
                commit: String(format: "%040x", index), revision: "main", files: files))
        }
    }

    static func list(path: String) async throws {
        guard let catalog = try Catalog.openForReading(path: path) else { return }
        var output = ""
        for version in try await catalog.installedVersions() {
            output += "\(version.name)\t\(version.repo)\t\(version.commit.prefix(12))\t\(version.revision)\t"
                + "\(version.fileCount)\t\(version.bytes)\t\(version.pulledAt)\t\(version.verifiedAt.map { "\($0)" } ?? "-")\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
