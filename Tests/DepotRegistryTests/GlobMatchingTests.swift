import DepotRegistry
import DepotTestSupport
import Foundation
import Testing

/// Answers computed by Python (Tests/Fixtures/fnmatch/gen-fnmatch-table.py): fnmatch.fnmatch for single patterns,
/// huggingface_hub's filter_repo_objects for include/exclude lists.
struct FnmatchTable: Decodable {
    struct Case: Decodable { let pattern: String; let path: String; let match: Bool }
    struct FilterCase: Decodable { let include: [String]?; let exclude: [String]?; let kept: [String] }
    let fnmatch: [Case]
    let filters: [FilterCase]

    static func load() throws -> FnmatchTable {
        let url = TestEnvironment.packageRoot.appendingPathComponent("Tests/Fixtures/fnmatch/fnmatch-table.json")
        return try JSONDecoder().decode(FnmatchTable.self, from: Data(contentsOf: url))
    }
}

@Suite struct GlobMatchingTests {
    @Test func everyPatternAgreesWithPythonFnmatch() throws {
        let table = try FnmatchTable.load()
        #expect(table.fnmatch.count > 2_000)
        #expect(table.fnmatch.contains { $0.match } && table.fnmatch.contains { !$0.match })
        for row in table.fnmatch {
            #expect(GlobPattern(row.pattern).matches(row.path) == row.match,
                    "fnmatch('\(row.path)', '\(row.pattern)') is \(row.match) in Python")
        }
    }

    @Test func includeAndExcludeAgreeWithHuggingFaceHub() throws {
        let table = try FnmatchTable.load()
        let paths = Array(Set(table.fnmatch.map(\.path))).sorted()
        for row in table.filters {
            let filter = FileFilter(include: row.include ?? [], exclude: row.exclude ?? [])
            #expect(paths.filter(filter.accepts) == row.kept.sorted(),
                    "include \(row.include ?? []) exclude \(row.exclude ?? [])")
        }
    }

    @Test func starCrossesFoldersAndLayersNarrow() {
        #expect(GlobPattern("*.json").matches("unet/config.json"))
        let entry = FileFilter(include: ["unet/", "vae/"], exclude: ["*.bin"])
        let user = entry.narrowed(include: ["unet/*"])
        #expect(entry.accepts("vae/config.json") && !user.accepts("vae/config.json"))
        #expect(user.accepts("unet/config.json") && !user.accepts("unet/model.bin"))
        #expect(FileFilter().accepts("anything/at/all"))
    }
}
