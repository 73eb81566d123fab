import Foundation
import Numerics

/// One text's contextual token vectors, each scaled to unit length, row-major [count, width],
/// with the piece ids they came from (the matching and the idf weights need both).
public struct TokenMatrix: Sendable {
    public let ids: [Int32]
    public let width: Int
    public var vectors: [Float]

    public var count: Int { ids.count }

    /// Rows of `states` for one sequence, L2-normalised as bert-score does (x / ‖x‖).
    public init(ids: [Int32], states: ArraySlice<Float>, width: Int) {
        precondition(states.count == ids.count * width, "\(states.count) values for \(ids.count) tokens of width \(width)")
        self.ids = ids
        self.width = width
        var v = Array(states)
        for row in 0..<ids.count {
            var sum: Float = 0
            for i in (row * width)..<((row + 1) * width) { sum += v[i] * v[i] }
            let norm = sum.squareRoot()
            for i in (row * width)..<((row + 1) * width) { v[i] /= norm }
        }
        vectors = v
    }
}
