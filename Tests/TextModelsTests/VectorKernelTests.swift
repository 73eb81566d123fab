import Foundation
import Numerics
import Testing

/// The vectorised kernels the BERT forward pass uses, against libm / double-precision references
/// (the parity suites check their effect end to end).
@Suite struct VectorKernelTests {
    @Test func geluMatchesErfFormOverTheWholeRange() {
        let xs = stride(from: -12.0, through: 12.0, by: 0.00137).map(Float.init) + [0, -0, 1e-30, -1e-30, 40, -40, 1e6, -1e6]
        var ys = xs
        ys.withUnsafeMutableBufferPointer { VectorOps.geluErf($0.baseAddress!, count: $0.count) }
        var worst = 0.0
        for (x, y) in zip(xs, ys) {
            let reference = 0.5 * Double(x) * (1 + Foundation.erf(Double(x) / 2.0.squareRoot()))
            worst = max(worst, abs(Double(y) - reference) / max(1, abs(reference)))
        }
        #expect(worst < 2e-6, "worst relative error \(worst)")
        #expect(ys[ys.count - 4] == 40 && ys[ys.count - 3] == 0)
    }

    @Test func geluHandlesEveryTailLength() {
        for count in 0..<40 {
            var v = (0..<count).map { Float($0) * 0.25 - 3 }
            let expected = v.map { 0.5 * $0 * (1 + erff($0 / Float(2).squareRoot())) }
            v.withUnsafeMutableBufferPointer { if count > 0 { VectorOps.geluErf($0.baseAddress!, count: count) } }
            for (a, b) in zip(v, expected) { #expect(abs(a - b) < 2e-6) }
        }
    }

    @Test func biasFusedKernelsEqualTheirParts() {
        let rows = 3, width = 37
        let x = (0..<(rows * width)).map { Float(($0 * 7919) % 97) / 13 - 3.5 }
        let bias = (0..<width).map { Float($0 % 5) * 0.3 - 0.6 }
        let residual = (0..<(rows * width)).map { Float(($0 * 31) % 11) * 0.1 }
        var fused = x, parts = x
        fused.withUnsafeMutableBufferPointer { VectorOps.addBiasGelu($0.baseAddress!, bias: bias, rows: rows, width: width) }
        for r in 0..<rows { for c in 0..<width { parts[r * width + c] += bias[c] } }
        parts.withUnsafeMutableBufferPointer { VectorOps.geluErf($0.baseAddress!, count: $0.count) }
        for (a, b) in zip(fused, parts) { #expect(abs(a - b) < 1e-6) }
        var sum = x
        sum.withUnsafeMutableBufferPointer { VectorOps.addBiasResidual($0.baseAddress!, bias: bias, residual: residual, rows: rows, width: width) }
        for r in 0..<rows { for c in 0..<width { #expect(abs(sum[r * width + c] - (x[r * width + c] + bias[c] + residual[r * width + c])) < 1e-6) } }
    }

    @Test func softmaxMatchesDoublePrecision() {
        for width in [1, 2, 7, 8, 9, 33, 64, 100, 512] {
            let rows = 3
            var x = (0..<(rows * width)).map { Float(sin(Double($0) * 1.3)) * 20 }
            x[0] = -1000  // far below the row maximum: must underflow to ~0, not misbehave
            let input = x
            x.withUnsafeMutableBufferPointer { VectorOps.softmaxRows($0.baseAddress!, rows: rows, width: width) }
            for r in 0..<rows {
                let row = input[(r * width)..<((r + 1) * width)].map(Double.init)
                let m = row.max()!
                let e = row.map { Foundation.exp($0 - m) }
                let s = e.reduce(0, +)
                var total = 0.0
                for c in 0..<width {
                    let expected = e[c] / s
                    total += Double(x[r * width + c])
                    #expect(abs(Double(x[r * width + c]) - expected) <= 1e-6 + expected * 3e-6, "width \(width) row \(r) col \(c)")
                }
                #expect(abs(total - 1) < 1e-5)
            }
        }
    }

    @Test func layerNormMatchesDoublePrecision() {
        for width in [4, 16, 37, 384] {
            let rows = 2
            var x = (0..<(rows * width)).map { Float(cos(Double($0) * 0.7)) * 5 + 100 }
            let input = x
            let gamma = (0..<width).map { 1 + Float($0 % 3) * 0.5 }, beta = (0..<width).map { Float($0 % 4) * 0.25 }
            x.withUnsafeMutableBufferPointer {
                VectorOps.layerNorm($0.baseAddress!, rows: rows, width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
            }
            for r in 0..<rows {
                let row = input[(r * width)..<((r + 1) * width)].map(Double.init)
                let mean = row.reduce(0, +) / Double(width)
                let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
                for c in 0..<width {
                    let expected = (row[c] - mean) / variance.squareRoot() * Double(gamma[c]) + Double(beta[c])
                    #expect(abs(Double(x[r * width + c]) - expected) < 2e-4, "width \(width)")
                }
            }
        }
    }
}
