/// nn.Linear: weight [out, in], optional bias.
struct LinearLayer: Sendable {
    let weight: Weight
    let bias: Weight?

    init(_ weights: Weights, _ name: String, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws(ModelLoadError) {
        let scope = weights.scoped(name)
        weight = try scope.tensor("weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? try scope.tensor("bias", shape: [outFeatures]) : nil
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        if HalfWeightProduct.applies(columns: x.count / weight.shape[1]) {
            let b = try bias?.values()
            let product = try OperationProfile.measure(.halfWeightLinear) {
                try weight.withHalfPrecisionValues { x.linear(halfWeight: $0, outFeatures: weight.shape[0], bias: b) }
            }
            if let product { return product }
        }
        let (w, b) = try OperationProfile.measure(.weightConversion) { () throws -> (Tensor, [Float]?) in
            (try weight.load(), try bias?.values())
        }
        return OperationProfile.measure(.linear) { x.linear(weight: w, bias: b) }
    }
}

/// nn.Conv2d with square kernel, symmetric padding unless given.
struct Conv2dLayer: Sendable {
    let weight: Weight
    let bias: Weight
    let stride: Int
    let padding: Padding2D

    init(_ weights: Weights, _ name: String, in inChannels: Int, out outChannels: Int, kernel: Int,
         stride: Int = 1, padding: Padding2D? = nil) throws(ModelLoadError) {
        let scope = weights.scoped(name)
        weight = try scope.tensor("weight", shape: [outChannels, inChannels, kernel, kernel])
        bias = try scope.tensor("bias", shape: [outChannels])
        self.stride = stride
        self.padding = padding ?? Padding2D((kernel - 1) / 2)
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let geometry = ConvolutionGeometry(input: x.shape, weight: weight.shape, stride: stride, padding: padding)
        let biasValues = try bias.values()
        if let tiling = ConvolutionAlgorithm.preferred(for: geometry).tiling {
            let kernels = try OperationProfile.measure(.winogradKernels) {
                try WinogradKernels(tiling: tiling, outChannels: weight.shape[0], inChannels: weight.shape[1], rows: weight.slices)
            }
            return OperationProfile.measure(.winogradConvolution) { x.conv2dWinograd(kernels: kernels, bias: biasValues, padding: padding) }
        }
        if HalfWeightProduct.applies(columns: geometry.batch * geometry.plane) {
            let product = try OperationProfile.measure(.halfWeightConvolution) {
                try weight.withHalfPrecisionValues { x.conv2d(geometry, halfWeight: $0, bias: biasValues) }
            }
            if let product { return product }
        }
        let w = try OperationProfile.measure(.weightConversion) { try weight.load() }
        return OperationProfile.measure(.directConvolution) {
            x.conv2d(weight: w, bias: biasValues, stride: stride, padding: padding, algorithm: .direct)
        }
    }
}

struct GroupNormLayer: Sendable {
    let weight: Weight
    let bias: Weight
    let groups: Int
    let eps: Float

    init(_ weights: Weights, _ name: String, groups: Int, channels: Int, eps: Float) throws(ModelLoadError) {
        let scope = weights.scoped(name)
        weight = try scope.tensor("weight", shape: [channels])
        bias = try scope.tensor("bias", shape: [channels])
        self.groups = groups
        self.eps = eps
    }

    /// The normalised tensor, then `activation` (SiLU fused into the same pass).
    func callAsFunction(_ x: Tensor, then activation: Activation? = nil) throws -> Tensor {
        let (w, b) = (try weight.values(), try bias.values())
        let fused = activation == .silu
        let normalised = OperationProfile.measure(.normalization) { x.groupNorm(groups: groups, weight: w, bias: b, eps: eps, silu: fused) }
        guard let activation, !fused else { return normalised }
        return normalised.applying(activation)
    }
}

struct LayerNormLayer: Sendable {
    let weight: Weight
    let bias: Weight
    let eps: Float

    init(_ weights: Weights, _ name: String, width: Int, eps: Float) throws(ModelLoadError) {
        let scope = weights.scoped(name)
        weight = try scope.tensor("weight", shape: [width])
        bias = try scope.tensor("bias", shape: [width])
        self.eps = eps
    }

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let (w, b) = (try weight.values(), try bias.values())
        return OperationProfile.measure(.normalization) { x.layerNorm(weight: w, bias: b, eps: eps) }
    }
}
