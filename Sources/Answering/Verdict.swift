/// What the verifier concluded about one answer. Only `grounded` is presented or logged as a plain answer.
public struct Verdict: Sendable, Codable, Equatable {
    public enum Status: String, Sendable, Codable {
        /// Every id, number and diagnosis in the answer is backed by the evidence.
        case grounded
        /// Claims the evidence does not hold (listed in `issues`).
        case unsupported
        /// The reply hit the token budget (or was cut before its JSON closed).
        case truncated
        /// Empty, a word or two, a repetition loop, another script, stopped mid-sentence, or not answering the question.
        case degenerate
    }

    public var status: Status
    /// Each problem found, in words a reader can check ("names subject 465_S_0320, not one of the five given").
    public var issues: [String]
    /// How many claims in the answer the evidence does not back.
    public var unsupportedClaims: Int

    public init(status: Status, issues: [String] = [], unsupportedClaims: Int = 0) {
        self.status = status
        self.issues = issues
        self.unsupportedClaims = unsupportedClaims
    }

    public var isGrounded: Bool { status == .grounded }
}
