import Numerics

/// One imaging branch (`t1_encoder` or `fa_encoder`): MONAI-style 3-D ResNet (7³ stride-2 stem + BN + ReLU,
/// max-pool 3/2/1, four stages of BasicBlocks), global average pool, `proj` Linear, LayerNorm, L2
/// normalisation. Input is one channel [X, Y, Z] with Z fastest.
public struct ResNet3D: Sendable {
    public let inputShape: SpatialShape
    public let inputPool: Int
    let stem: Conv3D
    let stages: [[BasicBlock]]
    let projection: LinearLayer
    let norm: LayerNormParameters

    init(weights: EncoderWeights, prefix: String, config c: EncoderConfig) throws {
        inputShape = SpatialShape(c.inputShape)
        inputPool = c.inputPool
        let eps = c.batchNormEps
        stem = try weights.foldedConv(prefix + ".stem.conv", bn: prefix + ".stem.bn", in: 1, out: c.width, kernel: 7, stride: 2,
                                      padding: 3, epsilon: eps)
        var stages: [[BasicBlock]] = []
        var channels = c.width
        let shapes = Self.stageShapes(config: c)
        for (i, count) in c.blocks.enumerated() {
            let out = c.width << i
            stages.append(try (0..<count).map { b in
                try BasicBlock(weights: weights, prefix: "\(prefix).layers.\(i).\(b)", input: b == 0 ? channels : out, output: out,
                               stride: b == 0 && i > 0 ? 2 : 1, outputShape: shapes[3 + i], epsilon: eps)
            })
            channels = out
        }
        self.stages = stages
        projection = try weights.linear(prefix + ".proj", out: c.embedDim, in: channels)
        norm = try weights.layerNorm(prefix + ".norm", width: c.embedDim, epsilon: c.layerNormEps)
    }

    /// The unit-length embedding of one preprocessed volume.
    public func embed(_ volume: EncoderVolume, workspace: ConvWorkspace = ConvWorkspace()) throws -> [Float] {
        guard volume.shape == inputShape else {
            throw EncoderError.volumeShape(path: volume.source, shape: volume.shape.dims, expected: inputShape.dims)
        }
        let pooled = features(FeatureMap(channels: 1, shape: volume.shape, values: volume.values), workspace: workspace)
        return norm.unitEmbedding(projection.apply(pooled, rows: 1))
    }

    /// The global-pooled last-stage features (model.py's `features`).
    func features(_ input: FeatureMap, workspace: ConvWorkspace) -> [Float] {
        var x = Pooling.average(input, factor: inputPool)
        x = stem.apply(x, relu: true, workspace: workspace)
        x = Pooling.max(x, kernel: 3, stride: 2, padding: 1)
        for stage in stages {
            for block in stage { x = block.apply(x, workspace: workspace) }
        }
        return Pooling.globalAverage(x)
    }

    // MARK: Geometry (shared with config validation and benchmarks)

    /// Spatial shapes along the network: pooled input, stem output, max-pool output, then each stage's output.
    static func stageShapes(config c: EncoderConfig) -> [SpatialShape] {
        var shape = SpatialShape(c.pooledShape)
        var shapes = [shape]
        shape = shape.window(kernel: 7, stride: 2, padding: 3); shapes.append(shape)
        shape = shape.window(kernel: 3, stride: 2, padding: 1); shapes.append(shape)
        for i in c.blocks.indices {
            if i > 0 { shape = shape.window(kernel: 3, stride: 2, padding: 1) }
            shapes.append(shape)
        }
        return shapes
    }

    /// model.py's `gflops_per_volume` ×1e9: convolution multiply-adds ×2 only.
    static func flops(config c: EncoderConfig) -> Double {
        let shapes = stageShapes(config: c)
        func conv(_ s: SpatialShape, _ cin: Int, _ cout: Int, _ k: Int, _ stride: Int, _ p: Int) -> Double {
            2 * Double(cin * k * k * k * cout) * Double(s.window(kernel: k, stride: stride, padding: p).count)
        }
        var total = conv(shapes[0], 1, c.width, 7, 2, 3)
        var shape = shapes[2], cin = c.width
        for (i, n) in c.blocks.enumerated() {
            let cout = c.width << i, s = i == 0 ? 1 : 2
            for b in 0..<n {
                let stride = b == 0 ? s : 1
                let next = shape.window(kernel: 3, stride: stride, padding: 1)
                total += conv(shape, cin, cout, 3, stride, 1) + conv(next, cout, cout, 3, 1, 1)
                if b == 0 && (s != 1 || cin != cout) { total += conv(shape, cin, cout, 1, s, 0) }
                shape = next
                cin = cout
            }
        }
        return total
    }

    /// Bytes one forward needs at its peak (im2col buffer, the live feature maps, the input):
    /// used to decide how many cases may be encoded side by side.
    public static func workingSetBytes(config c: EncoderConfig) -> Int {
        let shapes = stageShapes(config: c)
        var columns = 343 * shapes[1].count            // stem im2col
        var maps = c.width * shapes[1].count * 2       // stem output + max-pool output
        var cin = c.width
        for i in c.blocks.indices {
            let cout = c.width << i, s = shapes[3 + i]
            columns = max(columns, max(cin, cout) * 27 * s.count)
            maps = max(maps, 4 * cout * s.count + cin * shapes[2 + i].count)
            cin = cout
        }
        return 4 * (columns + maps + 2 * SpatialShape(c.inputShape).count)
    }
}
