import DepotBundle
import DepotPull
import DepotStore
import DepotTestSupport
import Foundation

/// A fixture hub serving generated Core ML repos and the CLIP tokenizer, and a DepotService with a
/// private DEPOT_HOME and HF cache pointed at it.
final class BundleWorld: Sendable {
    static let sd21 = "apple/coreml-stable-diffusion-2-1-base"
    static let clip = "openai/clip-vit-base-patch32"

    let hub: FixtureHub
    let home: TemporaryDirectory
    let service: DepotService

    /// Serves each generated repo at its repo id, plus the CLIP tokenizer fixture.
    init(_ repos: [String: URL]) throws {
        hub = try FixtureHub(repos: repos.merging([Self.clip: TestEnvironment.fixture("clip-vit-base-patch32")]) { a, _ in a })
        home = try TemporaryDirectory("bundle-world")
        let config = try DepotConfig.load(environment: [
            "DEPOT_HOME": home.path("depot-home").path, "HF_HOME": home.path("hf-home").path,
            "HF_ENDPOINT": hub.endpoint, "HOME": home.url.path,
        ])
        service = try DepotService(config: config)
    }

    var bundler: Bundler { Bundler(service: service) }

    func output(_ name: String = "Resources") -> URL { home.path(name) }
}

/// Every regular file under `folder`, relative paths, sorted.
func fileTree(_ folder: URL) throws -> [String] {
    let base = folder.resolvingSymlinksInPath().path + "/"
    guard let walker = FileManager.default.enumerator(at: folder.resolvingSymlinksInPath(), includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    var paths: [String] = []
    for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        paths.append(String(url.resolvingSymlinksInPath().path.dropFirst(base.count)))
    }
    return paths.sorted()
}

/// The inode and link count of a file.
func inode(_ path: String) throws -> (inode: UInt64, links: Int) {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return ((attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0, (attributes[.referenceCount] as? NSNumber)?.intValue ?? 0)
}
