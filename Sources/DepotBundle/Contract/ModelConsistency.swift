import DepotCoreML
import Foundation

/// The cross-model checks of DepotCoreML's `CoreMLResourceFolder` run on a resource folder's models
/// under Apple's file names, and told as bundle problems: text-encoder width = the UNet's
/// encoder_hidden_states channels, UNet latent = VAEDecoder z, each ControlNet's residuals =
/// ControlledUnet's inputs, one attention implementation across the denoisers. The refiner is
/// checked against TextEncoder2 and the VAEDecoder on its own. Half chunk pairs are left to the
/// contract, which names them for every UNet family.
struct ModelConsistency {
    /// The opened models by path in the folder: `Unet.mlmodelc`, `controlnet/Name.mlmodelc`.
    let models: [String: CoreMLModel]
    let folder: URL

    /// Each group of models checked together, with the file a problem of the group is about.
    private var groups: [(folder: CoreMLResourceFolder, file: String?)] {
        // Apple's compiled file names are the roles' names; ControlNets live in their own folder.
        var roles: [ResourceRole: CoreMLModel] = [:]
        for role in ResourceRole.allCases where role != .controlNet { roles[role] = models[role.rawValue + ".mlmodelc"] }
        var groups = [(CoreMLResourceFolder(url: folder, models: Self.chunksReplacingUnet(roles)), nil as String?)]

        let refiner: [ResourceRole: CoreMLModel?] = [
            .unet: models[ResourceNames.unetRefiner], .unetChunk1: models[ResourceNames.unetRefinerChunk1],
            .unetChunk2: models[ResourceNames.unetRefinerChunk2],
        ]
        if refiner.values.contains(where: { $0 != nil }) {
            var refinerRoles = Self.chunksReplacingUnet(refiner.compactMapValues { $0 })
            refinerRoles[.textEncoder2] = models[ResourceNames.textEncoder2]
            refinerRoles[.vaeDecoder] = models[ResourceNames.vaeDecoder]
            groups.append((CoreMLResourceFolder(url: folder, models: refinerRoles), nil))
        }

        for name in models.keys.sorted() where name.hasPrefix(ResourceNames.controlNetFolder + "/") {
            var pair: [ResourceRole: CoreMLModel] = [.controlNet: models[name]!]
            pair[.controlledUnet] = models[ResourceNames.controlledUnet]
            groups.append((CoreMLResourceFolder(url: folder, models: pair), name))
        }
        return groups
    }

    /// Apple's pipeline loads the chunks when both are there, and then ignores Unet.
    private static func chunksReplacingUnet(_ roles: [ResourceRole: CoreMLModel]) -> [ResourceRole: CoreMLModel] {
        guard roles[.unetChunk1] != nil, roles[.unetChunk2] != nil else { return roles }
        var roles = roles
        roles[.unet] = nil
        return roles
    }

    /// What depot reports, and the attention variant of the denoisers when they agree.
    func check() -> (problems: [BundleProblem], attention: AttentionVariant?) {
        var problems: [BundleProblem] = []
        var variants: Set<AttentionImplementation> = []
        var mixedWithinAGroup = false
        for (group, file) in groups {
            let found = group.problems
            problems += found.compactMap { Self.problem($0, file: file) }
            mixedWithinAGroup = mixedWithinAGroup || found.contains { $0.check == "attention" }
            if let variant = group.attentionImplementation { variants.insert(variant) }
        }
        if variants.count > 1, !mixedWithinAGroup {
            let names = variants.map(\.rawValue).sorted().joined(separator: " and ")
            problems.append(.error(nil, "mixed attention implementations across the UNet, refiner and ControlNets (\(names)); take every model from one variant folder (original or split_einsum)"))
        }
        return (problems, variants.count == 1 ? variants.first.map(AttentionVariant.init) : nil)
    }

    /// A problem finding in plain words with what to do; nil for checks the contract makes itself.
    private static func problem(_ finding: ConsistencyFinding, file: String?) -> BundleProblem? {
        let prefix = file.map { "\($0): " } ?? ""
        switch finding.check {
        case "chunks", "architecture":
            return nil
        case "text-width":
            return .error(file, "\(prefix)\(finding.message): Apple's CLI cannot feed this text encoder's output to this UNet; take both from one model's compiled folder")
        case "latent-size":
            return .error(file ?? ResourceNames.vaeDecoder, "\(prefix)\(finding.message): Apple's CLI cannot decode these latents with this VAEDecoder")
        case "controlnet":
            return .error(file, "\(prefix)\(finding.message): the ControlNet was converted for another UNet (SD version or resolution); use one converted for this model")
        case "attention":
            return .error(file, "\(prefix)\(finding.message); take every model from one variant folder (original or split_einsum)")
        default:
            return .error(file, "\(prefix)\(finding.message)")
        }
    }
}
