import Foundation

extension DepotConfig {
    /// Every key `config.json` may hold. Keys starting with `_` are comments and ignored.
    public static let fileKeys = [
        "endpoint", "hf_home", "hub_cache", "token_path", "offline", "connections_per_file",
        "parallel_threshold_bytes", "chunk_size_bytes", "stall_timeout_seconds", "retries",
        "daemon_max_jobs", "daemon_socket",
    ]

    /// Loads the settings: defaults < `config.json` < environment variables.
    ///
    /// A missing file is fine (defaults apply); a bad file or a bad variable throws a
    /// ``ConfigError`` naming the file or variable, the key and the problem.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DepotConfig {
        let env = environment.filter { !$0.value.isEmpty }
        let home = env["HOME"] ?? NSHomeDirectory()
        let depotHome = try env["DEPOT_HOME"].map { try SettingsSource.absolutePath($0, home: home, source: "DEPOT_HOME", key: "DEPOT_HOME") }
            ?? PathString.join(env["XDG_DATA_HOME"] ?? PathString.join(home, ".local/share"), "depot")
        let configFile = env["DEPOT_CONFIG"] ?? PathString.join(depotHome, "config.json")
        let settings = SettingsSource(file: configFile, values: try SettingsSource.readFile(configFile), environment: env, home: home)

        let hfHome = try settings.path("hf_home", variable: "HF_HOME",
                                       default: PathString.join(env["XDG_CACHE_HOME"] ?? PathString.join(home, ".cache"), "huggingface"))
        let tokenPath = try settings.path("token_path", variable: "HF_TOKEN_PATH", default: PathString.join(hfHome, "token"))
        return DepotConfig(
            endpoint: try settings.endpoint(),
            hfHome: hfHome,
            hubCache: try settings.path("hub_cache", variable: "HF_HUB_CACHE", legacyVariable: "HUGGINGFACE_HUB_CACHE",
                                        default: PathString.join(hfHome, "hub")),
            tokenPath: tokenPath,
            token: env["HF_TOKEN"].map(Self.trimmed) ?? Self.readToken(at: tokenPath),
            offline: try settings.flag("offline", variable: "HF_HUB_OFFLINE"),
            depotHome: depotHome,
            configFile: configFile,
            connectionsPerFile: try settings.integer("connections_per_file", variable: "DEPOT_CONNECTIONS",
                                                     default: defaultConnectionsPerFile, range: 1...64),
            parallelThresholdBytes: Int64(try settings.integer("parallel_threshold_bytes", variable: "DEPOT_PARALLEL_THRESHOLD",
                                                               default: Int(defaultParallelThresholdBytes), range: 1...Int.max)),
            chunkSizeBytes: Int64(try settings.integer("chunk_size_bytes", variable: "DEPOT_CHUNK_SIZE",
                                                       default: Int(defaultChunkSizeBytes), range: 1 << 16...Int.max)),
            stallTimeoutSeconds: try settings.integer("stall_timeout_seconds", variable: "DEPOT_STALL_TIMEOUT",
                                                      default: defaultStallTimeoutSeconds, range: 1...86_400),
            retries: try settings.integer("retries", variable: "DEPOT_RETRIES", default: defaultRetries, range: 0...100),
            daemonMaxJobs: try settings.integer("daemon_max_jobs", variable: "DEPOT_MAX_JOBS",
                                                default: defaultDaemonMaxJobs, range: 1...64),
            daemonSocket: try settings.path("daemon_socket", variable: "DEPOT_SOCKET", default: PathString.join(depotHome, "depot.sock")))
    }

    private static func trimmed(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }

    private static func readToken(at path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let token = trimmed(text)
        return token.isEmpty ? nil : token
    }
}

/// One JSON value of the settings file.
enum SettingValue: Decodable, Equatable {
    case bool(Bool), integer(Int), number(Double), string(String), null, other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else { self = .other }
    }
}

/// Looks a setting up in the environment, then the file, then takes the default.
struct SettingsSource {
    let file: String
    let values: [String: SettingValue]
    let environment: [String: String]
    let home: String

