import DepotCoreML

/// Apple's attention implementations; the repo folder names them.
public enum AttentionVariant: String, Sendable, Codable {
    case original
    case splitEinsum = "split_einsum"

    init(_ implementation: AttentionImplementation) {
        switch implementation {
        case .original: self = .original
        case .splitEinsum: self = .splitEinsum
        }
    }
}
