import Numerics

/// The pooling steps of the ResNet, with PyTorch's semantics.
public enum Pooling {
    /// F.max_pool3d(x, kernel, stride, padding): padding behaves as −∞ (never selected). Inputs are finite
    /// (NIfTI reading refuses NaN), so NaN propagation is not reproduced.
    ///
    /// Run as three 1-D passes (z, then y, then x): the max over a box is the max of maxima along each
    /// axis, and with −∞ padding each pass just clips its window. The y and x passes take the max of
    /// whole contiguous rows, which vectorises; together about 3× fewer reads than the 27-tap box.
    public static func max(_ input: FeatureMap, kernel: Int, stride: Int, padding: Int) -> FeatureMap {
        let s = input.shape, o = s.window(kernel: kernel, stride: stride, padding: padding), c = input.channels
        let window = Window(kernel: kernel, stride: stride, padding: padding)
        // The box max is separable. x and y go first: they take the max of whole contiguous rows (vector
        // code) and shrink the data, so the scalar windows along z run on a quarter of it.
        let alongX = maxAcrossRows(input.values, blocks: c, length: s.x, outputs: o.x, rowWidth: s.y * s.z, window)
        let alongY = maxAcrossRows(alongX, blocks: c * o.x, length: s.y, outputs: o.y, rowWidth: s.z, window)
        let alongZ = maxAlongRows(alongY, rows: c * o.x * o.y, length: s.z, outputs: o.z, window)
        return FeatureMap(channels: c, shape: o, values: alongZ)
    }

    /// A 1-D pooling window: output i covers inputs [i·stride − padding, … + kernel) clipped to the input.
    struct Window {
        let kernel: Int, stride: Int, padding: Int
        @inline(__always) func range(_ i: Int, length: Int) -> Range<Int> {
            let lo = Swift.max(0, i * stride - padding), hi = Swift.min(length, i * stride - padding + kernel)
            return lo..<Swift.max(lo, hi)
        }
    }

    /// [rows, length] → [rows, outputs]: the max over each window along the last (contiguous) axis.
    static func maxAlongRows(_ input: [Float], rows: Int, length: Int, outputs: Int, _ w: Window) -> [Float] {
        var out = [Float](unsafeUninitializedCapacity: rows * outputs) { _, n in n = rows * outputs }
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let source = SharedBuffer(src.baseAddress!), target = SharedBuffer(dst.baseAddress!)
                Parallel.forEachChunk(count: rows, minimumChunk: 256) { range in
                    for r in range {
                        let line = source.base + r * length, result = target.base + r * outputs
                        for i in 0..<outputs {
                            var best = -Float.infinity
                            for j in w.range(i, length: length) { best = line[j] > best ? line[j] : best }
                            result[i] = best
                        }
                    }
                }
            }
        }
        return out
    }

    /// [blocks, length, rowWidth] → [blocks, outputs, rowWidth]: the element-wise max of the rows in each window.
    static func maxAcrossRows(_ input: [Float], blocks: Int, length: Int, outputs: Int, rowWidth: Int, _ w: Window) -> [Float] {
        let count = blocks * outputs * rowWidth
        var out = [Float](unsafeUninitializedCapacity: count) { _, n in n = count }
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let source = SharedBuffer(src.baseAddress!), target = SharedBuffer(dst.baseAddress!)
                Parallel.forEachChunk(count: blocks * outputs, minimumChunk: Swift.max(1, 4096 / Swift.max(rowWidth, 1))) { range in
                    for task in range {
                        let b = task / outputs, i = task % outputs
                        let result = target.base + task * rowWidth
                        result.initialize(repeating: -Float.infinity, count: rowWidth)
                        for j in w.range(i, length: length) {
                            let row = source.base + (b * length + j) * rowWidth
                            for e in 0..<rowWidth { result[e] = row[e] > result[e] ? row[e] : result[e] }
                        }
                    }
                }
            }
        }
        return out
    }

    /// F.avg_pool3d(x, factor): kernel = stride = factor, no padding, trailing voxels that do not fill
    /// a window dropped (floor).
    public static func average(_ input: FeatureMap, factor f: Int) -> FeatureMap {
        guard f > 1 else { return input }
        let s = input.shape, o = s.window(kernel: f, stride: f, padding: 0)
        var output = FeatureMap.uninitialized(channels: input.channels, shape: o)
        let scale = 1 / Float(f * f * f)
        input.values.withUnsafeBufferPointer { src in
            output.values.withUnsafeMutableBufferPointer { dst in
                let source = SharedBuffer(src.baseAddress!), target = SharedBuffer(dst.baseAddress!)
                Parallel.forEachChunk(count: input.channels * o.x, minimumChunk: 4) { range in
                    for task in range {
                        let c = task / o.x, ox = task % o.x
                        let channel = source.base + c * s.count, out = target.base + c * o.count + ox * o.y * o.z
                        for oy in 0..<o.y {
                            for oz in 0..<o.z {
                                var sum: Float = 0
                                for ix in (ox * f)..<(ox * f + f) {
                                    for iy in (oy * f)..<(oy * f + f) {
                                        let line = channel + (ix * s.y + iy) * s.z
                                        for iz in (oz * f)..<(oz * f + f) { sum += line[iz] }
                                    }
                                }
                                out[oy * o.z + oz] = sum * scale
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// x.mean(dim=(2, 3, 4)): one value per channel (accumulated in Double).
    public static func globalAverage(_ input: FeatureMap) -> [Float] {
        let n = input.shape.count
        return input.values.withUnsafeBufferPointer { v in
            (0..<input.channels).map { c in
                var sum = 0.0
                for i in (c * n)..<((c + 1) * n) { sum += Double(v[i]) }
                return Float(sum / Double(n))
            }
        }
    }
}