    static func readFile(_ path: String) throws -> [String: SettingValue] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigError.unreadable(file: path, reason: error.localizedDescription)
        }
        let values: [String: SettingValue]
        do {
            values = try JSONDecoder().decode([String: SettingValue].self, from: data)
        } catch DecodingError.typeMismatch {
            throw ConfigError.notAnObject(file: path)
        } catch {
            throw ConfigError.malformed(file: path, reason: Self.reason(error))
        }
        for key in values.keys.sorted() where !key.hasPrefix("_") && !DepotConfig.fileKeys.contains(key) {
            throw ConfigError.unknownKey(file: path, key: key, known: DepotConfig.fileKeys)
        }
        return values
    }

    private static func reason(_ error: any Error) -> String {
        guard case DecodingError.dataCorrupted(let context) = error else { return "\(error)" }
        let underlying = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
        return underlying ?? context.debugDescription
    }

    func endpoint() throws -> String {
        let (raw, source) = try string("endpoint", variable: "HF_ENDPOINT")
        guard let raw else { return DepotConfig.defaultEndpoint }
        guard raw.hasPrefix("http://") || raw.hasPrefix("https://"), URL(string: raw)?.host != nil else {
            throw ConfigError.invalidValue(source: source, key: "endpoint", value: raw, reason: "use an http:// or https:// URL")
        }
        return raw.hasSuffix("/") ? String(raw.dropLast()) : raw
    }

    func path(_ key: String, variable: String, legacyVariable: String? = nil, default fallback: String) throws -> String {
        let (raw, source) = try string(key, variable: variable, legacyVariable: legacyVariable)
        guard let raw else { return fallback }
        return try Self.absolutePath(raw, home: home, source: source, key: key)
    }

    static func absolutePath(_ raw: String, home: String, source: String, key: String) throws -> String {
        let expanded = raw == "~" ? home : raw.hasPrefix("~/") ? PathString.join(home, String(raw.dropFirst(2))) : raw
        guard expanded.hasPrefix("/") else {
            throw ConfigError.invalidValue(source: source, key: key, value: raw, reason: "use an absolute path (or one starting with ~/)")
        }
        return expanded
    }

    /// huggingface_hub's reading of boolean variables: `1`, `ON`, `YES`, `TRUE` (any case) are true.
    func flag(_ key: String, variable: String) throws -> Bool {
        if let raw = environment[variable] { return ["1", "ON", "YES", "TRUE"].contains(raw.uppercased()) }
        switch values[key] {
        case nil, .null: return false
        case .bool(let value): return value
        default: throw ConfigError.wrongType(file: file, key: key, expected: "true or false")
        }
    }

    func integer(_ key: String, variable: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        let value: Int, source: String
        if let raw = environment[variable] {
            guard let parsed = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                throw ConfigError.invalidValue(source: variable, key: key, value: raw, reason: "use a whole number")
            }
            (value, source) = (parsed, variable)
        } else {
            switch values[key] {
            case nil, .null: return fallback
            case .integer(let parsed): (value, source) = (parsed, file)
            default: throw ConfigError.wrongType(file: file, key: key, expected: "a whole number")
            }
        }
        guard range.contains(value) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "between \(range.lowerBound) and \(range.upperBound)"
            throw ConfigError.invalidValue(source: source, key: key, value: "\(value)", reason: "use a number \(bound)")
        }
        return value
    }

    /// The raw string and where it came from; nil when neither the environment nor the file sets it.
    private func string(_ key: String, variable: String, legacyVariable: String? = nil) throws -> (String?, String) {
        if let raw = environment[variable] { return (raw, variable) }
        if let legacyVariable, let raw = environment[legacyVariable] { return (raw, legacyVariable) }
        switch values[key] {
        case nil, .null: return (nil, file)
        case .string(let raw): return (raw, file)
        default: throw ConfigError.wrongType(file: file, key: key, expected: "a string")
        }
    }
}
