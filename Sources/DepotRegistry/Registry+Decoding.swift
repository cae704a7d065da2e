import Foundation

/// The JSON shape of registry/models.json and $DEPOT_HOME/registry.json (see registry/README.md).
struct RegistryDocument: Decodable {
    let format: Int
    let models: [String: EntryDocument]
}

struct EntryDocument: Decodable {
    let repo: String
    let revision: String?
    let kind: String
    let description: String?
    let include: [String]?
    let exclude: [String]?
    let sha256: [String: String]?
    let variants: [String: VariantDocument]?
    let defaultVariant: String?

    enum CodingKeys: String, CodingKey {
        case repo, revision, kind, description, include, exclude, sha256, variants
        case defaultVariant = "default_variant"
    }

    static let keys: Set<String> = ["repo", "revision", "kind", "description", "include", "exclude", "sha256",
                                    "variants", "default_variant"]
}

struct VariantDocument: Decodable {
    let folder: String
    let include: [String]?
    let exclude: [String]?

    static let keys: Set<String> = ["folder", "include", "exclude"]
}

/// Collects the keys of a JSON object, to refuse unknown (misspelt) keys that Decodable would ignore.
private struct ObjectKeys: Decodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    let keys: [String]

    init(from decoder: any Decoder) throws {
        keys = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
    }
}

private struct KeysDocument: Decodable {
    struct Entry: Decodable {
        let own: ObjectKeys
        let variants: [String: ObjectKeys]?

        init(from decoder: any Decoder) throws {
            own = try ObjectKeys(from: decoder)
            let container = try decoder.container(keyedBy: ObjectKeys.Key.self)
            variants = try container.decodeIfPresent([String: ObjectKeys].self, forKey: ObjectKeys.Key(stringValue: "variants")!)
        }
    }

    let top: ObjectKeys
    let models: [String: Entry]

    init(from decoder: any Decoder) throws {
        top = try ObjectKeys(from: decoder)
        let container = try decoder.container(keyedBy: ObjectKeys.Key.self)
        models = try container.decode([String: Entry].self, forKey: ObjectKeys.Key(stringValue: "models")!)
    }
}

extension Registry {
    /// Parses a registry document; `source` names it in errors.
    static func entries(from data: Data, source: String) throws -> [String: RegistryEntry] {
        let decoder = JSONDecoder()
        let document: RegistryDocument
        let keys: KeysDocument
        do {
            document = try decoder.decode(RegistryDocument.self, from: data)
            keys = try JSONDecoder().decode(KeysDocument.self, from: data)
        } catch let error as DecodingError {
            throw RegistryError.malformed(file: source, reason: Self.explain(error))
        }
        guard document.format == 1 else {
            throw RegistryError.malformed(file: source, reason: "format \(document.format) is not supported (this depot reads format 1)")
        }
        if let unknown = Set(keys.top.keys).subtracting(["format", "models"]).sorted().first {
            throw RegistryError.malformed(file: source, reason: "unknown top-level key '\(unknown)'")
        }
        var entries: [String: RegistryEntry] = [:]
        for (name, entry) in document.models {
            let entryKeys = keys.models[name]
            if let unknown = Set(entryKeys?.own.keys ?? []).subtracting(EntryDocument.keys).sorted().first {
                throw RegistryError.invalidEntry(file: source, name: name, reason: "unknown key '\(unknown)'")
            }
            for (variant, variantKeys) in entryKeys?.variants ?? [:] {
                if let unknown = Set(variantKeys.keys).subtracting(VariantDocument.keys).sorted().first {
                    throw RegistryError.invalidEntry(file: source, name: name, reason: "variant '\(variant)' has an unknown key '\(unknown)'")
                }
            }
            entries[name] = try Self.entry(name: name, entry, source: source)
        }
        return entries
    }

    private static func entry(name: String, _ document: EntryDocument, source: String) throws -> RegistryEntry {
        func invalid(_ reason: String) -> RegistryError { .invalidEntry(file: source, name: name, reason: reason) }
        guard isValidName(name) else {
            throw invalid("names use lower-case letters, digits, '.', '-' and '_' (no '/' or '@')")
        }
        guard isRepoID(document.repo) else { throw invalid("repo '\(document.repo)' is not an org/name repo id") }
        guard let kind = ModelKind(rawValue: document.kind) else {
            throw invalid("kind '\(document.kind)' is not one of \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let revision = document.revision, revision.isEmpty || revision.contains("..") {
            throw invalid("revision '\(revision)' is not a branch, tag or commit")
        }
        for (path, hash) in document.sha256 ?? [:] where !(hash.count == 64 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase }) {
            throw invalid("sha256 of '\(path)' must be 64 lower-case hex digits")
        }
        var variants: [String: RegistryVariant] = [:]
        for (variantName, variant) in document.variants ?? [:] {
            guard isValidName(variantName), !variant.folder.isEmpty else {
                throw invalid("variant '\(variantName)' needs a lower-case name and a folder")
            }
            let include = variant.include ?? [variant.folder + "/"]
            variants[variantName] = RegistryVariant(
                name: variantName, folder: variant.folder, filter: FileFilter(include: include, exclude: variant.exclude ?? []))
        }
        if let defaultVariant = document.defaultVariant, variants[defaultVariant] == nil {
            throw invalid("default_variant '\(defaultVariant)' is not one of its variants")
        }
        return RegistryEntry(
            name: name, repo: document.repo, revision: document.revision ?? "main", kind: kind, summary: document.description,
            filter: FileFilter(include: document.include ?? [], exclude: document.exclude ?? []),
            variants: variants, defaultVariant: document.defaultVariant, expectedSHA256: document.sha256 ?? [:], source: source)
    }

    static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first.isNumber else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || ".-_".contains($0)) }
    }

    static func isRepoID(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 2 && !text.contains("..") && !text.contains("--") && parts.allSatisfy { part in
            guard let first = part.first, let last = part.last else { return false }
            return part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
                && !"-.".contains(first) && !"-.".contains(last)
        }
    }

    private static func explain(_ error: DecodingError) -> String {
        func at(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(at(context.codingPath + [key])) is missing"
        case .typeMismatch(_, let context): return "\(at(context.codingPath)) has the wrong type (\(context.debugDescription))"
        case .valueNotFound(_, let context): return "\(at(context.codingPath)) is null"
        case .dataCorrupted(let context):
            let detail = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return detail ?? context.debugDescription
        @unknown default: return "\(error)"
        }
    }
}
