import Cohort
import Foundation
import Numerics

/// Synthetic case embeddings drawn from the distribution of a set of real ones: a variance-preserving smoothed
/// bootstrap (Silverman 1986, §6.4). Each vector is
///
///     x = normalise( μ + (c_i + h · ε) / √(1 + h²) ),   ε ~ N(0, Σ)
///
/// where μ is the real mean, c_i = e_i − μ a real embedding picked uniformly at random, Σ the real (sample)
/// covariance and h the kernel bandwidth. ε is drawn as Xcᵀg / √(n − 1) with g ~ N(0, I_n) and Xc the n × d
/// centred real matrix, so it lives in the real embeddings' own subspace with their spectrum (no eigen-
/// decomposition needed), and the √(1 + h²) keeps the covariance Σ before the final renormalisation to unit length.
/// With `Noise.diagonal`, ε ~ N(0, diag(Σ)) instead: independent per-dimension noise at the real per-dimension spread.
struct SyntheticEmbeddings {
    let dimension: Int
    let realCount: Int
    /// n × d, row-major: real embeddings minus their mean.
    let centred: [Float]
    let mean: [Float]
    let bandwidth: Double
    let noise: Noise

    /// ε's covariance: the real one (`covariance`, the default), or only its diagonal (`diagonal`: independent noise in every
    /// one of the d dimensions, each scaled to the real per-dimension spread; a harder, higher-dimensional stress case).
    enum Noise: String, CaseIterable, Sendable { case covariance, diagonal }

    init(real: [[Float]], bandwidth: Double?, noise: Noise = .covariance) {
        precondition(real.count >= 2, "need at least two real embeddings")
        let d = real[0].count, n = real.count
        var mean = [Float](repeating: 0, count: d)
        for v in real { for j in 0..<d { mean[j] += v[j] } }
        for j in 0..<d { mean[j] /= Float(n) }
        var centred = [Float](repeating: 0, count: n * d)
        for (i, v) in real.enumerated() { for j in 0..<d { centred[i * d + j] = v[j] - mean[j] } }
        dimension = d
        realCount = n
        self.centred = centred
        self.mean = mean
        self.noise = noise
        self.bandwidth = bandwidth ?? Self.silvermanBandwidth(count: n, dimension: Self.participationRatio(centred: centred, rows: n, dimension: d))
    }

    /// Silverman's rule of thumb for a Gaussian kernel, (4 / (d + 2))^(1/(d+4)) · n^(−1/(d+4)), with d the
    /// effective dimension (the real embeddings' participation ratio, not the nominal 512).
    static func silvermanBandwidth(count n: Int, dimension d: Double) -> Double {
        pow(4 / (d + 2), 1 / (d + 4)) * pow(Double(n), -1 / (d + 4))
    }

    /// Effective dimension (Σλ)² / Σλ² of the covariance of `rows` centred rows, from their Gram matrix
    /// (the non-zero eigenvalues of XcᵀXc and XcXcᵀ agree).
    static func participationRatio(centred: [Float], rows n: Int, dimension d: Int) -> Double {
        var gram = [Float](repeating: 0, count: n * n)
        centred.withUnsafeBufferPointer { x in
            gram.withUnsafeMutableBufferPointer { g in
                BLAS.gemm(m: n, n: n, k: d, a: x.baseAddress!, lda: d, b: x.baseAddress!, ldb: d, transposeB: true, c: g.baseAddress!, ldc: n)
            }
        }
        var trace = 0.0, frobenius = 0.0
        for i in 0..<n { trace += Double(gram[i * n + i]) }
        for value in gram { frobenius += Double(value) * Double(value) }
        return frobenius > 0 ? trace * trace / frobenius : 0
    }

