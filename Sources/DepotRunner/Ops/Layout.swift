extension Tensor {
    /// [B, C, H, W] -> [B, H·W, C], the token layout attention works in.
    public func channelsLastTokens() -> Tensor {
        precondition(shape.count == 4, "channelsLastTokens needs NCHW, got \(shape)")
        let (batch, channels, spatial) = (shape[0], shape[1], shape[2] * shape[3])
        return Tensor.uninitialized([batch, spatial, channels]) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(batch * spatial, grain: max(1, (1 << 15) / channels)) { range in
                    for token in range {
                        let (b, p) = token.quotientAndRemainder(dividingBy: spatial)
                        for c in 0..<channels { out[token * channels + c] = x[(b * channels + c) * spatial + p] }
                    }
                }
            }
        }
    }

    /// [B, H·W, C] -> [B, C, H, W].
    public func channelsFirstImage(height: Int, width: Int) -> Tensor {
        precondition(shape.count == 3 && shape[1] == height * width, "channelsFirstImage needs [B, \(height * width), C], got \(shape)")
        let (batch, spatial, channels) = (shape[0], shape[1], shape[2])
        return Tensor.uninitialized([batch, channels, height, width]) { out in
            data.withUnsafeBufferPointer { x in
                Parallel.forRanges(batch * channels, grain: max(1, (1 << 15) / spatial)) { range in
                    for plane in range {
                        let (b, c) = plane.quotientAndRemainder(dividingBy: channels)
                        for p in 0..<spatial { out[plane * spatial + p] = x[(b * spatial + p) * channels + c] }
                    }
                }
            }
        }
    }

    /// Adds `values[b][c]` to every element of channel c in batch item b of [B, C, ...].
    public func addingPerChannel(_ values: Tensor) -> Tensor {
        let (batch, channels) = (shape[0], shape[1])
        precondition(values.shape == [batch, channels], "addingPerChannel needs [\(batch), \(channels)], got \(values.shape)")
        let spatial = count / (batch * channels)
        var result = self
        result.data.withUnsafeMutableBufferPointer { out in
            for plane in 0..<(batch * channels) {
                let v = values.data[plane]
                for i in (plane * spatial)..<((plane + 1) * spatial) { out[i] += v }
            }
        }
        return result
    }
}
