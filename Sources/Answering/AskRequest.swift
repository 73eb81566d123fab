import Cohort
import Foundation
import FusedEncoder

/// One question about one stored case, and how to retrieve context for it.
public struct AskRequest: Sendable, Equatable {
    /// A question longer than this is refused: the prompt must fit a small model's context window
    /// beside five captions, and nothing a clinician types is this long.
    public static let maximumQuestionBytes = 2_000
    /// Most candidates retrieved for reranking: each one's row is read per ask.
    public static let maximumCandidates = 1_000

    public var caseID: String
    public var question: String
    /// Which of the case's modalities the encoder may use (the case's own absences still apply).
    public var modalities: ModalitySet
    /// Neighbours taken from the index (MEMOIR: 50).
    public var candidates: Int
    /// Neighbours handed to the LLM after reranking (MEMOIR: 5).
    public var contextSize: Int
    /// Without reranking, the top `contextSize` by embedding similarity go to the LLM.
    public var rerank: Bool

    public init(caseID: String, question: String, modalities: ModalitySet = .all, candidates: Int = 50,
                contextSize: Int = 5, rerank: Bool = true) {
        self.caseID = caseID
        self.question = question
        self.modalities = modalities
        self.candidates = candidates
        self.contextSize = contextSize
        self.rerank = rerank
    }

    /// The request with its question trimmed, or the reason it cannot be asked.
    public func validated() throws -> AskRequest {
        var copy = self
        copy.question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !copy.question.isEmpty else { throw AskError.emptyQuestion }
        let bytes = copy.question.utf8.count
        guard bytes <= Self.maximumQuestionBytes else { throw AskError.questionTooLong(bytes: bytes, limit: Self.maximumQuestionBytes) }
        guard !modalities.isEmpty else { throw AskError.invalidOption("no modality selected") }
        guard (1...Self.maximumCandidates).contains(candidates) else {
            throw AskError.invalidOption("candidates must lie in 1…\(Self.maximumCandidates), got \(candidates)")
        }
        guard (1...candidates).contains(contextSize) else {
            throw AskError.invalidOption("context size must be between 1 and the \(candidates) candidates, got \(contextSize)")
        }
        return copy
    }
}
