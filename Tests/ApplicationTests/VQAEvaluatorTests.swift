import Application
import Testing

/// `eval vqa` fails as a whole only when no item (question × backbone × subset) got a usable answer.
@Suite struct VQAEvaluatorTests {
    @Test func aRunFailsOnlyWhenEveryItemFailed() throws {
        let failure = try #require(VQAEvaluator.failure(failed: 12, questions: 3, backbones: 2, subsets: 2))
        #expect("\(failure)".contains("all 12 question(s) failed (3 questions × 2 backbone(s) × 2 subset(s))"))
        #expect(VQAEvaluator.failure(failed: 11, questions: 3, backbones: 2, subsets: 2) == nil)
        // An empty selection asks nothing, which is not a failure.
        #expect(VQAEvaluator.failure(failed: 0, questions: 0, backbones: 1, subsets: 1) == nil)
    }
}
