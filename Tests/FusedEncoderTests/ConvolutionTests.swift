import FusedEncoder
import Numerics
import Testing

/// Conv3D and pooling against tiny hand-computed cases and a direct (seven nested loops) convolution.
@Suite struct ConvolutionTests {
    /// A 1-channel map whose value at (x, y, z) is `f(x, y, z)`.
    static func map(_ s: SpatialShape, channels: Int = 1, _ f: (Int, Int, Int, Int) -> Float) -> FeatureMap {
        var values: [Float] = []
        for c in 0..<channels { for x in 0..<s.x { for y in 0..<s.y { for z in 0..<s.z { values.append(f(c, x, y, z)) } } } }
        return FeatureMap(channels: channels, shape: s, values: values)
    }

    /// PyTorch Conv3d by definition: zero padding, stride, weight [out, in, k, k, k].
    static func direct(_ input: FeatureMap, _ conv: Conv3D) -> FeatureMap {
        let k = conv.kernel, o = conv.outputShape(input.shape), s = input.shape
        var out: [Float] = []
        for co in 0..<conv.outputChannels {
            for ox in 0..<o.x { for oy in 0..<o.y { for oz in 0..<o.z {
                var sum = Double(conv.bias[co])
                for ci in 0..<conv.inputChannels { for kx in 0..<k { for ky in 0..<k { for kz in 0..<k {
                    let (ix, iy, iz) = (ox * conv.stride - conv.padding + kx, oy * conv.stride - conv.padding + ky, oz * conv.stride - conv.padding + kz)
                    guard ix >= 0, iy >= 0, iz >= 0, ix < s.x, iy < s.y, iz < s.z else { continue }
                    sum += Double(conv.weight[(((co * conv.inputChannels + ci) * k + kx) * k + ky) * k + kz]) * Double(input[ci, ix, iy, iz])
                } } } }
                out.append(Float(sum))
            } } }
        }
        return FeatureMap(channels: conv.outputChannels, shape: o, values: out)
    }

    @Test func stride2Padding1SumsTheCornerWindow() {
        // All-ones 3³ kernel, stride 2, padding 1 on x+10y+100z over 4³: output (0,0,0) sums the 2³ corner
        // (taps at −1 read zeros), output (1,1,1) sums voxels 1…3 in each axis.
        let input = Self.map(SpatialShape(4, 4, 4)) { _, x, y, z in Float(x + 10 * y + 100 * z) }
        let conv = Conv3D(weight: [Float](repeating: 1, count: 27), bias: [0.5], inputChannels: 1, outputChannels: 1, kernel: 3, stride: 2, padding: 1)
        let out = conv.apply(input, relu: false)
        #expect(out.shape == SpatialShape(2, 2, 2))
        // Σ over x,y,z ∈ {0,1} of x + 10y + 100z = 4·(1 + 10 + 100) = 444.
        #expect(out[0, 0, 0, 0] == 444.5)
        // Σ over {1,2,3}³: 9·(6 + 60 + 600) = 5994.
        #expect(out[0, 1, 1, 1] == 5994.5)
        // x ∈ {1,2,3}, y, z ∈ {0,1}: 4·6 + 6·(10 + 100) = 24 + 660 = 684.
        #expect(out[0, 1, 0, 0] == 684.5)
    }

    @Test func oneByOneStride2ShortcutSamplesEvenVoxels() {
        let input = Self.map(SpatialShape(5, 4, 3), channels: 2) { c, x, y, z in Float(c * 1000 + x * 100 + y * 10 + z) }
        // out0 = 1·in0 − 1·in1 + 0.25, out1 = 2·in0; output voxel (i, j, k) reads input (2i, 2j, 2k).
        let conv = Conv3D(weight: [1, -1, 2, 0], bias: [0.25, 0], inputChannels: 2, outputChannels: 2, kernel: 1, stride: 2, padding: 0)
        let out = conv.apply(input, relu: false)
        #expect(out.shape == SpatialShape(3, 2, 2))
        #expect(out[0, 2, 1, 1] == -1000 + 0.25)
        #expect(out[1, 2, 1, 1] == 2 * Float(400 + 20 + 2))
        #expect(out[1, 0, 0, 0] == 0)
    }

