import Numerics

/// A 3×3×3, stride-1, padding-1 convolution computed by Winograd's minimal filtering F(2×2×2, 3×3×3)
/// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016), extended to three axes.
///
/// Each 2×2×2 block of outputs ("tile") is read from a 4×4×4 input patch. After transforming patch and
/// filter into the Winograd domain (Bᵀ d B and G g Gᵀ along every axis) a convolution becomes 64
/// independent products, one per transform point ξ: M_ξ[Cout × tiles] = U_ξ[Cout × Cin] · V_ξ[Cin × tiles].
/// That is 64 multiplies per tile and channel pair instead of 8 · 27 = 216, so the residual stages —
/// most of a ResNet-18's arithmetic — need 3.4× fewer multiply-adds; the transforms are additions only.
/// In float32 the result differs from the direct sum by rounding only (F(2, 3) has no fractions but ½).
struct WinogradConv3D: Sendable {
    let inputChannels: Int, outputChannels: Int
    /// U[ξ][Cout][Cin], ξ = (ξx·4 + ξy)·4 + ξz: row-major A operands of the 64 products.
    let filter: [Float]
    let bias: [Float]

    /// Transform points per tile (4³).
    static let points = 64

    /// Transforms a convolution's (batch-norm folded) weights; nil unless it is 3×3×3, stride 1, padding 1.
    init?(_ conv: Conv3D) {
        guard conv.kernel == 3, conv.stride == 1, conv.padding == 1 else { return nil }
        let (cin, cout) = (conv.inputChannels, conv.outputChannels)
        inputChannels = cin
        outputChannels = cout
        bias = conv.bias
        var u = [Float](repeating: 0, count: Self.points * cout * cin)
        // G = [[1, 0, 0], [½, ½, ½], [½, −½, ½], [0, 0, 1]] along z, then y, then x (separable), in double
        // precision: three values `step` apart in `from` become four values `step` apart in `to`.
        func transform(_ from: UnsafePointer<Double>, _ to: UnsafeMutablePointer<Double>, step: Int) {
            let (g0, g1, g2) = (from[0], from[step], from[2 * step])
            (to[0], to[step], to[2 * step], to[3 * step]) = (g0, 0.5 * (g0 + g1 + g2), 0.5 * (g0 - g1 + g2), g2)
        }
        let scratch = UnsafeMutablePointer<Double>.allocate(capacity: 27 + 36 + 48 + 64)
        defer { scratch.deallocate() }
        // [kx][ky][kz] → [kx][ky][pz] → [kx][py][pz] → [px][py][pz]
        let weights = scratch, alongZ = scratch + 27, alongY = alongZ + 36, points = alongY + 48
        for o in 0..<cout {
            for i in 0..<cin {
                let base = (o * cin + i) * 27
                for k in 0..<27 { weights[k] = Double(conv.weight[base + k]) }
                for line in 0..<9 { transform(weights + line * 3, alongZ + line * 4, step: 1) }
                for kx in 0..<3 { for pz in 0..<4 { transform(alongZ + kx * 12 + pz, alongY + kx * 16 + pz, step: 4) } }
                for q in 0..<16 { transform(alongY + q, points + q, step: 16) }
                for point in 0..<Self.points { u[(point * cout + o) * cin + i] = Float(points[point]) }
            }
        }
        filter = u
    }

    /// Whether the Winograd form beats im2col at this output size. Below a few dozen tiles the 64 products
    /// are too thin for sgemm to run well and padding an odd edge to whole tiles wastes up to 7/8 of a tile
    /// (a 3×4×3 map is computed as 4×4×4): there im2col's single product is faster.
    static func pays(output o: SpatialShape) -> Bool {
        Tiling(output: o).count >= 27
    }

