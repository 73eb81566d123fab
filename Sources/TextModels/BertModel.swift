import Foundation
import Numerics

/// The BERT encoder forward pass on cblas.
///
/// A batch is packed without padding: the token rows of all sequences are stacked into one
/// `[tokens, hidden]` matrix, so every dense layer is a single GEMM over real tokens only, and
/// attention runs per (sequence, head) on that sequence's own rows. This is exactly what a
/// padded batch with an additive −∞ attention mask computes, without the wasted work.
public struct BertModel: Sendable {
    public let config: BertConfig
    let embeddings: Embeddings
    let layers: [EncoderLayer]
    /// Present when the checkpoint has one (`pooler.dense`), used by sequence classifiers.
    public let pooler: LinearLayer?

    struct Embeddings: Sendable {
        let word: Tensor, position: Tensor, tokenType: Tensor, normGamma: Tensor, normBeta: Tensor
    }

    struct EncoderLayer: Sendable {
        /// Query, key and value projections fused into one [3·hidden, hidden] matrix.
        let qkv: LinearLayer
        let attentionOutput: LinearLayer
        let attentionNormGamma: Tensor, attentionNormBeta: Tensor
        let intermediate: LinearLayer
        let output: LinearLayer
        let outputNormGamma: Tensor, outputNormBeta: Tensor
    }

    public init(config: BertConfig, weights: WeightStore) throws {
        self.config = config
        let h = config.hiddenSize, inner = config.intermediateSize
        func t(_ name: String, _ shape: [Int]) throws -> Tensor { try weights.tensor(name, shape: shape) }
        func linear(_ prefix: String, out: Int, in: Int) throws -> LinearLayer {
            LinearLayer(weight: try t(prefix + ".weight", [out, `in`]), bias: try t(prefix + ".bias", [out]))
        }
        embeddings = Embeddings(
            word: try t("embeddings.word_embeddings.weight", [config.vocabularySize, h]),
            position: try t("embeddings.position_embeddings.weight", [config.maxPositions, h]),
            tokenType: try t("embeddings.token_type_embeddings.weight", [config.typeVocabularySize, h]),
            normGamma: try t("embeddings.LayerNorm.weight", [h]),
            normBeta: try t("embeddings.LayerNorm.bias", [h]))
        layers = try (0..<config.layerCount).map { i in
            let p = "encoder.layer.\(i)"
            let q = try linear("\(p).attention.self.query", out: h, in: h)
            let k = try linear("\(p).attention.self.key", out: h, in: h)
            let v = try linear("\(p).attention.self.value", out: h, in: h)
            let fused = LinearLayer(
                weight: Tensor(shape: [3 * h, h], scalars: q.weight.scalars + k.weight.scalars + v.weight.scalars),
                bias: Tensor(shape: [3 * h], scalars: q.bias!.scalars + k.bias!.scalars + v.bias!.scalars))
            return EncoderLayer(
                qkv: fused,
                attentionOutput: try linear("\(p).attention.output.dense", out: h, in: h),
                attentionNormGamma: try t("\(p).attention.output.LayerNorm.weight", [h]),
                attentionNormBeta: try t("\(p).attention.output.LayerNorm.bias", [h]),
                intermediate: try linear("\(p).intermediate.dense", out: inner, in: h),
                output: try linear("\(p).output.dense", out: h, in: inner),
                outputNormGamma: try t("\(p).output.LayerNorm.weight", [h]),
                outputNormBeta: try t("\(p).output.LayerNorm.bias", [h]))
        }
        pooler = weights.contains("pooler.dense.weight") ? try linear("pooler.dense", out: h, in: h) : nil
    }

    /// Last-layer hidden states for a batch of encoded inputs.
    public func hiddenStates(_ inputs: [TokenizedInput]) throws -> PackedSequences {
        var offsets = [0]
        for input in inputs {
            guard input.count <= config.maxPositions else {
                throw TextModelError.unsupported(path: "input", reason: "sequence of \(input.count) tokens exceeds max_position_embeddings \(config.maxPositions)")
            }
            offsets.append(offsets.last! + input.count)
        }
        let tokens = offsets.last!, h = config.hiddenSize
        var x = try embed(inputs, tokens: tokens)
        var scratch = LayerScratch(tokens: tokens, hidden: h, inner: config.intermediateSize)
        for layer in layers {
            apply(layer, to: &x, offsets: offsets, scratch: &scratch)
        }
        return PackedSequences(states: x, offsets: offsets, width: h)
    }

