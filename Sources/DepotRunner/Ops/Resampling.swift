extension Tensor {
    /// Nearest-neighbour resize of NCHW to (outH, outW), choosing source index floor(dst · in/out)
    /// as PyTorch's "nearest" mode does; the default is 2x.
    public func upsampleNearest(height outH: Int? = nil, width outW: Int? = nil) -> Tensor {
        precondition(shape.count == 4, "upsampleNearest needs NCHW, got \(shape)")
        let (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        let targetH = outH ?? height * 2, targetW = outW ?? width * 2
        let scaleH = Float(height) / Float(targetH), scaleW = Float(width) / Float(targetW)
        let sourceRows = (0..<targetH).map { min(Int((Float($0) * scaleH).rounded(.down)), height - 1) }
        let sourceCols = (0..<targetW).map { min(Int((Float($0) * scaleW).rounded(.down)), width - 1) }
        return Tensor.uninitialized([batch, channels, targetH, targetW]) { out in
            data.withUnsafeBufferPointer { x in
                for plane in 0..<(batch * channels) {
                    let source = plane * height * width, target = plane * targetH * targetW
                    for (oy, iy) in sourceRows.enumerated() {
                        for (ox, ix) in sourceCols.enumerated() {
                            out[target + oy * targetW + ox] = x[source + iy * width + ix]
                        }
                    }
                }
            }
        }
    }

    /// Concatenates NCHW (or any [B, C, ...]) tensors along the channel dimension.
    public static func concatChannels(_ parts: [Tensor]) -> Tensor {
        precondition(!parts.isEmpty, "concatChannels needs at least one tensor")
        let batch = parts[0].shape[0]
        let trailing = Array(parts[0].shape.dropFirst(2))
        for part in parts {
            precondition(part.shape[0] == batch && Array(part.shape.dropFirst(2)) == trailing,
                         "concatChannels: \(part.shape) does not match \(parts[0].shape) outside the channels")
        }
        let spatial = trailing.reduce(1, *)
        let channels = parts.reduce(0) { $0 + $1.shape[1] }
        var data: [Float] = []
        data.reserveCapacity(batch * channels * spatial)
        for b in 0..<batch {
            for part in parts {
                let size = part.shape[1] * spatial
                data.append(contentsOf: part.data[(b * size)..<((b + 1) * size)])
            }
        }
        return Tensor(shape: [batch, channels] + trailing, data: data)
    }
}
