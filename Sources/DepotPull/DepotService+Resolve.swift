import DepotRegistry

extension DepotService {
    /// The registry in effect: the built-in names plus `$DEPOT_HOME/registry.json`.
    public func registry() throws -> Registry {
        try Registry.load(userFile: config.userRegistryPath)
    }

    /// What `depot pull NAME[@REV]` means: a registry name (with its variant) or a repo id.
    public func resolve(_ name: String) throws -> ResolvedModel {
        try registry().resolve(name)
    }
}
