/// A received answer with the context it was grounded in.
public struct AskResult: Sendable {
    public var prepared: PreparedAsk
    public var answer: ParsedAnswer
    /// The verifier's conclusion on `answer`; anything but grounded is shown and logged as unverified.
    public var verdict: Verdict
    /// Repair rounds used (0 or 1), and the first reply's verdict when one was used.
    public var repairRounds: Int
    public var firstVerdict: Verdict?
    /// Cited ids that were not among the subjects given to the model; dropped from `answer`.
    public var discardedCitations: [String]
    public var response: ChatResponse
    public var generation: GenerationOptions
    public var timings: StageTimings
    /// Row id in the ask log.
    public var askID: Int64?
}
