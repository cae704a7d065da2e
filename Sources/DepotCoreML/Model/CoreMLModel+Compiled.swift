import Foundation

extension CoreMLModel {
    /// An .mlmodelc: model.mil, metadata.json, coremldata.bin, weights/.
    init(compiledAt url: URL) throws(CoreMLError) {
        let milURL = url.appendingPathComponent("model.mil")
        let text: String
        do {
            text = try String(contentsOf: milURL, encoding: .utf8)
        } catch {
            throw .missingFile(model: url.path, path: "model.mil", purpose: "the compiled ML program")
        }
        let program: MILProgram
        do {
            program = try MILTextParser.parse(text)
        } catch {
            throw .milSyntax(file: milURL.path, line: error.line, column: error.column, problem: error.problem)
        }
        let metadataURL = url.appendingPathComponent("metadata.json")
        guard let metadataData = try? Data(contentsOf: metadataURL) else {
            throw .missingFile(model: url.path, path: "metadata.json", purpose: "inputs, outputs and op histogram")
        }
        let metadata = try CompiledModelMetadata(data: metadataData, file: metadataURL.path)
        let coremldata = url.appendingPathComponent("coremldata.bin")
        let size = (try? FileManager.default.attributesOfItem(atPath: coremldata.path)[.size] as? Int) ?? nil
        guard let size, size > 0 else {
            throw .missingFile(model: url.path, path: "coremldata.bin", purpose: size == 0 ? "it is empty" : "the compiled model description")
        }
        try self.init(url: url, format: .compiled, program: program, modelFolder: url,
                      inputs: metadata.inputs, outputs: metadata.outputs, compiledMetadata: metadata,
                      specificationVersion: metadata.specificationVersion, userDefinedMetadata: metadata.userDefinedMetadata)
    }
}
