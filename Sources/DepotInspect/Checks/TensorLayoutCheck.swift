/// Compares the tensors a checkpoint holds with the ones its config implies: each needed tensor
/// present with its shape, nothing unknown besides.
public enum TensorLayoutCheck {
    /// `aliases` maps a legacy name fragment to the current one (e.g. ".query." -> ".to_q.").
    public static func compare(_ weights: LoadedWeights, expected: ExpectedTensors, component: String,
                               aliases: [String: String] = [:]) -> [Finding] {
        var findings: [Finding] = []
        var present: [String: LoadedWeights.Located] = [:]
        for (name, located) in weights.tensors { present[canonical(name, aliases: aliases)] = located }
        let anyFile = weights.files.first?.path ?? component
        for name in expected.names {
            let shape = expected.shapes[name]!
            guard let located = present[name] else {
                findings.append(Finding(file: anyFile, subject: name, expected: "shape \(shape)", found: "no such tensor",
                                        message: "a tensor the config needs is missing; the checkpoint is incomplete or does not match config.json"))
                continue
            }
            if located.tensor.shape != shape {
                findings.append(Finding(file: located.file, subject: name, expected: "shape \(shape)", found: "shape \(located.tensor.shape)",
                                        message: "the tensor's shape does not match config.json"))
            }
        }
        let unknown = present.keys.filter { expected.shapes[$0] == nil }.sorted()
        for name in unknown {
            let located = present[name]!
            if let shape = expected.optional[name] {
                if located.tensor.shape != shape {
                    findings.append(Finding(file: located.file, subject: name, expected: "shape \(shape)", found: "shape \(located.tensor.shape)",
                                            message: "the tensor's shape does not match config.json"))
                }
                continue
            }
            findings.append(Finding(file: located.file, subject: name, expected: "only tensors the config implies", found: "shape \(located.tensor.shape)",
                                    message: "an unknown tensor: the checkpoint belongs to a different architecture or config.json is wrong"))
        }
        return findings
    }

    static func canonical(_ name: String, aliases: [String: String]) -> String {
        guard !aliases.isEmpty else { return name }
        var parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, let replacement = aliases[parts[parts.count - 2]] else { return name }
        parts[parts.count - 2] = replacement
        return parts.joined(separator: ".")
    }
}
