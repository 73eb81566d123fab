import Cohort
import Numerics

/// `fusion`: a learned pool query attends over the present modality tokens with nn.MultiheadAttention
/// math, then LayerNorm and L2 normalisation give z. Absent modalities are left out of the softmax,
/// which is what the reference's key_padding_mask (−∞ logits) amounts to.
public struct AttentionFusion: Sendable {
    public let width: Int, heads: Int
    let poolQuery: [Float]
    /// [3, d]: added to each modality's token before the key/value projections.
    let modalityEmbedding: Tensor
    /// in_proj rows [0, d) project queries, [d, 2d) keys, [2d, 3d) values.
    let query: LinearLayer, key: LinearLayer, value: LinearLayer
    let output: LinearLayer
    let norm: LayerNormParameters

    init(weights: EncoderWeights, config c: EncoderConfig) throws {
        let d = c.embedDim
        width = d
        heads = c.attentionHeads
        poolQuery = try weights.tensor("fusion.pool_query", shape: [1, d]).scalars
        modalityEmbedding = try weights.tensor("fusion.modality_embedding", shape: [Modality.allCases.count, d])
        let inWeight = try weights.tensor("fusion.attn.in_proj_weight", shape: [3 * d, d]).scalars
        let inBias = try weights.tensor("fusion.attn.in_proj_bias", shape: [3 * d]).scalars
        func slice(_ part: Int) -> LinearLayer {
            LinearLayer(weight: Tensor(shape: [d, d], scalars: Array(inWeight[(part * d * d)..<((part + 1) * d * d)])),
                        bias: Tensor(shape: [d], scalars: Array(inBias[(part * d)..<((part + 1) * d)])))
        }
        (query, key, value) = (slice(0), slice(1), slice(2))
        output = try weights.linear("fusion.attn.out_proj", out: d, in: d)
        norm = try weights.layerNorm("fusion.norm", width: d, epsilon: c.layerNormEps)
    }

    /// z from the tokens of the present modalities (at least one).
    public func fuse(_ tokens: [Modality: [Float]]) throws -> [Float] {
        let present = Modality.allCases.filter { tokens[$0] != nil }
        guard !present.isEmpty else { throw EncoderError.invalidInput("attention fusion needs at least one modality token") }
        let d = width, n = present.count, headWidth = d / heads
        var keysIn = [Float]()
        for m in present {
            let token = tokens[m]!
            guard token.count == d else { throw EncoderError.invalidInput("\(m.rawValue) token has \(token.count) values, expected \(d)") }
            keysIn += zip(token, modalityEmbedding.scalars[(m.index * d)..<((m.index + 1) * d)]).map(+)
        }
        let q = query.apply(poolQuery, rows: 1)
        let k = key.apply(keysIn, rows: n), v = value.apply(keysIn, rows: n)
        let scale = 1 / Float(headWidth).squareRoot()
        var attended = [Float](repeating: 0, count: d)
        var logits = [Float](repeating: 0, count: n)
        for h in 0..<heads {
            let lo = h * headWidth
            for j in 0..<n {
                var dot: Float = 0
                for e in lo..<(lo + headWidth) { dot += q[e] * k[j * d + e] }
                logits[j] = dot * scale
            }
            logits.withUnsafeMutableBufferPointer { VectorOps.softmaxRows($0.baseAddress!, rows: 1, width: n) }
            for j in 0..<n {
                for e in lo..<(lo + headWidth) { attended[e] += logits[j] * v[j * d + e] }
            }
        }
        return norm.unitEmbedding(output.apply(attended, rows: 1))
    }
}
