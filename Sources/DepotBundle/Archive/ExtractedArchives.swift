import Foundation

/// Archives extracted once into `{DEPOT_HOME}/extracted/{archive sha256}/` and reused after: the
/// folder appears by rename when complete, and `{sha256}.json` beside it (written last) lists its
/// files with their SHA-256.
public struct ExtractedArchives: Sendable {
    public let root: String
    public var extractor: SafeArchiveExtractor

    public init(depotHome: String, limits: ArchiveLimits = ArchiveLimits()) {
        root = (depotHome as NSString).appendingPathComponent("extracted")
        extractor = SafeArchiveExtractor(limits: limits)
    }

    public struct Extraction: Sendable {
        public var folder: String
        public var files: [ExtractedFile]
        public var reused: Bool
    }

    public func folder(for sha256: String) -> String { (root as NSString).appendingPathComponent(sha256) }

    /// The extraction of the archive at `path` whose content hash is `sha256`, made now if missing.
    public func extraction(of path: String, sha256: String) throws -> Extraction {
        let folder = folder(for: sha256), listing = folder + ".json"
        if let files = Self.readListing(listing), FileManager.default.fileExists(atPath: folder) {
            return Extraction(folder: folder, files: files, reused: true)
        }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let staging = folder + ".partial-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        let files: [ExtractedFile]
        do {
            files = try extractor.extract(path, into: staging)
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        }
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.moveItem(atPath: staging, toPath: folder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(files).write(to: URL(fileURLWithPath: listing), options: .atomic)
        return Extraction(folder: folder, files: files, reused: false)
    }

    /// For `depot gc`: removes every extraction (and leftover partial one) whose archive SHA-256 is
    /// not in `keep` — the zips installed versions still hold. Returns how many folders went.
    @discardableResult
    public func removeExtractions(keeping keep: Set<String>) throws -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return 0 }
        var removed = 0
        for name in names {
            let sha = String(name.prefix { $0 != "." })
            guard !keep.contains(sha) || name.contains(".partial-") else { continue }
            try FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
            if !name.hasSuffix(".json") { removed += 1 }
        }
        return removed
    }

    private static func readListing(_ path: String) -> [ExtractedFile]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode([ExtractedFile].self, from: data)
    }
}
