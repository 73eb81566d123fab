import Testing
@testable import Numerics

@Suite struct KernelTests {
    @Test func linearLayerMatchesNaiveProduct() {
        let (rows, inWidth, outWidth) = (5, 7, 3)
        let w = Tensor(shape: [outWidth, inWidth], scalars: (0..<(outWidth * inWidth)).map { Float($0 % 5) - 2 })
        let b = Tensor(shape: [outWidth], scalars: [0.5, -1, 2])
        let x = (0..<(rows * inWidth)).map { Float($0 % 7) * 0.25 - 0.5 }
        let y = LinearLayer(weight: w, bias: b).apply(x, rows: rows)
        for r in 0..<rows {
            for o in 0..<outWidth {
                var expected = b.scalars[o]
                for i in 0..<inWidth { expected += x[r * inWidth + i] * w.scalars[o * inWidth + i] }
                #expect(abs(y[r * outWidth + o] - expected) < 1e-5)
            }
        }
    }

    @Test func layerNormSoftmaxGeluAndNormalise() {
        var x: [Float] = [1, 2, 3, 4, -1, 0, 1, 10]
        let gamma: [Float] = [1, 1, 2, 1], beta: [Float] = [0, 0, 0, 1]
        x.withUnsafeMutableBufferPointer { VectorOps.layerNorm($0.baseAddress!, rows: 2, width: 4, gamma: gamma, beta: beta, epsilon: 1e-12) }
        // Row 1: mean 2.5, variance 1.25.
        let inv = 1 / Float(1.25).squareRoot()
        #expect(abs(x[0] - (-1.5 * inv)) < 1e-6 && abs(x[2] - 2 * 0.5 * inv) < 1e-6 && abs(x[3] - (1.5 * inv + 1)) < 1e-6)

        var s: [Float] = [0, 0, 1000, 1000, 1, 2]
        s.withUnsafeMutableBufferPointer { VectorOps.softmaxRows($0.baseAddress!, rows: 3, width: 2) }
        #expect(s[0] == 0.5 && s[2] == 0.5 && abs(s[5] - 1 / (1 + Float(-1).exp())) < 1e-6)

        var g: [Float] = [0, 1, -1, 3]
        g.withUnsafeMutableBufferPointer { VectorOps.geluErf($0.baseAddress!, count: 4) }
        // Reference values of x·Φ(x).
        for (value, expected) in zip(g, [0, 0.8413447, -0.1586553, 2.9959502] as [Float]) { #expect(abs(value - expected) < 1e-6) }

        var v: [Float] = [3, 4]
        VectorOps.l2Normalize(&v)
        #expect(v == [0.6, 0.8])
        var zero: [Float] = [0, 0]
        VectorOps.l2Normalize(&zero)
        #expect(zero == [0, 0])
        #expect(abs(VectorOps.cosine([1, 0], [1, 1]) - Float(0.5).squareRoot()) < 1e-6)
    }

    @Test func parallelChunksCoverEveryIndexOnce() {
        for count in [0, 1, 3, 17, 1000] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(count, 1))
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            let address = UInt(bitPattern: hits.baseAddress!)
            Parallel.forEachChunk(count: count, minimumChunk: 2) { range in
                let p = UnsafeMutablePointer<Int>(bitPattern: address)!
                for i in range { p[i] += 1 }
            }
            #expect(hits.prefix(count).allSatisfy { $0 == 1 })
        }
    }

    @Test func transposeSwapsAxes() {
        let t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).transposed()
        #expect(t.shape == [3, 2] && t.scalars == [1, 4, 2, 5, 3, 6])
    }
}

private extension Float {
    func exp() -> Float { Float(Foundation.exp(Double(self))) }
}
import Foundation
