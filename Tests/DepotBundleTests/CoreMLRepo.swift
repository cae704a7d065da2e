import DepotTestSupport
import Foundation

/// A Core ML repo folder written by Tests/Support/coreml/make_coreml_repo.py.
struct CoreMLRepo {
    let folder: TemporaryDirectory
    var url: URL { folder.url }

    /// Runs the generator with `arguments` (see its docstring: --kind, --variants, --chunked, --zip, --packages...).
    init(_ arguments: [String] = []) throws {
        folder = try TemporaryDirectory("coreml-repo")
        let script = TestEnvironment.packageRoot.appendingPathComponent("Tests/Support/coreml/make_coreml_repo.py")
        try runChecked(try TestEnvironment.python(), [script.path, folder.url.path] + arguments, timeout: 60)
    }

    func compiled(_ variant: String = "split_einsum") -> URL {
        url.appendingPathComponent("\(variant)/compiled", isDirectory: true)
    }
}
