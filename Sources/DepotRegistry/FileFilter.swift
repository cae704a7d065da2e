import Foundation

/// Which files of a repo to pull: huggingface_hub's `allow_patterns` / `ignore_patterns` rules,
/// possibly in several layers (the registry entry, its variant, the user's `--include` /
/// `--exclude`), every layer having to accept a file.
///
/// In one layer a path is kept when it matches at least one include pattern (or the layer has
/// none) and no exclude pattern. A pattern ending in `/` means everything under that folder, and
/// `\` is read as `/` in patterns and paths, as huggingface_hub does.
public struct FileFilter: Sendable, Equatable {
    /// One set of include and exclude patterns.
    public struct Layer: Sendable, Equatable {
        public let include: [String]
        public let exclude: [String]
        fileprivate let includePatterns: [GlobPattern]
        fileprivate let excludePatterns: [GlobPattern]

        init(include: [String], exclude: [String]) {
            self.include = include
            self.exclude = exclude
            includePatterns = include.map(Self.compile)
            excludePatterns = exclude.map(Self.compile)
        }

        func accepts(_ path: String) -> Bool {
            if !includePatterns.isEmpty, !includePatterns.contains(where: { $0.matches(path) }) { return false }
            return !excludePatterns.contains { $0.matches(path) }
        }

        private static func compile(_ pattern: String) -> GlobPattern {
            let normalized = pattern.replacingOccurrences(of: "\\", with: "/")
            return GlobPattern(normalized.hasSuffix("/") ? normalized + "*" : normalized)
        }
    }

    /// The layers, outermost (registry entry) first.
    public let layers: [Layer]

    /// A one-layer filter; an empty `include` means every file.
    public init(include: [String] = [], exclude: [String] = []) {
        layers = include.isEmpty && exclude.isEmpty ? [] : [Layer(include: include, exclude: exclude)]
    }

    private init(layers: [Layer]) { self.layers = layers }

    /// Whether the file at `path` (relative to the repo root) is wanted.
    public func accepts(_ path: String) -> Bool {
        let normalized = path.replacingOccurrences(of: "\\", with: "/")
        return layers.allSatisfy { $0.accepts(normalized) }
    }

    /// This filter with one more layer: files must also pass `include` / `exclude`.
    public func narrowed(include: [String] = [], exclude: [String] = []) -> FileFilter {
        if include.isEmpty && exclude.isEmpty { return self }
        return FileFilter(layers: layers + [Layer(include: include, exclude: exclude)])
    }
}
