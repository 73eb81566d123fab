@testable import Numerics
import Testing

/// The CVectorKernels GELU and softmax (16 or 8 lanes, chosen by CPU feature) against VectorOps' scalar `gelu` and
/// `exp` on widths that leave every tail length, including rows `stride` apart and NaN.
@Suite struct VectorKernelParityTests {
    func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 20_000) / 1_000 - 10  // in (-30, 10), some past erf's ±4 clamp
        }
    }

    @Test func geluMatchesTheScalarFormula() {
        for width in [1, 7, 15, 16, 17, 33, 384, 1536] {
            var x = values(3 * width, seed: UInt64(width))
            let bias = values(width, seed: 99).map { $0 / 10 }
            let expected = x.indices.map { VectorOps.gelu(x[$0] + bias[$0 % width]) }
            x.withUnsafeMutableBufferPointer { VectorOps.addBiasGelu($0.baseAddress!, bias: bias, rows: 3, width: width) }
            for i in x.indices { #expect(abs(x[i] - expected[i]) <= 2e-6 * max(1, abs(expected[i])), "width \(width), \(i): \(x[i]) vs \(expected[i]) (\(VectorOps.kernel))") }
        }
        var nan: [Float] = [.nan, 1]
        nan.withUnsafeMutableBufferPointer { VectorOps.addBiasGelu($0.baseAddress!, bias: [0, 0], rows: 1, width: 2) }
        #expect(nan[0].isNaN && abs(nan[1] - 0.8413447) < 1e-6)
    }

    @Test func softmaxMatchesTheScalarFormula() {
        for width in [1, 2, 15, 16, 17, 31, 50, 128] {
            var x = values(4 * width, seed: UInt64(width) + 7)
            var expected = x
            for r in 0..<4 {
                let row = expected[(r * width)..<((r + 1) * width)]
                let m = row.max()!
                let e = row.map { VectorOps.exp($0 - m) }
                let sum = e.reduce(0, +)
                for (i, v) in e.enumerated() { expected[r * width + i] = v / sum }
            }
            x.withUnsafeMutableBufferPointer { VectorOps.softmaxRows($0.baseAddress!, rows: 4, width: width) }
            for i in x.indices { #expect(abs(x[i] - expected[i]) <= 1e-6, "width \(width), \(i): \(x[i]) vs \(expected[i]) (\(VectorOps.kernel))") }
            for r in 0..<4 { #expect(abs(x[(r * width)..<((r + 1) * width)].reduce(0, +) - 1) < 1e-5) }
        }
    }
}
