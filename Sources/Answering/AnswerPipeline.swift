import Cohort
import Foundation
import FusedEncoder
import Retrieval
import Store

/// MEMOIR's answering path (seed §07): the query case's fused embedding → FAISS top-k over the training
/// cases → cross-encoder rerank → the top captions and the question to the LLM. The LLM sees text only.
public final class AnswerPipeline: Sendable {
    public let store: CaseStore
    public let embedder: any CaseEmbedding
    public let index: CaseIndex
    public let reranker: (any CaseReranking)?
    public let prompt: PromptTemplate
    public let log: AskLog
    /// The indexed (training) cases, read once: their captions and diagnoses are the LLM's context.
    private let library: [String: StoredCase]

    /// `index` must have been built from `embedder`'s encoder over the store's training split (checked here).
    public init(store: CaseStore, embedder: any CaseEmbedding, index: CaseIndex, reranker: (any CaseReranking)?,
                prompt: PromptTemplate) throws {
        guard index.count > 0 else { throw AskError.emptyIndex(directory: index.directory) }
        guard index.manifest.encoderHash == embedder.encoderHash else {
            throw CaseIndexError.mismatch(directory: index.directory,
                                          reason: "built with encoder \(index.manifest.encoderHash.prefix(12)), the current encoder is \(embedder.encoderHash.prefix(12))")
        }
        let training = try store.allCases(split: .train)
        let library = Dictionary(uniqueKeysWithValues: training.map { ($0.id, $0) })
        if let stray = index.manifest.subjectIDs.first(where: { library[$0] == nil }) {
            throw AskError.indexedCaseMissing(subjectID: stray, directory: index.directory)
        }
        self.store = store
        self.embedder = embedder
        self.index = index
        self.reranker = reranker
        self.prompt = prompt
        self.log = AskLog(store: store)
        self.library = library
    }

    /// Retrieval, reranking and the prompt: everything before the LLM.
    public func prepare(_ request: AskRequest) throws -> PreparedAsk {
        let request = try request.validated()
        var timings = StageTimings()
        var clock = Stopwatch()

        let stored = try store.storedCase(request.caseID)
        let record = stored.record
        let used = request.modalities.intersection(.present(t1Path: record.t1Path, faPath: record.faPath, hasClinical: true))
        guard !used.isEmpty else {
            throw EncoderError.noModality(subject: stored.id, requested: request.modalities.key,
                                          reason: "the case has none of the requested modalities")
        }
        let (vector, computed) = try embedder.embedding(of: record, modalities: request.modalities)
        let source = computed ? "computed" : "cache"
        timings.embed = clock.lap()

        let hits = try index.search(vector, k: request.candidates, excluding: stored.id)
        let retrieved = hits.map { Neighbour(subjectID: $0.subjectID, diagnosis: library[$0.subjectID]!.record.diagnosis, similarity: $0.score) }
        timings.search = clock.lap()

        let description = QueryDescription.text(for: stored, modalities: used)
        var reranked: [Neighbour]?
        if request.rerank, let reranker {
            let candidates = retrieved.map {
                CaseReranker.Candidate(subjectID: $0.subjectID, caption: library[$0.subjectID]!.caption, retrievalScore: $0.similarity)
            }
            let byID = Dictionary(uniqueKeysWithValues: retrieved.map { ($0.subjectID, $0) })
            reranked = try reranker.rerank(query: Self.rerankQuery(question: request.question, description: description), candidates: candidates)
                .map { ranked in
                    var n = byID[ranked.subjectID]!
                    n.rerankScore = ranked.rerankScore
                    n.crossEncoderScore = ranked.crossEncoderScore
                    return n
                }
        }
        timings.rerank = clock.lap()

        let context = (reranked ?? retrieved).prefix(request.contextSize).map {
            RetrievedCase(subjectID: $0.subjectID, diagnosis: $0.diagnosis.rawValue, caption: library[$0.subjectID]!.caption)
        }
        let messages = try prompt.messages(question: request.question, caseDescription: description, retrievedCases: Array(context))
        let format = try prompt.responseFormat(citing: context.map(\.subjectID))
        timings.prompt = clock.lap()

        return PreparedAsk(request: request, caseDescription: description, modalitiesUsed: used, embeddingSource: source,
                           retrieved: retrieved, reranked: reranked, context: Array(context), messages: messages,
                           responseFormat: format, promptVersion: prompt.version, timings: timings)
    }

    /// Sends the prepared prompt, parses the reply and logs the ask (answered or failed) before returning.
    public func answer(_ prepared: PreparedAsk, client: any ChatCompleting, generation: GenerationOptions = GenerationOptions(),
                       stream: Bool = false, onDelta: @escaping @Sendable (String) -> Void = { _ in }) throws -> AskResult {
        var timings = prepared.timings
        var entry = AskLog.Entry(prepared: prepared, llmURL: client.endpoint, generation: generation,
                                 encoderHash: embedder.encoderHash, indexCreatedAt: index.manifest.createdAt,
                                 servedModel: nil, answer: nil, rawResponse: nil, error: nil, timings: timings)
        let request = ChatRequest(messages: prepared.messages, model: generation.model, temperature: generation.temperature,
                                  maxTokens: generation.maxTokens, seed: generation.seed,
                                  responseFormat: generation.structuredOutput ? prepared.responseFormat : nil)
        var clock = Stopwatch()
        let response: ChatResponse
        do {
            response = stream ? try client.stream(request, onDelta: onDelta) : try client.complete(request)
        } catch {
            entry.timings.llm = clock.lap()
            entry.error = "\(error)"
            try log.record(entry)
            throw error
        }
        timings.llm = clock.lap()
        timings.llmFirstToken = response.timeToFirstToken ?? timings.llm
        entry.servedModel = response.model
        entry.rawResponse = response.text

        let contextIDs = prepared.context.map(\.subjectID)
        var parsed: ParsedAnswer
        do {
            parsed = try AnswerParser(knownSubjectIDs: contextIDs).parse(response.text)
        } catch {
            timings.parse = clock.lap()
            entry.timings = timings
            entry.error = "unreadable answer: \(error)"
            try log.record(entry)
            throw AskError.unreadableAnswer("\(error)")
        }
        let discarded = parsed.citedSubjectIDs.filter { !contextIDs.contains($0) }
        parsed.citedSubjectIDs = parsed.citedSubjectIDs.filter { contextIDs.contains($0) }.uniqued()
        timings.parse = clock.lap()
        entry.answer = parsed
        entry.timings = timings
        let askID = try log.record(entry)
        return AskResult(prepared: prepared, answer: parsed, discardedCitations: discarded, response: response,
                         generation: generation, timings: timings, askID: askID)
    }

    /// The cross-encoder's query: the question, then the case it is about.
    static func rerankQuery(question: String, description: String) -> String { question + "\n" + description }
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
