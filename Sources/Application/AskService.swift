import Answering
import Cohort
import Foundation
import FusedEncoder
import Retrieval
import Store

/// `memoir ask` (and every other front door that answers questions): the answering pipeline assembled from
/// a store, its index, the models and a prompt version, and one call per question.
public struct AskService: Sendable {
    public let pipeline: AnswerPipeline

    public init(pipeline: AnswerPipeline) { self.pipeline = pipeline }

    /// Loads everything a question needs. `note` receives remarks that are not errors (no reranker installed).
    public static func load(store: CaseStore, indexDirectory: String?, models: ModelSet, prompts: String?, promptVersion: String,
                            note: (String) -> Void = { _ in }) throws -> AskService {
        let encoder = try models.loadEncoder()
        let index = try CurrentIndex.load(store: store, encoderHash: encoder.weightsHash, indexDirectory: indexDirectory)
        let reranker = try models.loadReranker(otherwise: "candidates keep the embedding's order", note: note)
            .map { $0.keepingStates(in: RerankStateCache(store: store, crossEncoder: $0.crossEncoder)) }
        let template = try PromptTemplate.load(directory: try PromptTemplate.resolveDirectory(option: prompts, version: promptVersion))
        return AskService(pipeline: try AnswerPipeline(store: store, embedder: CachedCaseEmbedder(encoder: encoder, store: store),
                                                       index: index, reranker: reranker, prompt: template, predictor: encoder))
    }

    /// Whether questions are reranked by default (a reranker is loaded).
    public var reranks: Bool { pipeline.reranker != nil }

    /// Retrieval, rerank, evidence, prompt, the LLM, parsing, verification (with one repair round unless
    /// `repair` is false), logging: one question answered (or a logged failure thrown).
    public func ask(_ request: AskRequest, client: any ChatCompleting, generation: GenerationOptions = GenerationOptions(),
                    stream: Bool = false, repair: Bool = true, onDelta: @escaping @Sendable (String) -> Void = { _ in }) throws -> AskResult {
        let prepared = try pipeline.prepare(request)
        return try pipeline.answer(prepared, client: client, generation: generation, stream: stream, repair: repair, onDelta: onDelta)
    }

    /// The subjects retrieval puts in the LLM's context for a question (reranked when a reranker is loaded):
    /// what `memoir qa build` writes similar-case references from.
    public func contextNeighbours(caseID: String, question: String, modalities: ModalitySet = .all) throws -> [String] {
        try pipeline.prepare(AskRequest(caseID: caseID, question: question, modalities: modalities, rerank: reranks)).context.map(\.subjectID)
    }
}
