import DepotFormats

/// A component's config.json (or model_index.json) as the inspector reads it.
public typealias ComponentConfig = ConfigDocument<ConfigError>
