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
        try x.linear(weight: weight.load(), bias: bias?.values())
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
        if let tiling = ConvolutionAlgorithm.preferred(for: geometry).tiling {
            let kernels = try WinogradKernels(tiling: tiling, outChannels: weight.shape[0], inChannels: weight.shape[1],
                                              rows: weight.slices)
            return x.conv2dWinograd(kernels: kernels, bias: try bias.values(), padding: padding)
        }
        return try x.conv2d(weight: weight.load(), bias: bias.values(), stride: stride, padding: padding, algorithm: .direct)
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

    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try x.groupNorm(groups: groups, weight: weight.values(), bias: bias.values(), eps: eps)
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
        try x.layerNorm(weight: weight.values(), bias: bias.values(), eps: eps)
    }
}
