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
            // Read as tensors, not layers: only the fused layer is packed for the few-row kernel.
            let parts = ["query", "key", "value"].map { "\(p).attention.self.\($0)" }
            let weights = try parts.map { try t($0 + ".weight", [h, h]) }, biases = try parts.map { try t($0 + ".bias", [h]) }
            let fused = LinearLayer(weight: Tensor(shape: [3 * h, h], scalars: weights.flatMap(\.scalars)),
                                    bias: Tensor(shape: [3 * h], scalars: biases.flatMap(\.scalars)))
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

    private init(config: BertConfig, embeddings: Embeddings, layers: [EncoderLayer], pooler: LinearLayer?) {
        (self.config, self.embeddings, self.layers, self.pooler) = (config, embeddings, layers, pooler)
    }

    /// This model with only its first `count` encoder layers (0: the embedding output), so that
    /// `hiddenStates` returns layer `count`'s hidden states, as bert-score drops unused layers.
    /// The weights are shared, not copied.
    public func truncated(toLayers count: Int) -> BertModel {
        precondition((0...layers.count).contains(count), "layer \(count) outside 0...\(layers.count)")
        var shorter = config
        shorter.layerCount = count
        return BertModel(config: shorter, embeddings: embeddings, layers: Array(layers.prefix(count)), pooler: pooler)
    }

    /// Last-layer hidden states for a batch of encoded inputs.
    public func hiddenStates(_ inputs: [TokenizedInput]) throws -> PackedSequences {
        var offsets = [0]
        for input in inputs {
            // Validate before any row is read: an out-of-range id would index past the tables.
            guard input.count <= config.maxPositions else {
                throw TextModelError.unsupported(path: "input", reason: "sequence of \(input.count) tokens exceeds max_position_embeddings \(config.maxPositions)")
            }
            guard input.typeIDs.count == input.ids.count else {
                throw TextModelError.unsupported(path: "input", reason: "\(input.ids.count) token ids but \(input.typeIDs.count) token types")
            }
            if let bad = input.ids.first(where: { $0 < 0 || Int($0) >= config.vocabularySize }) {
                throw TextModelError.unsupported(path: "input", reason: "token id \(bad) outside the vocabulary of \(config.vocabularySize)")
            }
            if let bad = input.typeIDs.first(where: { $0 < 0 || Int($0) >= config.typeVocabularySize }) {
                throw TextModelError.unsupported(path: "input", reason: "token type \(bad) outside type_vocab_size \(config.typeVocabularySize)")
            }
            offsets.append(offsets.last! + input.count)
        }
        return encode(embed(inputs, tokens: offsets.last!), offsets: offsets)
    }

    /// Layers `range` applied to hidden states that entered layer `range.lowerBound` (e.g. two
    /// segments' states stacked into one sequence by a late-interaction cross-encoder).
    public func continuing(_ packed: PackedSequences, layers range: Range<Int>) -> PackedSequences {
        precondition(range.lowerBound >= 0 && range.upperBound <= layers.count, "layers \(range) outside 0..<\(layers.count)")
        var shorter = config
        shorter.layerCount = range.count
        let slice = BertModel(config: shorter, embeddings: embeddings, layers: Array(layers[range]), pooler: pooler)
        return slice.encode(packed.states, offsets: packed.offsets)
    }

    /// Every encoder layer over the packed rows `x` (the embedding output or an earlier layer's).
    private func encode(_ x: [Float], offsets: [Int]) -> PackedSequences {
        var x = x
        let tokens = offsets.last!, h = config.hiddenSize
        guard tokens > 0, !layers.isEmpty else { return PackedSequences(states: x, offsets: offsets, width: h) }
        var scratch = LayerScratch(tokens: tokens, hidden: h, inner: config.intermediateSize)
        let threads = Parallel.threadCount
        if threads > 1, tokens < threads * Self.columnSplitBelowRowsPerWorker {
            let workers = min(threads, config.headCount)
            BLAS.withSingleThreadedCalls { forwardSplittingColumns(&x, offsets: offsets, workers: workers, scratch: &scratch) }
            return PackedSequences(states: x, offsets: offsets, width: h)
        }
        // Each worker owns a contiguous block of token rows for every row-wise step (the dense
        // layers, GELU, residuals, LayerNorm): one single-threaded GEMM per worker and layer, no
        // synchronisation inside a block. Attention, the only step that mixes rows, is spread
        // over (sequence, head) pairs. Two barriers per layer in all.
        let workers = max(1, min(threads, tokens / Self.minimumRowsPerWorker))
        let blocks = (0..<workers).map { w in (tokens * w / workers)..<(tokens * (w + 1) / workers) }
        BLAS.withSingleThreadedCalls {
            x.withUnsafeMutableBufferPointer { xp in
            scratch.qkv.withUnsafeMutableBufferPointer { qkv in
            scratch.context.withUnsafeMutableBufferPointer { ctx in
            scratch.projected.withUnsafeMutableBufferPointer { proj in
            scratch.inner.withUnsafeMutableBufferPointer { inner in
                let buffers = Buffers(x: SharedBuffer(xp.baseAddress!), qkv: SharedBuffer(qkv.baseAddress!),
                                      context: SharedBuffer(ctx.baseAddress!), projected: SharedBuffer(proj.baseAddress!),
                                      inner: SharedBuffer(inner.baseAddress!))
                let layers = self.layers
                Parallel.forEachWorker(workers) { w in
                    projectQKV(layers[0], rows: blocks[w], buffers)
                }
                for (i, layer) in layers.enumerated() {
                    attention(buffers, offsets: offsets, workers: workers)
                    Parallel.forEachWorker(workers) { w in
                        finishLayer(layer, rows: blocks[w], buffers)
                        if i + 1 < layers.count { projectQKV(layers[i + 1], rows: blocks[w], buffers) }
                    }
                }
            }}}}}
        }
        return PackedSequences(states: x, offsets: offsets, width: h)
    }

    /// Fewest token rows worth a worker thread of their own.
    static let minimumRowsPerWorker = 8
    /// Below this many token rows per worker, workers split each layer's output columns (and
    /// attention heads) instead of the rows: a GEMM over a few rows is dominated by packing the
    /// weights, and splitting columns halves that per worker while keeping every row.
    static let columnSplitBelowRowsPerWorker = 64

    /// The forward pass for short batches (e.g. one sentence): worker w computes its share of
    /// every dense layer's output columns over all rows, and the attention heads whose query,
    /// key and value columns it computed. Row-wise steps (residual + LayerNorm) are cheap at this
    /// size, so each worker repeats them into its own copy rather than waiting for another.
    /// Four barriers per layer.
    private func forwardSplittingColumns(_ x: inout [Float], offsets: [Int], workers: Int, scratch: inout LayerScratch) {
        let tokens = offsets.last!, h = config.hiddenSize, width = config.intermediateSize
        let heads = config.headCount, d = config.headSize, eps = config.layerNormEpsilon
        let sequences = offsets.count - 1
        let longest = (0..<sequences).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        @Sendable func share(_ n: Int, _ w: Int) -> Range<Int> { (n * w / workers)..<(n * (w + 1) / workers) }
        // Per-worker copies of the layer input (after the first layer) and of the normalised
        // attention block output.
        var privateX = [Float](unsafeUninitializedCapacity: workers * tokens * h) { _, n in n = workers * tokens * h }
        var privateProj = [Float](unsafeUninitializedCapacity: workers * tokens * h) { _, n in n = workers * tokens * h }
        let scoreSize = max(1, longest * longest)
        var scoreBuffers = [Float](unsafeUninitializedCapacity: workers * scoreSize) { _, n in n = workers * scoreSize }
        x.withUnsafeMutableBufferPointer { xp in
        scratch.qkv.withUnsafeMutableBufferPointer { qkv in
        scratch.context.withUnsafeMutableBufferPointer { ctx in
        scratch.projected.withUnsafeMutableBufferPointer { proj in
        scratch.inner.withUnsafeMutableBufferPointer { inner in
        privateX.withUnsafeMutableBufferPointer { px in
        privateProj.withUnsafeMutableBufferPointer { pp in
        scoreBuffers.withUnsafeMutableBufferPointer { sb in
            let b = Buffers(x: SharedBuffer(xp.baseAddress!), qkv: SharedBuffer(qkv.baseAddress!),
                            context: SharedBuffer(ctx.baseAddress!), projected: SharedBuffer(proj.baseAddress!),
                            inner: SharedBuffer(inner.baseAddress!))
            let (ownX, ownProj, ownScores) = (SharedBuffer(px.baseAddress!), SharedBuffer(pp.baseAddress!), SharedBuffer(sb.baseAddress!))
            let layers = self.layers
            for (i, layer) in layers.enumerated() {
                // 1. This layer's input (the previous layer's output, finished here), then Q, K, V
                //    for this worker's heads and attention over them.
                Parallel.forEachWorker(workers) { w in
                    let input: UnsafeMutablePointer<Float>
                    if i == 0 {
                        input = b.x.base
                    } else {
                        input = ownX.base + w * tokens * h
                        finishOutput(layers[i - 1], ffn: b.x.base, residual: ownProj.base + w * tokens * h, into: input, rows: tokens)
                    }
                    let myHeads = share(heads, w)
                    let columns = (myHeads.lowerBound * d)..<(myHeads.upperBound * d)
                    for part in 0..<3 {
                        layer.qkv.apply(rows: tokens, input: input, output: b.qkv.base, outputStride: 3 * h,
                                        columns: (part * h + columns.lowerBound)..<(part * h + columns.upperBound), addingBias: true)
                    }
                    for s in 0..<sequences {
                        for head in myHeads { attend(b, offsets: offsets, sequence: s, head: head, scores: ownScores.base + w * scoreSize) }
                    }
                }
                // 2. Attention output projection, this worker's columns.
                Parallel.forEachWorker(workers) { w in
                    layer.attentionOutput.apply(rows: tokens, input: b.context.base, output: b.projected.base, outputStride: h,
                                                columns: share(h, w), addingBias: false)
                }
                // 3. Bias + residual + LayerNorm (every row, into this worker's copy), then the
                //    first feed-forward layer and GELU, this worker's columns.
                Parallel.forEachWorker(workers) { w in
                    let mine = ownProj.base + w * tokens * h
                    let residual = i == 0 ? b.x.base : ownX.base + w * tokens * h
                    mine.update(from: b.projected.base, count: tokens * h)
                    layer.attentionOutput.bias!.scalars.withUnsafeBufferPointer { bias in
                        VectorOps.addBiasResidual(mine, bias: bias.baseAddress!, residual: residual, rows: tokens, width: h)
                    }
                    layer.attentionNormGamma.scalars.withUnsafeBufferPointer { g in
                        layer.attentionNormBeta.scalars.withUnsafeBufferPointer { be in
                            VectorOps.layerNorm(mine, rows: tokens, width: h, gamma: g.baseAddress!, beta: be.baseAddress!, epsilon: eps)
                        }
                    }
                    let columns = share(width, w)
                    layer.intermediate.apply(rows: tokens, input: mine, output: b.inner.base, outputStride: width,
                                             columns: columns, addingBias: false)
                    layer.intermediate.bias!.scalars.withUnsafeBufferPointer { bias in
                        for r in 0..<tokens {
                            VectorOps.addBiasGelu(b.inner.base + r * width + columns.lowerBound, bias: bias.baseAddress! + columns.lowerBound,
                                                  rows: 1, width: columns.count)
                        }
                    }
                }
                // 4. Second feed-forward layer, this worker's columns, into x (its bias, the
                //    residual and the LayerNorm are applied at the start of the next step).
                Parallel.forEachWorker(workers) { w in
                    layer.output.apply(rows: tokens, input: b.inner.base, output: b.x.base, outputStride: h,
                                       columns: share(h, w), addingBias: false)
                }
            }
            finishOutput(layers[layers.count - 1], ffn: b.x.base, residual: ownProj.base, into: b.x.base, rows: tokens)
        }}}}}}}}
    }

    /// A layer's output from its raw second feed-forward product: LayerNorm(ffn + bias + residual).
    /// `into` may be `ffn` itself.
    private func finishOutput(_ layer: EncoderLayer, ffn: UnsafeMutablePointer<Float>, residual: UnsafeMutablePointer<Float>,
                              into out: UnsafeMutablePointer<Float>, rows: Int) {
        let h = config.hiddenSize
        if out != ffn { out.update(from: ffn, count: rows * h) }
        layer.output.bias!.scalars.withUnsafeBufferPointer { bias in
            VectorOps.addBiasResidual(out, bias: bias.baseAddress!, residual: residual, rows: rows, width: h)
        }
        layer.outputNormGamma.scalars.withUnsafeBufferPointer { g in
            layer.outputNormBeta.scalars.withUnsafeBufferPointer { be in
                VectorOps.layerNorm(out, rows: rows, width: h, gamma: g.baseAddress!, beta: be.baseAddress!, epsilon: config.layerNormEpsilon)
            }
        }
    }

    private func embed(_ inputs: [TokenizedInput], tokens: Int) -> [Float] {
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
        return x
    }

    struct LayerScratch {
        var qkv: [Float], context: [Float], projected: [Float], inner: [Float]
        /// Every element is written before it is read, so the buffers start uninitialised.
        init(tokens: Int, hidden: Int, inner: Int) {
            func buffer(_ count: Int) -> [Float] {
                [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
            }
            qkv = buffer(tokens * 3 * hidden)
            context = buffer(tokens * hidden)
            projected = buffer(tokens * hidden)
            self.inner = buffer(tokens * inner)
        }
    }

    /// The activation buffers of one forward pass, shared by the workers (each writes only its
    /// own rows, or its own (sequence, head) columns of `context`).
    struct Buffers: Sendable {
        let x: SharedBuffer, qkv: SharedBuffer, context: SharedBuffer, projected: SharedBuffer, inner: SharedBuffer
    }

    /// Query, key and value projections of `rows`.
    private func projectQKV(_ layer: EncoderLayer, rows: Range<Int>, _ b: Buffers) {
        let h = config.hiddenSize
        layer.qkv.apply(rows: rows.count, input: b.x.base + rows.lowerBound * h, output: b.qkv.base + rows.lowerBound * 3 * h)
    }

    /// Everything after attention for `rows`: attention output dense + residual + LayerNorm, then
    /// the feed-forward block (dense, GELU, dense) + residual + LayerNorm, written back to x.
    func finishLayer(_ layer: EncoderLayer, rows: Range<Int>, _ b: Buffers) {
        let h = config.hiddenSize, width = config.intermediateSize, n = rows.count, eps = config.layerNormEpsilon
        let x = b.x.base + rows.lowerBound * h
        let proj = b.projected.base + rows.lowerBound * h
        let inner = b.inner.base + rows.lowerBound * width
        layer.attentionOutput.applyWithoutBias(rows: n, input: b.context.base + rows.lowerBound * h, output: proj)
        layer.attentionOutput.bias!.scalars.withUnsafeBufferPointer { bias in
            VectorOps.addBiasResidual(proj, bias: bias.baseAddress!, residual: x, rows: n, width: h)
        }
        layer.attentionNormGamma.scalars.withUnsafeBufferPointer { g in
            layer.attentionNormBeta.scalars.withUnsafeBufferPointer { be in
                VectorOps.layerNorm(proj, rows: n, width: h, gamma: g.baseAddress!, beta: be.baseAddress!, epsilon: eps)
            }
        }
        layer.intermediate.applyWithoutBias(rows: n, input: proj, output: inner)
        layer.intermediate.bias!.scalars.withUnsafeBufferPointer { bias in
            VectorOps.addBiasGelu(inner, bias: bias.baseAddress!, rows: n, width: width)
        }
        layer.output.applyWithoutBias(rows: n, input: inner, output: x)
        layer.output.bias!.scalars.withUnsafeBufferPointer { bias in
            VectorOps.addBiasResidual(x, bias: bias.baseAddress!, residual: proj, rows: n, width: h)
        }
        layer.outputNormGamma.scalars.withUnsafeBufferPointer { g in
            layer.outputNormBeta.scalars.withUnsafeBufferPointer { be in
                VectorOps.layerNorm(x, rows: n, width: h, gamma: g.baseAddress!, beta: be.baseAddress!, epsilon: eps)
            }
        }
    }

    /// Scaled dot-product attention for every (sequence, head). Worker w takes pairs w,
    /// w + workers, …: sequences come sorted by length, so interleaving balances the work.
    private func attention(_ b: Buffers, offsets: [Int], workers: Int) {
        let heads = config.headCount
        let sequences = offsets.count - 1
        let longest = (0..<sequences).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let items = sequences * heads
        Parallel.forEachWorker(min(workers, items)) { worker in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: max(1, longest * longest))
            defer { scores.deallocate() }
            for item in Swift.stride(from: worker, to: items, by: workers) {
                attend(b, offsets: offsets, sequence: item / heads, head: item % heads, scores: scores)
            }
        }
    }

    /// softmax(q·kᵀ/√d)·v for one (sequence, head), into that head's columns of `context`.
    /// `scores` holds at least length² floats.
    @inline(__always)
    private func attend(_ b: Buffers, offsets: [Int], sequence s: Int, head: Int, scores: UnsafeMutablePointer<Float>) {
        let h = config.hiddenSize, d = config.headSize, stride = 3 * h
        let scale = 1 / Float(d).squareRoot()
        let start = offsets[s], length = offsets[s + 1] - start
        let q = b.qkv.base + start * stride + head * d
        let k = q + h, v = q + 2 * h
        BLAS.gemm(m: length, n: length, k: d, a: q, lda: stride, b: k, ldb: stride, transposeB: true,
                  c: scores, ldc: length, alpha: scale)
        VectorOps.softmaxRows(scores, rows: length, width: length)
        BLAS.gemm(m: length, n: d, k: length, a: scores, lda: length, b: v, ldb: stride, transposeB: false,
                  c: b.context.base + start * h + head * d, ldc: h)
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
