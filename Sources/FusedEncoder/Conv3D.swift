import Numerics

/// A 3-D convolution with PyTorch Conv3d semantics (cubic kernel, zero padding, stride, batch 1) run as
/// im2col plus sgemm: out[Cout, P] = W[Cout, Cin·k³] · col[Cin·k³, P], P = output voxels, the columns
/// copied from a `StridePhases` split of the input. A 3×3×3 stride-1 convolution can instead run as
/// Winograd F(2×2×2, 3×3×3) (`usingWinograd`), which ResNet3D picks where it is faster.
///
/// The encoder's convolutions have no bias of their own; the following BatchNorm is folded in at
/// load, so `bias` is the folded shift and the weights carry the per-channel scale.
public struct Conv3D: Sendable {
    public let inputChannels: Int, outputChannels: Int
    public let kernel: Int, stride: Int, padding: Int
    /// [Cout, Cin, k, k, k] flattened, the PyTorch layout: row `o` is one im2col column's dot partner.
    public let weight: [Float]
    public let bias: [Float]
    /// The Winograd form of this convolution, used instead of im2col when set (see `usingWinograd`).
    let winograd: WinogradConv3D?

    public init(weight: [Float], bias: [Float], inputChannels: Int, outputChannels: Int, kernel: Int, stride: Int, padding: Int) {
        precondition(weight.count == outputChannels * inputChannels * kernel * kernel * kernel, "conv weight size does not match its shape")
        precondition(bias.count == outputChannels, "conv bias length must equal output channels")
        precondition(kernel >= 1 && stride >= 1 && padding >= 0, "bad conv geometry k\(kernel) s\(stride) p\(padding)")
        self.weight = weight
        self.bias = bias
        self.inputChannels = inputChannels
        self.outputChannels = outputChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.winograd = nil
    }

    private init(_ conv: Conv3D, winograd: WinogradConv3D?) {
        (weight, bias, inputChannels, outputChannels) = (conv.weight, conv.bias, conv.inputChannels, conv.outputChannels)
        (kernel, stride, padding) = (conv.kernel, conv.stride, conv.padding)
        self.winograd = winograd
    }

    /// This convolution computed by Winograd F(2×2×2, 3×3×3) from now on; unchanged unless it is 3×3×3 with
    /// stride 1 and padding 1. Costs 64/27 of the weights' memory for the transformed filter.
    public func usingWinograd() -> Conv3D {
        Conv3D(self, winograd: WinogradConv3D(self))
    }

    /// `usingWinograd()` where the Winograd form is the faster one for outputs of this shape.
    func usingWinograd(whenFasterFor output: SpatialShape) -> Conv3D {
        WinogradConv3D.pays(output: output) ? usingWinograd() : self
    }

    /// Folds eval-mode batch norm into a bias-free conv: w' = w·γ/√(var+ε), b' = β − mean·γ/√(var+ε).
    public init(folding weight: Tensor, batchNorm bn: BatchNormParameters, stride: Int, padding: Int) {
        precondition(weight.rank == 5 && weight.shape[2] == weight.shape[3] && weight.shape[3] == weight.shape[4],
                     "conv weight must be [out, in, k, k, k], got \(weight.shape)")
        let out = weight.shape[0], perOutput = weight.count / max(out, 1)
        precondition(bn.channels == out, "batch norm has \(bn.channels) channels, conv \(out)")
        var folded = weight.scalars
        for o in 0..<out {
            let s = bn.scale(o)
            for i in (o * perOutput)..<((o + 1) * perOutput) { folded[i] = Float(Double(folded[i]) * s) }
        }
        self.init(weight: folded, bias: (0..<out).map { Float(bn.shift($0)) }, inputChannels: weight.shape[1],
                  outputChannels: out, kernel: weight.shape[2], stride: stride, padding: padding)
    }

    public func outputShape(_ input: SpatialShape) -> SpatialShape {
        input.window(kernel: kernel, stride: stride, padding: padding)
    }

    /// Multiply-adds ×2 for an input of this shape.
    public func flops(_ input: SpatialShape) -> Double {
        2 * Double(inputChannels * kernel * kernel * kernel * outputChannels) * Double(outputShape(input).count)
    }

    /// conv(input) + bias (+ residual), then ReLU when `relu`. `residual` must have the output's shape:
    /// it is how a BasicBlock adds its shortcut before the final ReLU in the same pass.
    public func apply(_ input: FeatureMap, residual: FeatureMap? = nil, relu: Bool, workspace: ConvWorkspace = ConvWorkspace()) -> FeatureMap {
        precondition(input.channels == inputChannels, "conv expects \(inputChannels) input channels, got \(input.channels)")
        let outShape = outputShape(input.shape)
        precondition(outShape.count > 0, "conv k\(kernel) s\(stride) p\(padding) leaves nothing of a \(input.shape) input")
        if let residual { precondition(residual.channels == outputChannels && residual.shape == outShape, "residual shape mismatch") }
        if let winograd { return winograd.apply(input, residual: residual, relu: relu, workspace: workspace) }
        let p = outShape.count, depth = inputChannels * kernel * kernel * kernel
        var output = FeatureMap.uninitialized(channels: outputChannels, shape: outShape)
        // A 1×1×1 stride-1 unpadded conv reads the input as its own im2col matrix.
        let direct = kernel == 1 && stride == 1 && padding == 0
        if direct {
            input.values.withUnsafeBufferPointer { src in multiply(columns: src.baseAddress!, into: &output, voxels: p, depth: depth) }
        } else {
            let phases = StridePhases(input, kernel: kernel, stride: stride, padding: padding)
            phases.values.withUnsafeBufferPointer { base in
                if let slab = tiledSlab(depth: depth, output: outShape) {
                    applyTiled(phases: phases, base: base.baseAddress!, output: &output, outShape: outShape, depth: depth, slab: slab,
                               workspace: workspace)
                } else {
                    let scratch = workspace.columns(count: depth * p)
                    Im2Col.fill(phases: phases, base: base.baseAddress!, channels: inputChannels, kernel: kernel, output: outShape,
                                columns: scratch)
                    multiply(columns: scratch, into: &output, voxels: p, depth: depth)
                }
            }
        }
        output.values.withUnsafeMutableBufferPointer { epilogue($0.baseAddress!, voxels: p, residual: residual, relu: relu) }
        return output
    }