    private func embed(_ inputs: [TokenizedInput], tokens: Int) throws -> [Float] {
        let h = config.hiddenSize
        var x = [Float](repeating: 0, count: tokens * h)
        x.withUnsafeMutableBufferPointer { out in
            embeddings.word.scalars.withUnsafeBufferPointer { word in
            embeddings.position.scalars.withUnsafeBufferPointer { position in
            embeddings.tokenType.scalars.withUnsafeBufferPointer { type in
                var row = 0
                for input in inputs {
                    for (p, (id, typeID)) in zip(input.ids, input.typeIDs).enumerated() {
                        let dst = out.baseAddress! + row * h
                        let w = word.baseAddress! + Int(id) * h
                        let pos = position.baseAddress! + p * h
                        let ty = type.baseAddress! + Int(typeID) * h
                        for i in 0..<h { dst[i] = w[i] + pos[i] + ty[i] }
                        row += 1
                    }
                }
            }}}
            layerNorm(out.baseAddress!, rows: tokens, gamma: embeddings.normGamma, beta: embeddings.normBeta)
        }
        for input in inputs {
            if let bad = input.ids.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
                throw TextModelError.unsupported(path: "input", reason: "token id \(bad) outside the vocabulary of \(config.vocabularySize)")
            }
            if let bad = input.typeIDs.first(where: { $0 < 0 || Int($0) >= config.typeVocabularySize }) {
                throw TextModelError.unsupported(path: "input", reason: "token type \(bad) outside type_vocab_size \(config.typeVocabularySize)")
            }
        }
        return x
    }

    struct LayerScratch {
        var qkv: [Float], context: [Float], projected: [Float], inner: [Float]
        init(tokens: Int, hidden: Int, inner: Int) {
            qkv = [Float](repeating: 0, count: tokens * 3 * hidden)
            context = [Float](repeating: 0, count: tokens * hidden)
            projected = [Float](repeating: 0, count: tokens * hidden)
            self.inner = [Float](repeating: 0, count: tokens * inner)
        }
    }

    private func apply(_ layer: EncoderLayer, to x: inout [Float], offsets: [Int], scratch: inout LayerScratch) {
        let tokens = offsets.last!, h = config.hiddenSize
        x.withUnsafeMutableBufferPointer { xp in
        scratch.qkv.withUnsafeMutableBufferPointer { qkv in
        scratch.context.withUnsafeMutableBufferPointer { ctx in
        scratch.projected.withUnsafeMutableBufferPointer { proj in
        scratch.inner.withUnsafeMutableBufferPointer { inner in
            let x = xp.baseAddress!
            layer.qkv.apply(rows: tokens, input: x, output: qkv.baseAddress!)
            attention(qkv: qkv.baseAddress!, context: ctx.baseAddress!, offsets: offsets)
            // Attention block: dense, residual, LayerNorm.
            layer.attentionOutput.apply(rows: tokens, input: ctx.baseAddress!, output: proj.baseAddress!)
            VectorOps.add(proj.baseAddress!, x, count: tokens * h)
            layerNorm(proj.baseAddress!, rows: tokens, gamma: layer.attentionNormGamma, beta: layer.attentionNormBeta)
            // Feed-forward block: dense, GELU, dense, residual, LayerNorm; the result lands in x.
            layer.intermediate.apply(rows: tokens, input: proj.baseAddress!, output: inner.baseAddress!)
            let width = config.intermediateSize
            let innerBuffer = SharedBuffer(inner.baseAddress!)
            Parallel.forEachChunk(count: tokens, minimumChunk: 16) { r in
                VectorOps.geluErf(innerBuffer.base + r.lowerBound * width, count: r.count * width)
            }
            layer.output.apply(rows: tokens, input: inner.baseAddress!, output: x)
            VectorOps.add(x, proj.baseAddress!, count: tokens * h)
            layerNorm(x, rows: tokens, gamma: layer.outputNormGamma, beta: layer.outputNormBeta)
        }}}}}
    }

    /// Scaled dot-product attention for every (sequence, head), in parallel across cores.
    private func attention(qkv: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>, offsets: [Int]) {
        let h = config.hiddenSize, d = config.headSize, heads = config.headCount
        let stride = 3 * h
        let scale = 1 / Float(d).squareRoot()
        let sequences = offsets.count - 1
        let longest = (0..<sequences).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let items = sequences * heads
        let (qkvBuffer, contextBuffer) = (SharedBuffer(qkv), SharedBuffer(context))
        Parallel.forEachChunk(count: items) { range in
            let (qkv, context) = (qkvBuffer.base, contextBuffer.base)
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest * longest))
            defer { scores.deallocate() }
            for item in range {
                let s = item / heads, head = item % heads
                let start = offsets[s], length = offsets[s + 1] - start
                let q = qkv + start * stride + head * d
                let k = q + h, v = q + 2 * h
                BLAS.gemm(m: length, n: length, k: d, a: q, lda: stride, b: k, ldb: stride, transposeB: true,
                          c: scores, ldc: length, alpha: scale)
                VectorOps.softmaxRows(scores, rows: length, width: length)
                BLAS.gemm(m: length, n: d, k: length, a: scores, lda: length, b: v, ldb: stride, transposeB: false,
                          c: context + start * h + head * d, ldc: h)
            }
        }
    }

    private func layerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, gamma: Tensor, beta: Tensor) {
        let h = config.hiddenSize, eps = config.layerNormEpsilon
        let buffer = SharedBuffer(x)
        gamma.scalars.withUnsafeBufferPointer { g in
            beta.scalars.withUnsafeBufferPointer { b in
                let (gp, bp) = (SharedBuffer(g.baseAddress!), SharedBuffer(b.baseAddress!))
                Parallel.forEachChunk(count: rows, minimumChunk: 64) { r in
                    VectorOps.layerNorm(buffer.base + r.lowerBound * h, rows: r.count, width: h,
                                        gamma: gp.base, beta: bp.base, epsilon: eps)
                }
            }
        }
    }
}
