import Foundation

/// Short model names (`sd-1.5`, `coreml-sd-2.1-base/split-einsum`, `clip-tokenizer`) and what they
/// pull. The built-in entries come from registry/models.json, compiled into the binary; the
/// user's `$DEPOT_HOME/registry.json` (same format) adds entries or replaces built-in ones.
public struct Registry: Sendable {
    /// Entries by name.
    public let entries: [String: RegistryEntry]

    /// Parses a registry document (the format of registry/README.md); `source` names it in errors.
    public init(json: Data, source: String) throws {
        entries = try Self.entries(from: json, source: source)
    }

    private init(entries: [String: RegistryEntry]) { self.entries = entries }

    /// The entries compiled into depot (registry/models.json).
    public static func builtin() throws -> Registry {
        try Registry(json: Data(BuiltinRegistry.json.utf8), source: "built-in registry")
    }

    /// The built-in entries plus those of `userFile` (when it exists), the user's winning on a
    /// name clash.
    public static func load(userFile: String?) throws -> Registry {
        let builtin = try builtin()
        guard let userFile, FileManager.default.fileExists(atPath: userFile) else { return builtin }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: userFile))
        } catch {
            throw RegistryError.unreadable(file: userFile, reason: error.localizedDescription)
        }
        return builtin.merging(try Registry(json: data, source: userFile))
    }

    /// These entries with `other`'s added, `other` winning on a name clash.
    public func merging(_ other: Registry) -> Registry {
        Registry(entries: entries.merging(other.entries) { _, new in new })
    }

    /// All names, sorted, variants spelled out (`coreml-sd-2.1-base/original`, ...).
    public var allNames: [String] {
        entries.values.flatMap { entry in [entry.name] + entry.variants.keys.map { "\(entry.name)/\($0)" } }.sorted()
    }

    /// Resolves `NAME`, `NAME/VARIANT` or `org/repo`, each optionally followed by `@REVISION`.
    ///
    /// A name without a variant takes the entry's default variant. A repo id that has no entry
    /// pulls the whole repo at `main` (or the revision given).
    public func resolve(_ reference: String) throws -> ResolvedModel {
        let (target, revision) = try Self.split(reference)
        let lowered = target.lowercased()
        if let entry = entries[lowered] {
            return try resolved(entry, variantName: entry.defaultVariant, revision: revision)
        }
        if let slash = lowered.firstIndex(of: "/"), let entry = entries[String(lowered[..<slash])] {
            let variantName = String(lowered[lowered.index(after: slash)...])
            guard !entry.variants.isEmpty else { throw RegistryError.noVariants(name: entry.name, variant: variantName) }
            guard entry.variants[variantName] != nil else {
                throw RegistryError.unknownVariant(name: entry.name, variant: variantName, available: entry.variants.keys.sorted())
            }
            return try resolved(entry, variantName: variantName, revision: revision)
        }
        if Self.isRepoID(target) {
            return ResolvedModel(name: target, repo: target, revision: revision ?? "main", revisionWasGiven: revision != nil,
                                 kind: nil, variant: nil, filter: FileFilter(), expectedSHA256: [:], entry: nil)
        }
        throw RegistryError.unknownName(target, suggestions: closeNames(to: target, among: allNames))
    }

    private func resolved(_ entry: RegistryEntry, variantName: String?, revision: String?) throws -> ResolvedModel {
        let variant = variantName.flatMap { entry.variants[$0] }
        var filter = entry.filter
        for layer in variant?.filter.layers ?? [] { filter = filter.narrowed(include: layer.include, exclude: layer.exclude) }
        let hashes = entry.expectedSHA256.filter { filter.accepts($0.key) }
        return ResolvedModel(
            name: variant.map { "\(entry.name)/\($0.name)" } ?? entry.name, repo: entry.repo,
            revision: revision ?? entry.revision, revisionWasGiven: revision != nil, kind: entry.kind,
            variant: variant, filter: filter, expectedSHA256: hashes, entry: entry)
    }

    /// Splits `TARGET@REVISION` at the first `@`.
    static func split(_ reference: String) throws -> (target: String, revision: String?) {
        let text = reference.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { throw RegistryError.invalidReference(reference, reason: "it is empty") }
        guard let at = text.firstIndex(of: "@") else { return (text, nil) }
        let target = String(text[..<at]), revision = String(text[text.index(after: at)...])
        guard !target.isEmpty else { throw RegistryError.invalidReference(reference, reason: "the name before '@' is missing") }
        guard !revision.isEmpty, !revision.contains("@"), !revision.contains("..") else {
            throw RegistryError.invalidReference(reference, reason: "the revision after '@' is empty or malformed")
        }
        return (target, revision)
    }
}