    /// out[Cout, P] = W · columns[depth, P], one multi-threaded sgemm.
    private func multiply(columns: UnsafePointer<Float>, into output: inout FeatureMap, voxels p: Int, depth: Int) {
        output.values.withUnsafeMutableBufferPointer { dst in
            weight.withUnsafeBufferPointer { w in
                BLAS.gemm(m: outputChannels, n: p, k: depth, a: w.baseAddress!, lda: depth,
                          b: columns, ldb: p, transposeB: false, c: dst.baseAddress!, ldc: p)
            }
        }
    }

    /// Output x-slices per tile when tiling pays: each worker unfolds a few x-slices (about 2 MB of
    /// columns, so they are still in cache when multiplied) and runs a single-threaded sgemm on them, which
    /// overlaps one worker's im2col with another's arithmetic. nil for layers too small to give every
    /// worker several tiles: there one multi-threaded sgemm over the whole matrix is better.
    private func tiledSlab(depth: Int, output o: SpatialShape) -> Int? {
        let workers = Parallel.threadCount
        guard workers > 1 else { return nil }
        let plane = o.y * o.z
        let slab = max(1, (1 << 19) / max(1, depth * plane))
        let tiles = (o.x + slab - 1) / slab
        return tiles >= 4 * workers ? slab : nil
    }

    private func applyTiled(phases: StridePhases, base: UnsafePointer<Float>, output: inout FeatureMap, outShape o: SpatialShape,
                            depth: Int, slab: Int, workspace: ConvWorkspace) {
        let plane = o.y * o.z, p = o.count, tiles = (o.x + slab - 1) / slab
        let workers = Parallel.threadCount, tileSize = depth * slab * plane
        let scratch = SharedBuffer(workspace.columns(count: workers * tileSize))
        let (cin, k, cout) = (inputChannels, kernel, outputChannels)
        let source = SharedBuffer(base)
        output.values.withUnsafeMutableBufferPointer { dst in
            weight.withUnsafeBufferPointer { w in
                let (target, weights) = (SharedBuffer(dst.baseAddress!), SharedBuffer(w.baseAddress!))
                BLAS.withSingleThreadedCalls {
                    Parallel.forEachWorker(workers) { worker in
                        let tile = scratch.base + worker * tileSize
                        var t = worker
                        while t < tiles {
                            let xs = (t * slab)..<min(o.x, (t + 1) * slab)
                            Im2Col.fillSlab(phases: phases, base: source.base, channels: cin, kernel: k, output: o, xs: xs,
                                            columns: tile)
                            BLAS.gemm(m: cout, n: xs.count * plane, k: depth, a: weights.base, lda: depth,
                                      b: tile, ldb: xs.count * plane, transposeB: false,
                                      c: target.base + xs.lowerBound * plane, ldc: p)
                            t += workers
                        }
                    }
                }
            }
        }
    }

    /// out ← [ReLU](out + bias[c] (+ residual)) in one parallel pass over the output.
    private func epilogue(_ out: UnsafeMutablePointer<Float>, voxels p: Int, residual: FeatureMap?, relu: Bool) {
        let target = SharedBuffer(out)
        let bias = self.bias
        func run(_ res: SharedBuffer?) {
            Parallel.forEachChunk(count: outputChannels * p, minimumChunk: 1 << 15) { range in
                var i = range.lowerBound
                while i < range.upperBound {
                    let c = i / p, end = min(range.upperBound, (c + 1) * p), b = bias[c]
                    Elementwise.addBias(target.base + i, count: end - i, bias: b, residual: res.map { UnsafePointer($0.base + i) }, relu: relu)
                    i = end
                }
            }
        }
        if let residual {
            residual.values.withUnsafeBufferPointer { run(SharedBuffer($0.baseAddress!)) }
        } else {
            run(nil)
        }
    }
}

/// The reusable im2col buffer of one forward pass: the largest matrix is allocated once and every
/// later convolution writes into the same memory (about 160 MB for the full-size stem).
public final class ConvWorkspace {
    private var buffer: UnsafeMutablePointer<Float>?
    private var capacity = 0

    public init() {}
    deinit { buffer?.deallocate() }

    /// Scratch space for at least `count` floats; contents are undefined.
    func columns(count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            buffer?.deallocate()
            buffer = .allocate(capacity: count)
            capacity = count
        }
        return buffer!
    }

    public var allocatedBytes: Int { capacity * MemoryLayout<Float>.stride }
}
