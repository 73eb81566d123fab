/// Hidden states of one text segment's tokens, `rows × width` row-major, as they enter some encoder
/// layer: what a late-interaction `CrossEncoder` computes once per passage and caches.
public struct SegmentStates: Sendable, Equatable {
    public let rows: Int
    public let width: Int
    public let values: [Float]

    public init(rows: Int, width: Int, values: [Float]) {
        precondition(rows > 0 && values.count == rows * width, "\(values.count) values are not \(rows) rows of \(width)")
        (self.rows, self.width, self.values) = (rows, width, values)
    }

    /// Each sequence of a packed batch.
    public static func split(_ packed: PackedSequences) -> [SegmentStates] {
        (0..<packed.sequenceCount).map { s in
            let rows = packed.rows(of: s)
            return SegmentStates(rows: rows.count, width: packed.width,
                                 values: Array(packed.states[(rows.lowerBound * packed.width)..<(rows.upperBound * packed.width)]))
        }
    }

    /// Segments stacked row by row into one packed sequence each.
    public static func pack(_ sequences: [[SegmentStates]], width: Int) -> PackedSequences {
        var offsets = [0]
        var states: [Float] = []
        states.reserveCapacity(sequences.reduce(0) { $0 + $1.reduce(0) { $0 + $1.values.count } })
        for blocks in sequences {
            for block in blocks { states += block.values }
            offsets.append(offsets.last! + blocks.reduce(0) { $0 + $1.rows })
        }
        return PackedSequences(states: states, offsets: offsets, width: width)
    }
}
