import DepotStore
import DepotTestSupport
import Foundation
import Testing

@Suite struct ConfigTests {
    @Test func defaultsFollowTheXDGAndHuggingFaceConventions() throws {
        let config = try DepotConfig.load(environment: ["HOME": "/home/ada"])
        #expect(config.depotHome == "/home/ada/.local/share/depot")
        #expect(config.catalogPath == "/home/ada/.local/share/depot/catalog.sqlite")
        #expect(config.configFile == "/home/ada/.local/share/depot/config.json")
        #expect(config.hfHome == "/home/ada/.cache/huggingface")
        #expect(config.hubCache == "/home/ada/.cache/huggingface/hub")
        #expect(config.tokenPath == "/home/ada/.cache/huggingface/token")
        #expect(config.endpoint == "https://huggingface.co")
        #expect(config.connectionsPerFile == 4 && config.parallelThresholdBytes == 64 << 20)
        #expect(config.daemonMaxJobs == 2 && !config.offline && config.token == nil)

        let xdg = try DepotConfig.load(environment: ["HOME": "/h", "XDG_DATA_HOME": "/xd", "XDG_CACHE_HOME": "/xc"])
        #expect(xdg.depotHome == "/xd/depot" && xdg.hubCache == "/xc/huggingface/hub")
        let hfHome = try DepotConfig.load(environment: ["HOME": "/h", "HF_HOME": "/hf"])
        #expect(hfHome.hubCache == "/hf/hub" && hfHome.tokenPath == "/hf/token")
    }

    @Test func theDocumentedExampleEqualsTheDefaults() throws {
        let example = TestEnvironment.packageRoot.appendingPathComponent("config/config.json").path
        let defaults = try DepotConfig.load(environment: ["HOME": "/h"])
        var fromExample = try DepotConfig.load(environment: ["HOME": "/h", "DEPOT_CONFIG": example])
        #expect(fromExample.configFile == example)
        fromExample.configFile = defaults.configFile
        #expect(fromExample == defaults)
    }

    @Test func theExampleAndTheREADMEListEveryKey() throws {
        let root = TestEnvironment.packageRoot.appendingPathComponent("config")
        let example = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("config.json"))) as? [String: Any]
        #expect(Set(example?.keys.filter { !$0.hasPrefix("_") } ?? []) == Set(DepotConfig.fileKeys))
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for key in DepotConfig.fileKeys { #expect(readme.contains("| `\(key)` |"), "README must document \(key)") }
    }

    @Test func fileOverridesDefaultsAndEnvironmentOverridesFile() throws {
        let folder = try TemporaryDirectory()
        try folder.write("""
            {"endpoint": "http://127.0.0.1:8090/", "connections_per_file": 8, "hub_cache": "~/cache", "offline": true,
             "retries": 2, "_note": "ignored"}
            """, to: "home/config.json")
        let base = ["HOME": "/h", "DEPOT_HOME": folder.root + "/home"]
        let fromFile = try DepotConfig.load(environment: base)
        #expect(fromFile.endpoint == "http://127.0.0.1:8090")
        #expect(fromFile.connectionsPerFile == 8 && fromFile.retries == 2 && fromFile.offline)
        #expect(fromFile.hubCache == "/h/cache")
        #expect(fromFile.stallTimeoutSeconds == 30, "keys the file leaves out keep their defaults")

        let overridden = try DepotConfig.load(environment: base.merging([
            "HF_ENDPOINT": "https://hub.example", "DEPOT_CONNECTIONS": "2", "HF_HUB_CACHE": "/c", "HF_HUB_OFFLINE": "0",
            "HF_TOKEN": " hf_abc\n",
        ]) { $1 })
        #expect(overridden.endpoint == "https://hub.example")
        #expect(overridden.connectionsPerFile == 2 && overridden.hubCache == "/c" && !overridden.offline)
        #expect(overridden.retries == 2)
        #expect(overridden.token == "hf_abc")
    }

    @Test func anExplicitHubCacheOutranksAMovedHFHome() throws {
        let folder = try TemporaryDirectory()
        try folder.write("{\"hub_cache\": \"/data/hub\"}", to: "config.json")
        let config = try DepotConfig.load(environment: ["HOME": "/h", "DEPOT_HOME": folder.root, "HF_HOME": "/hf"])
        #expect(config.hubCache == "/data/hub")
        #expect(config.tokenPath == "/hf/token")
    }

    @Test func theTokenFileIsReadWhenHFTokenIsUnset() throws {
        let folder = try TemporaryDirectory()
        try folder.write("hf_fromfile\n", to: "hf/token")
        let config = try DepotConfig.load(environment: ["HOME": "/h", "HF_HOME": folder.root + "/hf"])
        #expect(config.token == "hf_fromfile")
    }

    @Test(arguments: [
        ("{\"conections_per_file\": 2}", "unknown key 'conections_per_file'"),
        ("{\"connections_per_file\": \"four\"}", "'connections_per_file' must be a whole number"),
        ("{\"connections_per_file\": 0}", "'connections_per_file' = '0' is not valid"),
        ("{\"offline\": 1}", "'offline' must be true or false"),
        ("{\"hub_cache\": \"relative/dir\"}", "'hub_cache' = 'relative/dir' is not valid: use an absolute path"),
        ("{\"endpoint\": \"huggingface.co\"}", "'endpoint' = 'huggingface.co' is not valid"),
        ("[1, 2]", "must hold one JSON object"),
        ("{\"retries\": 3,,}", "is not valid JSON"),
    ])
    func aBadFileNamesTheFileTheKeyAndTheProblem(contents: String, message: String) throws {
        let folder = try TemporaryDirectory()
        let file = try folder.write(contents, to: "config.json")
        do {
            _ = try DepotConfig.load(environment: ["HOME": "/h", "DEPOT_HOME": folder.root])
            Issue.record("loading \(contents) must fail")
        } catch let error as ConfigError {
            #expect(error.description.contains(file))
            #expect(error.description.contains(message), "\(error.description)")
        }
    }

    @Test func aBadVariableNamesTheVariable() throws {
        do {
            _ = try DepotConfig.load(environment: ["HOME": "/h", "DEPOT_CONNECTIONS": "many"])
            Issue.record("DEPOT_CONNECTIONS=many must fail")
        } catch let error as ConfigError {
            #expect(error == .invalidValue(source: "DEPOT_CONNECTIONS", key: "connections_per_file", value: "many", reason: "use a whole number"))
        }
    }
}
