import Foundation

extension CoreMLModel {
    /// An .mlpackage: Manifest.json and Data/<root model> (a Model protobuf) with its weights/ beside it.
    init(packageAt url: URL) throws(CoreMLError) {
        let manifest = try PackageManifest(packageURL: url)
        let specURL = url.appendingPathComponent("Data").appendingPathComponent(manifest.rootModel.path)
        let bytes: Data
        do {
            bytes = try Data(contentsOf: specURL, options: .alwaysMapped)
        } catch {
            throw .cannotRead(file: specURL.path, reason: error.localizedDescription)
        }
        let decoded = bytes.withUnsafeBytes { raw in
            Result { () throws(ProtobufError) in try ModelSpecification(protobuf: ProtobufReader(raw, context: "Model")) }
        }
        let specification: ModelSpecification
        switch decoded {
        case .success(let value): specification = value
        case .failure(let error): throw .invalidProtobuf(file: specURL.path, problem: error)
        }
        guard let program = specification.program else { throw .noProgram(file: specURL.path) }
        try self.init(url: url, format: .package, program: program, modelFolder: specURL.deletingLastPathComponent(),
                      inputs: specification.inputs, outputs: specification.outputs, compiledMetadata: nil,
                      specificationVersion: specification.specificationVersion,
                      userDefinedMetadata: specification.userDefinedMetadata)
    }
}
