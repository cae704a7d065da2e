/// What kind of files a model is, which decides how depot verifies, bundles and runs it.
public enum ModelKind: String, Sendable, Codable, CaseIterable {
    /// A diffusers checkpoint folder (model_index.json, unet/, vae/, ...).
    case diffusers
    /// Apple's Core ML resources (.mlmodelc / .mlpackage), usually with attention variants.
    case coreml
    /// Tokenizer files only.
    case tokenizer
}

/// One attention variant of a Core ML repo, e.g. `split-einsum` -> folder `split_einsum/`.
public struct RegistryVariant: Sendable, Equatable {
    /// The name after `/` in `coreml-sd-2.1-base/split-einsum`.
    public let name: String
    /// The repo folder holding it (`original`, `split_einsum`, `split_einsum_v2`).
    public let folder: String
    /// Files the variant keeps (applied on top of the entry's own patterns).
    public let filter: FileFilter
}

/// A short model name's definition: which repo, which revision, which files.
public struct RegistryEntry: Sendable, Equatable {
    public let name: String
    public let repo: String
    /// The revision pulled when the user gives none (a branch, tag or commit).
    public let revision: String
    public let kind: ModelKind
    public let summary: String?
    /// Files of the repo the entry keeps.
    public let filter: FileFilter
    /// Attention variants by name (empty for diffusers and tokenizer entries).
    public let variants: [String: RegistryVariant]
    /// The variant pulled when the name has none.
    public let defaultVariant: String?
    /// Known SHA-256 (lower-case hex) of files by repo path; a pulled file must match.
    public let expectedSHA256: [String: String]
    /// Where the entry was read from (`built-in` or the user's registry.json).
    public let source: String
}

/// A model name resolved to everything a pull needs.
public struct ResolvedModel: Sendable, Equatable {
    /// The name to record and show: `sd-1.5`, `coreml-sd-2.1-base/split-einsum`, or the repo id.
    public let name: String
    public let repo: String
    /// The revision to resolve: the one asked for, else the entry's default, else `main`.
    public let revision: String
    /// Whether the user named the revision (`NAME@REV`).
    public let revisionWasGiven: Bool
    /// nil for a plain repo id that has no registry entry.
    public let kind: ModelKind?
    public let variant: RegistryVariant?
    /// The files to pull: entry, then variant, then user patterns, all applied.
    public let filter: FileFilter
    /// Known SHA-256 of files by path (only those the filter keeps).
    public let expectedSHA256: [String: String]
    /// The registry entry, nil for a plain repo id.
    public let entry: RegistryEntry?

    /// This model with the user's `--include` / `--exclude` applied on top.
    public func narrowed(include: [String], exclude: [String]) -> ResolvedModel {
        ResolvedModel(name: name, repo: repo, revision: revision, revisionWasGiven: revisionWasGiven, kind: kind,
                      variant: variant, filter: filter.narrowed(include: include, exclude: exclude),
                      expectedSHA256: expectedSHA256, entry: entry)
    }
}
