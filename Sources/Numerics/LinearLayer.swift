/// y = x·Wᵀ + b over a batch of rows, with W in PyTorch's [out, in] layout. A few rows (one sentence)
/// multiply against a copy of W packed at load (`PackedWeight`), more go to OpenBLAS.
public struct LinearLayer: Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    let packed: PackedWeight
    public var inputWidth: Int { weight.shape[1] }
    public var outputWidth: Int { weight.shape[0] }

    public init(weight: Tensor, bias: Tensor?) {
        precondition(weight.rank == 2, "linear weight must be a matrix, got \(weight.shape)")
        precondition(bias == nil || bias!.count == weight.shape[0], "bias length must equal output width")
        self.weight = weight
        self.bias = bias
        packed = weight.scalars.withUnsafeBufferPointer {
            PackedWeight(weight: $0.baseAddress!, outputWidth: weight.shape[0], inputWidth: weight.shape[1])
        }
    }

    /// x·Wᵀ for output columns `columns` into `output` (row stride `ldc`), added to what is there when `accumulate`.
    private func product(rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>, ldc: Int,
                         columns: Range<Int>, accumulate: Bool) {
        if rows <= PackedWeight.rowLimit {
            packed.multiply(rows: rows, input: input, inputStride: inputWidth, output: output, outputStride: ldc,
                            columns: columns, accumulate: accumulate)
            return
        }
        weight.scalars.withUnsafeBufferPointer { w in
            BLAS.gemm(m: rows, n: columns.count, k: inputWidth, a: input, lda: inputWidth,
                      b: w.baseAddress! + columns.lowerBound * inputWidth, ldb: inputWidth, transposeB: true,
                      c: output + columns.lowerBound, ldc: ldc, beta: accumulate ? 1 : 0)
        }
    }

    /// Writes `rows` outputs into `output` (row stride `outputWidth`).
    public func apply(rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        let out = outputWidth
        var beta: Float = 0
        if let bias {
            // Seed C with the bias so the GEMM adds it for free (beta = 1).
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<rows { (output + r * out).update(from: b.baseAddress!, count: out) }
            }
            beta = 1
        }
        product(rows: rows, input: input, output: output, ldc: out, columns: 0..<out, accumulate: beta == 1)
    }

    /// Output columns `columns` (rows of W) of x·Wᵀ (+ b when `addingBias`), written at their own
    /// column offsets into `output`, whose rows are `outputStride` floats apart. Lets workers
    /// split one layer's outputs between them.
    public func apply(rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>,
                      outputStride: Int, columns: Range<Int>, addingBias: Bool) {
        precondition(columns.lowerBound >= 0 && columns.upperBound <= outputWidth && outputStride >= columns.upperBound)
        guard rows > 0, !columns.isEmpty else { return }
        var beta: Float = 0
        if addingBias, let bias {
            bias.scalars.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    (output + r * outputStride + columns.lowerBound).update(from: b.baseAddress! + columns.lowerBound, count: columns.count)
                }
            }
            beta = 1
        }
        product(rows: rows, input: input, output: output, ldc: outputStride, columns: columns, accumulate: beta == 1)
    }

    /// x·Wᵀ only, without the bias, for callers that fuse the bias into a following pass.
    public func applyWithoutBias(rows: Int, input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
        guard rows > 0 else { return }
        product(rows: rows, input: input, output: output, ldc: outputWidth, columns: 0..<outputWidth, accumulate: false)
    }

    public func apply(_ input: [Float], rows: Int) -> [Float] {
        var output = [Float](repeating: 0, count: rows * outputWidth)
        input.withUnsafeBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in apply(rows: rows, input: i.baseAddress!, output: o.baseAddress!) }
        }
        return output
    }
}
