import Evaluation
import Foundation
import Testing

@Suite struct GreedyMatcherTests {
    /// Token rows of unit vectors in the plane at the given angles (degrees).
    static func tokens(_ degrees: [Double]) -> TokenMatrix {
        let values = degrees.flatMap { d in [Float(cos(d * .pi / 180)), Float(sin(d * .pi / 180))] }
        return TokenMatrix(ids: degrees.indices.map { Int32($0) }, states: values[...], width: 2)
    }

    static func score(_ c: [Double], _ r: [Double], candidateWeights: [Double]? = nil, padded: (Bool, Bool) = (false, false)) -> BERTScore {
        let (a, b) = (tokens(c), tokens(r))
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: c.count * r.count)
        defer { scratch.deallocate() }
        return GreedyMatcher.score(candidate: .init(tokens: a, weights: candidateWeights ?? [0] + Array(repeating: 1, count: c.count - 2) + [0], padded: padded.0),
                                   reference: .init(tokens: b, weights: [0] + Array(repeating: 1, count: r.count - 2) + [0], padded: padded.1),
                                   scratch: scratch)
    }

    @Test func precisionAndRecallAreWeightedBestMatches() {
        // Candidate inner tokens at 0° and 90°, reference inner token at 0°; specials far away (180°).
        let s = Self.score([180, 0, 90, 180], [180, 0, 180])
        // P: 0° matches 0° (1), 90° best matches 0° (cos 90° = 0) → 0.5; R: 0° matched by 0° → 1.
        #expect(abs(s.precision - 0.5) < 1e-6 && abs(s.recall - 1) < 1e-6)
        #expect(abs(s.f1 - 2 * 0.5 / 1.5) < 1e-6)
    }

    @Test func specialTokensAreMatchTargetsButWeighZero() {
        // The candidate's inner token at 170° is closest to the reference's [CLS] at 180°.
        let s = Self.score([0, 170, 0], [180, 20, 180])
        #expect(abs(s.precision - cos(10 * .pi / 180)) < 1e-6)
    }

    @Test func paddingInTheBatchFloorsBestMatchesAtZero() {
        // Every similarity of the candidate's inner token is negative (−cos 30°).
        let unpadded = Self.score([0, 210, 0], [30, 30, 30])
        #expect(unpadded.precision < -0.8)
        let padded = Self.score([0, 210, 0], [30, 30, 30], padded: (false, true))
        #expect(padded.precision == 0)
    }

    @Test func textsWithOnlySpecialTokensScoreZero() {
        let s = Self.score([0, 0], [0, 10, 0])
        #expect(s == BERTScore(precision: 0, recall: 0, f1: 0))
        let zeroWeights = Self.score([0, 10, 0], [0, 10, 0], candidateWeights: [0, 0, 0])
        #expect(zeroWeights.precision.isNaN && zeroWeights.f1 == 0, "weights summing to 0 give NaN precision, as the package")
    }
}
