/// Per-token vectors of several sequences stacked row by row; `offsets[i]..<offsets[i+1]`
/// are the rows of sequence i.
public struct PackedSequences: Sendable {
    public var states: [Float]
    public let offsets: [Int]
    public let width: Int

    public var sequenceCount: Int { offsets.count - 1 }

    public func rows(of sequence: Int) -> Range<Int> { offsets[sequence]..<offsets[sequence + 1] }

    /// The vector of one token.
    public func vector(sequence: Int, token: Int) -> ArraySlice<Float> {
        let row = offsets[sequence] + token
        return states[(row * width)..<((row + 1) * width)]
    }

    /// Mean over a sequence's token rows (sentence-transformers' mean pooling; every token of
    /// a packed sequence is real, so the attention mask is all ones).
    public func meanPooled(sequence: Int) -> [Float] {
        var sum = [Float](repeating: 0, count: width)
        let range = rows(of: sequence)
        states.withUnsafeBufferPointer { s in
            for row in range {
                let base = s.baseAddress! + row * width
                for i in 0..<width { sum[i] += base[i] }
            }
        }
        let n = Float(max(range.count, 1))
        return sum.map { $0 / n }
    }
}