    @Test func im2colConvolutionEqualsTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        for (k, stride, pad, cin, cout, shape) in [
            (3, 1, 1, 3, 4, SpatialShape(5, 6, 7)), (3, 2, 1, 2, 3, SpatialShape(7, 5, 6)), (7, 2, 3, 1, 2, SpatialShape(9, 8, 10)),
            (1, 1, 0, 3, 2, SpatialShape(3, 4, 5)), (1, 2, 0, 4, 3, SpatialShape(6, 5, 7)), (3, 3, 0, 2, 2, SpatialShape(8, 7, 9)),
            // Large enough (Cin·k³ × output plane) for the tiled path: x-slabs unfolded and multiplied per worker.
            (3, 1, 1, 16, 2, SpatialShape(10, 30, 30)), (3, 2, 1, 16, 3, SpatialShape(21, 60, 59)),
        ] {
            let input = Self.map(shape, channels: cin) { _, _, _, _ in Float.random(in: -1...1, using: &rng) }
            let conv = Conv3D(weight: (0..<(cout * cin * k * k * k)).map { _ in Float.random(in: -1...1, using: &rng) },
                              bias: (0..<cout).map { _ in Float.random(in: -1...1, using: &rng) },
                              inputChannels: cin, outputChannels: cout, kernel: k, stride: stride, padding: pad)
            let expected = Self.direct(input, conv)
            let residual = Self.map(expected.shape, channels: cout) { _, _, _, _ in Float.random(in: -1...1, using: &rng) }
            let plain = conv.apply(input, relu: false)
            #expect(plain.shape == expected.shape)
            let worst = zip(plain.values, expected.values).map { abs($0 - $1) }.max() ?? 0
            // Float sums of Cin·k³ products: the tolerance grows with the outputs' magnitude.
            let tolerance = 1e-5 * max(1, (expected.values.map(abs).max() ?? 0) / 4)
            #expect(worst < tolerance, "k\(k) s\(stride) p\(pad): worst \(worst)")
            // The fused epilogue: ReLU(conv + residual).
            let fused = conv.apply(input, residual: residual, relu: true)
            let want = zip(expected.values, residual.values).map { max(0, $0 + $1) }
            #expect(zip(fused.values, want).allSatisfy { abs($0 - $1) < tolerance }, "k\(k) s\(stride) p\(pad) residual+relu")
        }
    }

    static func randomConv(cin: Int, cout: Int, using rng: inout SystemRandomNumberGenerator) -> Conv3D {
        Conv3D(weight: (0..<(cout * cin * 27)).map { _ in Float.random(in: -1...1, using: &rng) },
               bias: (0..<cout).map { _ in Float.random(in: -1...1, using: &rng) },
               inputChannels: cin, outputChannels: cout, kernel: 3, stride: 1, padding: 1)
    }

    @Test func winogradConvolutionEqualsTheDefinition() {
        var rng = SystemRandomNumberGenerator()
        // Odd and even edges (tile overhang dropped), a single tile, one-voxel axes, more outputs than inputs.
        for (cin, cout, shape) in [(3, 4, SpatialShape(5, 6, 7)), (2, 3, SpatialShape(4, 4, 4)), (1, 1, SpatialShape(2, 2, 2)),
                                   (4, 2, SpatialShape(1, 3, 1)), (5, 7, SpatialShape(7, 3, 9)), (2, 2, SpatialShape(3, 4, 3))] {
            let input = Self.map(shape, channels: cin) { _, _, _, _ in Float.random(in: -1...1, using: &rng) }
            let conv = Self.randomConv(cin: cin, cout: cout, using: &rng).usingWinograd()
            let expected = Self.direct(input, conv)
            let residual = Self.map(shape, channels: cout) { _, _, _, _ in Float.random(in: -1...1, using: &rng) }
            let tolerance = 1e-5 * max(1, (expected.values.map(abs).max() ?? 0) / 4)
            let plain = conv.apply(input, relu: false)
            #expect(plain.shape == shape)
            let worst = zip(plain.values, expected.values).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < tolerance, "\(cin)→\(cout) on \(shape): worst \(worst)")
            let fused = conv.apply(input, residual: residual, relu: true)
            let want = zip(expected.values, residual.values).map { max(0, $0 + $1) }
            #expect(zip(fused.values, want).allSatisfy { abs($0 - $1) < tolerance }, "\(cin)→\(cout) on \(shape) residual+relu")
        }
    }

    @Test func winogradEqualsIm2colAtStageOneSize() {
        // The full-size first stage (64 channels, 23×28×23): several blocks of tile rows, every worker busy.
        var rng = SystemRandomNumberGenerator()
        let shape = SpatialShape(23, 28, 23)
        let conv = Self.randomConv(cin: 64, cout: 64, using: &rng)
        let input = Self.map(shape, channels: 64) { _, _, _, _ in Float.random(in: 0...1, using: &rng) }
        let residual = Self.map(shape, channels: 64) { _, _, _, _ in Float.random(in: -1...1, using: &rng) }
        let reference = conv.apply(input, residual: residual, relu: true)
        let winograd = conv.usingWinograd().apply(input, residual: residual, relu: true)
        let scale = reference.values.map(abs).max() ?? 1
        let worst = zip(reference.values, winograd.values).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 2e-6 * scale, "worst \(worst) of outputs up to \(scale)")
    }

    @Test func winogradOnlyReplacesStrideOnePaddingOneCubes() {
        var rng = SystemRandomNumberGenerator()
        let strided = Conv3D(weight: (0..<54).map { _ in Float.random(in: -1...1, using: &rng) }, bias: [0, 0], inputChannels: 1,
                             outputChannels: 2, kernel: 3, stride: 2, padding: 1).usingWinograd()
        let input = Self.map(SpatialShape(6, 5, 4)) { _, x, y, z in Float(x - y + z) }
        // Not eligible: still the im2col path, still the definition.
        let worst = zip(strided.apply(input, relu: false).values, Self.direct(input, strided).values).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-5)
    }

    @Test func batchNormFoldsIntoWeightsAndBias() {
        let input = Self.map(SpatialShape(4, 3, 5), channels: 2) { c, x, y, z in Float(c - x + 2 * y) * 0.1 + Float(z) * 0.3 }
        let weight = Tensor(shape: [2, 2, 3, 3, 3], scalars: (0..<108).map { Float(($0 * 37) % 11) / 11 - 0.5 })
        let bn = BatchNormParameters(gamma: [1.2, 0.7], beta: [0.1, -0.3], mean: [0.05, -0.2], variance: [0.8, 1.4], epsilon: 1e-5)
        let folded = Conv3D(folding: weight, batchNorm: bn, stride: 1, padding: 1)
        let plain = Conv3D(weight: weight.scalars, bias: [0, 0], inputChannels: 2, outputChannels: 2, kernel: 3, stride: 1, padding: 1)
        let raw = plain.apply(input, relu: false), out = folded.apply(input, relu: false)
        let n = raw.shape.count
        for c in 0..<2 {
            for i in 0..<n {
                let v = Double(raw.values[c * n + i])
                let want = (v - Double(bn.mean[c])) / (Double(bn.variance[c]) + 1e-5).squareRoot() * Double(bn.gamma[c]) + Double(bn.beta[c])
                #expect(abs(Double(out.values[c * n + i]) - want) < 1e-5)
            }
        }
    }

    @Test func maxPoolPadsWithMinusInfinity() {
        // All values negative: zero padding would wrongly give 0 on the border.
        let input = Self.map(SpatialShape(5, 5, 5)) { _, x, y, z in -Float(1 + x + 5 * y + 25 * z) }
        let out = Pooling.max(input, kernel: 3, stride: 2, padding: 1)
        #expect(out.shape == SpatialShape(3, 3, 3))
        #expect(out[0, 0, 0, 0] == -1)                // window {0,1}³ → max at (0,0,0)
        #expect(out[0, 1, 1, 1] == -(1 + 1 + 5 + 25)) // window {1,2,3}³ → max at (1,1,1)
        #expect(out[0, 2, 2, 2] == -(1 + 3 + 15 + 75)) // window {3,4}³ → (3,3,3)
        #expect(out.values.allSatisfy { $0 < 0 })
        // 46 → 23 and 55 → 28, as for the full-size stem output.
        #expect(SpatialShape(46, 55, 46).window(kernel: 3, stride: 2, padding: 1) == SpatialShape(23, 28, 23))
    }

    @Test func maxPoolEqualsTheBoxDefinition() {
        var rng = SystemRandomNumberGenerator()
        for (k, stride, pad, shape) in [(3, 2, 1, SpatialShape(6, 7, 5)), (3, 2, 1, SpatialShape(9, 4, 8)), (2, 2, 0, SpatialShape(5, 6, 7)),
                                        (3, 1, 1, SpatialShape(4, 5, 3))] {
            let input = Self.map(shape, channels: 3) { _, _, _, _ in Float.random(in: -5...5, using: &rng) }
            let out = Pooling.max(input, kernel: k, stride: stride, padding: pad)
            let o = shape.window(kernel: k, stride: stride, padding: pad)
            #expect(out.shape == o)
            for c in 0..<3 { for ox in 0..<o.x { for oy in 0..<o.y { for oz in 0..<o.z {
                var best = -Float.infinity
                for ix in (ox * stride - pad)..<(ox * stride - pad + k) where ix >= 0 && ix < shape.x {
                    for iy in (oy * stride - pad)..<(oy * stride - pad + k) where iy >= 0 && iy < shape.y {
                        for iz in (oz * stride - pad)..<(oz * stride - pad + k) where iz >= 0 && iz < shape.z {
                            best = max(best, input[c, ix, iy, iz])
                        }
                    }
                }
                #expect(out[c, ox, oy, oz] == best, "k\(k) s\(stride) p\(pad) at \(c),\(ox),\(oy),\(oz)")
            } } } }
        }
    }

    @Test func averagePoolFloorsAndGlobalPoolAverages() {
        let input = Self.map(SpatialShape(5, 4, 3), channels: 2) { c, x, y, z in Float(c * 100 + x + 10 * y + z) }
        let pooled = Pooling.average(input, factor: 2)
        #expect(pooled.shape == SpatialShape(2, 2, 1))
        // Window x∈{2,3}, y∈{0,1}, z∈{0,1}: mean x 2.5, y 0.5, z 0.5 → 2.5 + 5 + 0.5.
        #expect(abs(pooled[0, 1, 0, 0] - 8) < 1e-6)
        #expect(abs(pooled[1, 0, 1, 0] - (100 + 0.5 + 25 + 0.5)) < 1e-5)
        let global = Pooling.globalAverage(input)
        #expect(abs(global[0] - (2 + 15 + 1)) < 1e-5 && abs(global[1] - 118) < 1e-4)
        #expect(Pooling.average(input, factor: 1) == input)
    }
}
