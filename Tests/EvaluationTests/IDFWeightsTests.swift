import Evaluation
import Foundation
import Testing

@Suite struct IDFWeightsTests {
    @Test func idfCountsEachReferenceOnceAndSmooths() {
        // Three references: 101/102 in all, 7 in two (once twice), 9 in one.
        let w = IDFWeights(references: [[101, 7, 7, 102], [101, 7, 9, 102], [101, 102]])
        #expect(w.documentCount == 3)
        #expect(w.weight(101) == 0 && w.weight(102) == 0)
        #expect(abs(w.weight(7) - log(4.0 / 3.0)) < 1e-12)
        #expect(abs(w.weight(9) - log(4.0 / 2.0)) < 1e-12)
        #expect(abs(w.weight(12345) - log(4.0)) < 1e-12)
    }

    @Test func uniformWeightsZeroTheSpecialTokens() {
        let w = IDFWeights(uniformExcept: [101, 102])
        #expect(w.weight(101) == 0 && w.weight(102) == 0 && w.weight(7) == 1)
    }
}