    /// Summary statistics of a set of unit vectors (`rows` × d, row-major): effective dimension and mean pairwise cosine.
    static func describe(_ vectors: UnsafeBufferPointer<Float>, rows n: Int, dimension d: Int) -> (effectiveDimension: Double, meanPairwiseCosine: Double) {
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(vectors[i * d + j]) } }
        let sumNormSquared = mean.reduce(0) { $0 + $1 * $1 }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = [Float](repeating: 0, count: n * d)
        for i in 0..<n { for j in 0..<d { centred[i * d + j] = vectors[i * d + j] - Float(mean[j]) } }
        // Σ_{i≠j} ⟨x_i, x_j⟩ = ‖Σ x_i‖² − Σ ‖x_i‖², and ‖x_i‖ = 1.
        return (participationRatio(centred: centred, rows: n, dimension: d), (sumNormSquared - Double(n)) / Double(n * (n - 1)))
    }

    /// `count` unit vectors, row-major; the same seed gives the same vectors, and a shorter run is a prefix of a longer one.
    func generate(count: Int, seed: UInt64) -> [Float] {
        let d = dimension, n = realCount
        var rng = SeededGenerator(seed: seed)
        var out = [Float](repeating: 0, count: count * d)
        let chunk = 4096
        var gaussians = [Float](repeating: 0, count: self.noise == .covariance ? chunk * n : 0)
        var epsilon = [Float](repeating: 0, count: chunk * d)
        let spread = (0..<d).map { j in ((0..<n).reduce(0.0) { $0 + Double(centred[$1 * d + j] * centred[$1 * d + j]) } / Double(n - 1)).squareRoot() }
        let alpha = Float(bandwidth / Double(n - 1).squareRoot())
        let shrink = Float(1 / (1 + bandwidth * bandwidth).squareRoot())
        var start = 0
        while start < count {
            let rows = min(chunk, count - start)
            // Box–Muller, both values of each pair.
            var i = 0
            while self.noise == .covariance, i < rows * n {
                let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
                let r = (-2 * log(u1)).squareRoot(), angle = 2 * Double.pi * u2
                gaussians[i] = Float(r * cos(angle))
                if i + 1 < rows * n { gaussians[i + 1] = Float(r * sin(angle)) }
                i += 2
            }
            if self.noise == .diagonal {
                for r in 0..<rows {
                    for j in 0..<d {
                        let u1 = max(rng.uniform(), 1e-300), u2 = rng.uniform()
                        epsilon[r * d + j] = Float(bandwidth * spread[j] * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
                    }
                }
            } else { gaussians.withUnsafeBufferPointer { g in
                centred.withUnsafeBufferPointer { x in
                    epsilon.withUnsafeMutableBufferPointer { e in
                        BLAS.gemm(m: rows, n: d, k: n, a: g.baseAddress!, lda: n, b: x.baseAddress!, ldb: d, transposeB: false,
                                  c: e.baseAddress!, ldc: d, alpha: alpha)
                    }
                }
            } }
            out.withUnsafeMutableBufferPointer { o in
                for r in 0..<rows {
                    let pick = Int(rng.next() % UInt64(n))
                    let row = (start + r) * d
                    var norm: Float = 0
                    for j in 0..<d {
                        let value = mean[j] + (centred[pick * d + j] + epsilon[r * d + j]) * shrink
                        o[row + j] = value
                        norm += value * value
                    }
                    let scale = 1 / norm.squareRoot()
                    for j in 0..<d { o[row + j] *= scale }
                }
            }
            start += rows
        }
        return out
    }
}

/// Retrieval quality and latency arithmetic for `memoir-bench index`.
enum IndexMetrics {
    /// Mean over queries of |approximate top-k ∩ exact top-k| / k.
    static func recall(approximate: [[Int]], exact: [[Int]], k: Int) -> Double {
        precondition(approximate.count == exact.count && k > 0)
        guard !exact.isEmpty else { return 0 }
        var total = 0.0
        for (found, truth) in zip(approximate, exact) {
            let truthSet = Set(truth.prefix(k))
            total += Double(found.prefix(k).filter { truthSet.contains($0) }.count) / Double(k)
        }
        return total / Double(exact.count)
    }

    /// Nearest-rank percentile (p in 0...1) of unsorted samples.
    static func percentile(_ samples: [Double], _ p: Double) -> Double {
        precondition(!samples.isEmpty)
        let sorted = samples.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
