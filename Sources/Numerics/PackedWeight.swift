import CPackedGemm

/// A dense layer's weight W [out, in] laid out once in 16-column panels for `CPackedGemm`, which
/// multiplies a few rows against it without OpenBLAS's per-call repacking of W (for one sentence,
/// repacking was 42 % of MiniLM's time: `Benchmarks/results/small-gemm.md`).
public struct PackedWeight: Sendable {
    public let outputWidth: Int
    public let inputWidth: Int
    let panels: [Float]

    /// Up to this many rows, `LinearLayer` multiplies with the packed weight; above it OpenBLAS's
    /// blocked GEMM, whose packing is then amortised, is faster (measured, see the benchmark).
    public static let rowLimit = 128

    /// Which kernel runs on this CPU: "avx512f", "avx2+fma" or "portable".
    public static var kernel: String { String(cString: memoir_packed_gemm_kernel()) }

    /// Switches every packed product to `kernel` when this CPU can run it (tests check each kernel the CPU has).
    @discardableResult
    public static func use(kernel: String) -> Bool { memoir_packed_gemm_use(kernel) == 1 }

    /// Packs `weight` ([out, in], row-major).
    public init(weight: UnsafePointer<Float>, outputWidth: Int, inputWidth: Int) {
        precondition(outputWidth > 0 && inputWidth > 0 && outputWidth <= Int(Int32.max) && inputWidth <= Int(Int32.max))
        self.outputWidth = outputWidth
        self.inputWidth = inputWidth
        let count = memoir_packed_size(Int32(outputWidth), Int32(inputWidth))
        panels = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            memoir_pack_weight(weight, Int32(outputWidth), Int32(inputWidth), Int32(inputWidth), buffer.baseAddress!)
            initialized = count
        }
    }

    /// output[r, j] (+)= Σₖ input[r, k]·W[j, k] for rows 0..<rows and output columns `columns`; rows of
    /// `input` are `inputStride` floats apart, rows of `output` `outputStride`.
    public func multiply(rows: Int, input: UnsafePointer<Float>, inputStride: Int, output: UnsafeMutablePointer<Float>,
                         outputStride: Int, columns: Range<Int>, accumulate: Bool) {
        precondition(columns.lowerBound >= 0 && columns.upperBound <= outputWidth && inputStride >= inputWidth)
        guard rows > 0, !columns.isEmpty else { return }
        panels.withUnsafeBufferPointer { p in
            memoir_packed_gemm(Int32(rows), Int32(outputWidth), Int32(inputWidth), input, Int32(inputStride), p.baseAddress!,
                               output, Int32(outputStride), Int32(columns.lowerBound), Int32(columns.upperBound), accumulate ? 1 : 0)
        }
    }
}
