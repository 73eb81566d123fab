import Numerics

extension BertModel {
    /// The last encoder layer's output at the first row ([CLS]) of each sequence, `sequences.count × hidden`.
    /// A sequence is its blocks' rows stacked (a late-interaction pair: the query's states, then a
    /// passage's), holding the states that enter the last layer; the blocks are read where they are.
    ///
    /// A classifier reads only [CLS], so only its row of the last layer is needed, and for one query row
    /// the keys and values need not be formed: q·(W_k x + b_k) = (W_kᵀ q)·x + q·b_k, whose last term is the
    /// same for every key and cancels in the softmax, and Σ p (W_v x + b_v) = W_v (Σ p x) + b_v because the
    /// weights sum to one. Each head's query is mapped back to the input space ("probe") and attention mixes
    /// input rows: h multiply-adds per row and head instead of 2h² per row for the keys and values.
    public func lastLayerFirstRows(_ sequences: [[SegmentStates]]) -> [Float] {
        let n = sequences.count, h = config.hiddenSize, heads = config.headCount, d = config.headSize
        guard n > 0 else { return [] }
        for blocks in sequences {
            precondition(!blocks.isEmpty && blocks.allSatisfy { $0.width == h }, "every sequence needs rows of width \(h)")
        }
        let layer = layers[layers.count - 1]
        func buffer(_ count: Int) -> [Float] { [Float](repeating: 0, count: count) }
        var first = buffer(n * h), query = buffer(n * h), probes = buffer(n * heads * h), mixed = buffer(n * heads * h)
        var context = buffer(n * h), projected = buffer(n * h), inner = buffer(n * config.intermediateSize)
        first.withUnsafeMutableBufferPointer { x in
            for (i, blocks) in sequences.enumerated() {
                blocks[0].values.withUnsafeBufferPointer { (x.baseAddress! + i * h).update(from: $0.baseAddress!, count: h) }
            }
        }
        let longest = sequences.map { $0.reduce(0) { $0 + $1.rows } }.max()!
        layer.qkv.weight.scalars.withUnsafeBufferPointer { w in
        layer.qkv.bias!.scalars.withUnsafeBufferPointer { bias in
        first.withUnsafeMutableBufferPointer { x in
        query.withUnsafeMutableBufferPointer { q in
        probes.withUnsafeMutableBufferPointer { pr in
        mixed.withUnsafeMutableBufferPointer { mx in
        context.withUnsafeMutableBufferPointer { ctx in
            let (w, bias) = (w.baseAddress!, bias.baseAddress!)
            // Queries of the first rows, scaled by 1/√d, then one probe per (sequence, head).
            layer.qkv.apply(rows: n, input: x.baseAddress!, output: q.baseAddress!, outputStride: h, columns: 0..<h, addingBias: true)
            let scale = 1 / Float(d).squareRoot()
            for i in 0..<(n * h) { q[i] *= scale }
            for head in 0..<heads {
                BLAS.gemm(m: n, n: h, k: d, a: q.baseAddress! + head * d, lda: h, b: w + (h + head * d) * h, ldb: h, transposeB: false,
                          c: pr.baseAddress! + head * h, ldc: heads * h)
            }
            // Per sequence: scores [heads × rows] over every block, softmax per head, then the weighted sum of rows.
            let (probe, mix) = (SharedBuffer(pr.baseAddress!), SharedBuffer(mx.baseAddress!))
            let workers = max(1, min(Parallel.threadCount, n))
            BLAS.withSingleThreadedCalls {
                Parallel.forEachWorker(workers) { worker in
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: heads * longest)
                    defer { scores.deallocate() }
                    for s in Swift.stride(from: worker, to: n, by: workers) {
                        let blocks = sequences[s]
                        let total = blocks.reduce(0) { $0 + $1.rows }
                        let p = probe.base + s * heads * h
                        var offset = 0
                        for block in blocks {
                            block.values.withUnsafeBufferPointer { rows in
                                BLAS.gemm(m: heads, n: block.rows, k: h, a: p, lda: h, b: rows.baseAddress!, ldb: h, transposeB: true,
                                          c: scores + offset, ldc: total)
                            }
                            offset += block.rows
                        }
                        VectorOps.softmaxRows(scores, rows: heads, width: total)
                        offset = 0
                        for (b, block) in blocks.enumerated() {
                            block.values.withUnsafeBufferPointer { rows in
                                BLAS.gemm(m: heads, n: h, k: block.rows, a: scores + offset, lda: total, b: rows.baseAddress!, ldb: h,
                                          transposeB: false, c: mix.base + s * heads * h, ldc: h, beta: b == 0 ? 0 : 1)
                            }
                            offset += block.rows
                        }
                    }
                }
            }
            // Each head's values from its mixed rows: W_v,head (Σ p x) + b_v,head.
            for head in 0..<heads {
                BLAS.gemm(m: n, n: d, k: h, a: mx.baseAddress! + head * h, lda: heads * h, b: w + (2 * h + head * d) * h, ldb: h,
                          transposeB: true, c: ctx.baseAddress! + head * d, ldc: h)
            }
            for i in 0..<n {
                for j in 0..<h { ctx[i * h + j] += bias[2 * h + j] }
            }
        }}}}}}}
        first.withUnsafeMutableBufferPointer { x in
        context.withUnsafeMutableBufferPointer { ctx in
        projected.withUnsafeMutableBufferPointer { proj in
        inner.withUnsafeMutableBufferPointer { inn in
            let buffers = Buffers(x: SharedBuffer(x.baseAddress!), qkv: SharedBuffer(ctx.baseAddress!), context: SharedBuffer(ctx.baseAddress!),
                                  projected: SharedBuffer(proj.baseAddress!), inner: SharedBuffer(inn.baseAddress!))
            finishLayer(layer, rows: 0..<n, buffers)
        }}}}
        return first
    }
}
