import DepotFormats

/// A component's config.json as the runner reads it; errors name the file's full path.
typealias ConfigFile = ConfigDocument<ModelLoadError>
