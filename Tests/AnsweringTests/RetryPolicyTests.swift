import Answering
import Testing

@Suite struct RetryPolicyTests {
    @Test func backoffDoublesUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 6, initialDelay: 0.5, maxDelay: 3)
        #expect((1...5).map(policy.delay(afterAttempt:)) == [0.5, 1, 2, 3, 3])
    }

    @Test func atLeastOneAttempt() {
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
        #expect(RetryPolicy.none.maxAttempts == 1)
    }
}