    /// conv(input) + bias (+ residual), then ReLU when `relu`; the same contract as `Conv3D.apply`.
    func apply(_ input: FeatureMap, residual: FeatureMap?, relu: Bool, workspace: ConvWorkspace) -> FeatureMap {
        precondition(input.channels == inputChannels, "conv expects \(inputChannels) input channels, got \(input.channels)")
        let shape = input.shape, tiling = Tiling(output: shape)
        if let residual { precondition(residual.channels == outputChannels && residual.shape == shape, "residual shape mismatch") }
        var output = FeatureMap.uninitialized(channels: outputChannels, shape: shape)
        let workers = Parallel.threadCount
        // Enough tile rows to give every worker several: each worker takes whole rows through all three
        // passes on its own (single-threaded sgemm), so one worker's memory-bound transforms overlap
        // another's arithmetic. Otherwise blocks of rows go through the passes one at a time, each pass
        // split across the workers, sized so a block's transformed inputs and products (64 · (Cin + Cout)
        // floats per tile) stay near 12 MB.
        let perWorker = workers > 1 && tiling.x >= 3 * workers
        let perTile = Self.points * (inputChannels + outputChannels)
        let rows = perWorker ? 1 : max(1, min(tiling.x, (3 << 20) / max(1, perTile * tiling.perRow)))
        let blockSpace = PointLayout(channels: inputChannels, tiles: rows * tiling.perRow).count
            + PointLayout(channels: outputChannels, tiles: rows * tiling.perRow).count
        let space = SharedBuffer(workspace.columns(count: blockSpace * (perWorker ? workers : 1)))
        func compute(residual res: SharedBuffer?) {
            input.values.withUnsafeBufferPointer { src in
                output.values.withUnsafeMutableBufferPointer { dst in
                    filter.withUnsafeBufferPointer { u in
                        let buffers = Buffers(input: SharedBuffer(src.baseAddress!), output: SharedBuffer(dst.baseAddress!),
                                              filter: SharedBuffer(u.baseAddress!), residual: res)
                        BLAS.withSingleThreadedCalls {
                            if perWorker {
                                Parallel.forEachWorker(workers) { worker in
                                    let scratch = SharedBuffer(space.base + worker * blockSpace)
                                    for row in stride(from: worker, to: tiling.x, by: workers) {
                                        run(block: row..<(row + 1), tiling: tiling, shape: shape, buffers: buffers, scratch: scratch,
                                            relu: relu, split: false)
                                    }
                                }
                            } else {
                                for first in stride(from: 0, to: tiling.x, by: rows) {
                                    run(block: first..<min(tiling.x, first + rows), tiling: tiling, shape: shape, buffers: buffers,
                                        scratch: space, relu: relu, split: true)
                                }
                            }
                        }
                    }
                }
            }
        }
        if let residual {
            residual.values.withUnsafeBufferPointer { compute(residual: SharedBuffer($0.baseAddress!)) }
        } else {
            compute(residual: nil)
        }
        return output
    }

    /// The three passes over one block of tile rows (tx ∈ `block`, all ty, tz), each split across the
    /// workers when `split`, else all on the calling thread.
    private func run(block: Range<Int>, tiling: Tiling, shape: SpatialShape, buffers b: Buffers, scratch: SharedBuffer, relu: Bool,
                     split: Bool) {
        let tiles = block.count * tiling.perRow
        let (cin, cout) = (inputChannels, outputChannels)
        let inputLayout = PointLayout(channels: cin, tiles: tiles), outputLayout = PointLayout(channels: cout, tiles: tiles)
        let transformed = scratch, products = SharedBuffer(scratch.base + inputLayout.count)
        func pass(_ count: Int, _ body: @Sendable (Range<Int>) -> Void) {
            if split { Parallel.forEachChunk(count: count, body) } else { body(0..<count) }
        }
        pass(cin) { channels in
            WinogradTransforms.inputs(channels: channels, of: b.input.base, shape: shape, tiling: tiling, rows: block,
                                      into: transformed.base, layout: inputLayout)
        }
        pass(Self.points) { points in
            for p in points {
                BLAS.gemm(m: cout, n: tiles, k: cin, a: b.filter.base + p * cout * cin, lda: cin,
                          b: transformed.base + inputLayout.row(p, 0), ldb: inputLayout.lead, transposeB: false,
                          c: products.base + outputLayout.row(p, 0), ldc: outputLayout.lead)
            }
        }
        let bias = self.bias
        pass(cout) { channels in
            WinogradTransforms.outputs(channels: channels, from: products.base, layout: outputLayout, tiling: tiling,
                                       rows: block, shape: shape, bias: bias, residual: b.residual?.base, relu: relu,
                                       into: b.output.base)
        }
    }

    private struct Buffers: Sendable {
        let input: SharedBuffer, output: SharedBuffer, filter: SharedBuffer
        let residual: SharedBuffer?
    }

    /// Where V[ξ][c][tile] (or M[ξ][c][tile]) lives in a block's buffer. Rows are padded to whole cache
    /// lines and points by one more line: unpadded, the rows the transforms touch together (same channel,
    /// points 16 apart) are often a multiple of 4 KiB apart and compete for the same few L1 sets.
    struct PointLayout: Sendable {
        /// Floats from one channel's row to the next; the sgemm leading dimension.
        let lead: Int
        /// Floats from one point's matrix to the next.
        let pointStride: Int
        init(channels: Int, tiles: Int) {
            lead = (tiles + 15) / 16 * 16
            pointStride = channels * lead + 16
        }
        @inline(__always) func row(_ point: Int, _ channel: Int) -> Int { point &* pointStride &+ channel &* lead }
        var count: Int { WinogradConv3D.points * pointStride }
    }

    /// How an output volume splits into 2×2×2 tiles (edges rounded up; the overhang is computed and dropped).
    struct Tiling: Sendable {
        let x: Int, y: Int, z: Int
        init(output o: SpatialShape) { (x, y, z) = ((o.x + 1) / 2, (o.y + 1) / 2, (o.z + 1) / 2) }
        /// Tiles in one x-row (all ty, tz), the unit a block is made of.
        var perRow: Int { y * z }
        var count: Int { x * y * z }
    }
}
