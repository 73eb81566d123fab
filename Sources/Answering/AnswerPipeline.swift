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
    /// The encoder's heads for the evidence; nil leaves them out.
    public let predictor: (any CasePredicting)?
    /// Placed among the training cases' groups (percentiles); the candidates' own rows are read per ask.
    private let evidenceBuilder: EvidenceBuilder

    /// `index` must have been built from `embedder`'s encoder over the store's training split (checked here).
    public init(store: CaseStore, embedder: any CaseEmbedding, index: CaseIndex, reranker: (any CaseReranking)?,
                prompt: PromptTemplate, predictor: (any CasePredicting)? = nil) throws {
        guard index.count > 0 else { throw AskError.emptyIndex(directory: index.directory) }
        guard index.manifest.encoderHash == embedder.encoderHash else {
            throw CaseIndexError.mismatch(directory: index.directory,
                                          reason: "built with encoder \(index.manifest.encoderHash.prefix(12)), the current encoder is \(embedder.encoderHash.prefix(12))")
        }
        // Ids only: the rows themselves are read per ask, for the ~50 candidates.
        let training = Set(try store.subjectIDs(split: .train))
        if let stray = index.manifest.subjectIDs.first(where: { !training.contains($0) }) {
            throw AskError.indexedCaseMissing(subjectID: stray, directory: index.directory)
        }
        self.store = store
        self.embedder = embedder
        self.index = index
        self.reranker = reranker
        self.prompt = prompt
        self.log = AskLog(store: store)
        self.predictor = predictor
        evidenceBuilder = EvidenceBuilder(statistics: LibraryStatistics(rows: try store.measureRows(split: .train)))
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

        // The query subject's other visits (a library of all visits) are not its neighbours.
        let found = try index.search(vector, k: request.candidates, excluding: stored.id)
        let library = try store.storedCases(ids: found.map(\.subjectID))
        // The index was checked against the store when loaded; a row deleted or moved out of the training split
        // since (another process re-ingesting) is an error naming it, never a trap nor a test case as a neighbour.
        if let gone = found.first(where: { library[$0.subjectID]?.split != .train }) {
            throw AskError.indexedCaseMissing(subjectID: gone.subjectID, directory: index.directory)
        }
        let hits = found.excludingSubject(of: record) { library[$0.subjectID]?.record.subject }
        let retrieved = hits.map { Neighbour(subjectID: $0.subjectID, diagnosis: library[$0.subjectID]!.record.diagnosis, similarity: $0.score) }
        timings.search = clock.lap()

        let description = QueryDescription.text(for: stored, modalities: used)
        var reranked: [Neighbour]?
        if request.rerank, let reranker {
            let candidates = retrieved.map {
                CaseReranker.Candidate(subjectID: $0.subjectID, caption: library[$0.subjectID]!.caption, retrievalScore: $0.similarity)
            }
            let byID = Dictionary(uniqueKeysWithValues: retrieved.map { ($0.subjectID, $0) })
            // From prompt v2 on, the neighbours depend on the case alone (a case-level question), so the evidence,
            // and with it the prompt up to the question, is the same for every question about a case: llama.cpp's
            // prompt cache then evaluates only the new question's tokens. (The reranker was trained with generic
            // questions of this kind; v1 keeps the asked question.)
            let rerankQuestion = prompt.readsEvidence ? Self.caseRerankQuestion : request.question
            reranked = try reranker.rerank(query: Self.rerankQuery(question: rerankQuestion, description: description), candidates: candidates)
                .map { ranked in
                    var n = byID[ranked.subjectID]!
                    n.rerankScore = ranked.rerankScore
                    n.crossEncoderScore = ranked.crossEncoderScore
                    return n
                }
        }
        timings.rerank = clock.lap()

        let chosen = Array((reranked ?? retrieved).prefix(request.contextSize))
        let context = chosen.map {
            RetrievedCase(subjectID: $0.subjectID, diagnosis: $0.diagnosis.rawValue, caption: library[$0.subjectID]!.caption)
        }
        let kind = QuestionKind.classify(request.question)
        let prediction = try predictor.map { try $0.predict(record, modalities: request.modalities) }
        let evidence = evidenceBuilder.evidence(for: stored, modalities: used, context: chosen, rows: library, prediction: prediction,
                                                cdrsbTestError: predictor?.cdrsbTestError(modalities: used),
                                                courses: try store.courses(of: chosen.compactMap { library[$0.subjectID]?.record.subject }))
        timings.evidence = clock.lap()
        let messages: [ChatMessage]
        let format: ResponseFormat
        if prompt.readsEvidence {
            messages = try prompt.messages(evidence: evidence, question: request.question, kind: kind)
            format = try prompt.responseFormat(citing: context.map(\.subjectID), kind: kind, supported: [evidence.reading],
                                               caseMeasures: PromptTemplate.caseMeasures(evidence), facts: OpeningFacts(evidence),
                                               statements: EvidenceStatements(evidence))
        } else {
            messages = try prompt.messages(question: request.question, caseDescription: description, retrievedCases: context)
            format = try prompt.responseFormat(citing: context.map(\.subjectID))
        }
        timings.prompt = clock.lap()

        return PreparedAsk(request: request, caseDescription: description, modalitiesUsed: used, embeddingSource: source,
                           retrieved: retrieved, reranked: reranked, context: context, questionKind: kind, evidence: evidence,
                           messages: messages, responseFormat: format, promptVersion: prompt.version, timings: timings)
    }

    /// Sends the prepared prompt, parses and verifies the reply, gives the model one repair round when the
    /// verifier finds a problem, and logs the ask (answered, unverified or failed) before returning. Only a
    /// grounded answer is logged as answered; an unreadable reply is logged as failed and thrown.
    public func answer(_ prepared: PreparedAsk, client: any ChatCompleting, generation: GenerationOptions = GenerationOptions(),
                       stream: Bool = false, repair: Bool = true, onDelta: @escaping @Sendable (String) -> Void = { _ in }) throws -> AskResult {
        var timings = prepared.timings
        var entry = AskLog.Entry(prepared: prepared, llmURL: client.endpoint, generation: generation,
                                 encoderHash: embedder.encoderHash, indexCreatedAt: index.manifest.createdAt)
        let contextIDs = prepared.context.map(\.subjectID)
        let parser = AnswerParser(knownSubjectIDs: contextIDs, expectsDiagnosis: !prompt.readsEvidence || prepared.questionKind.asksForDiagnosis)
        let verifier = self.verifier(for: prepared)
        var clock = Stopwatch()
        /// One exchange: the reply, what it parses to (nil: unreadable) and its verdict.
        func attempt(_ messages: [ChatMessage], echo: Bool) throws -> (ChatResponse, ParsedAnswer?, Verdict, String?) {
            let request = ChatRequest(messages: messages, model: generation.model, temperature: generation.temperature,
                                      maxTokens: generation.maxTokens, seed: generation.seed,
                                      frequencyPenalty: generation.frequencyPenalty, responseFormat: generation.structuredOutput ? prepared.responseFormat : nil)
            let response: ChatResponse
            if stream {
                let forward: (String) -> Void = echo ? { onDelta($0) } : { _ in }
                response = try client.stream(request, onDelta: forward)
            } else {
                response = try client.complete(request)
            }
            do {
                let parsed = try parser.parse(response.text)
                return (response, parsed, verifier.verify(parsed, finishReason: response.finishReason), nil)
            } catch {
                let verdict = response.finishReason == "length"
                    ? Verdict(status: .truncated, issues: ["the reply hit the token budget before it finished"])
                    : Verdict(status: .degenerate, issues: ["the reply is not a usable answer: \(error)"])
                return (response, nil, verdict, "\(error)")
            }
        }
        var outcome: (response: ChatResponse, parsed: ParsedAnswer?, verdict: Verdict, parseError: String?)
        do {
            outcome = try attempt(prepared.messages, echo: true)
            timings.llmFirstToken = outcome.response.timeToFirstToken
            if repair, !outcome.verdict.isGrounded {
                // One bounded repair round: the verifier's findings go back to the model with its own reply.
                let repairMessages = prepared.messages + [.assistant(outcome.response.text), .user(Self.repairInstruction(outcome.verdict))]
                let second = try attempt(repairMessages, echo: false)
                entry.repairRounds = 1
                entry.firstVerdict = outcome.verdict
                if Self.better(second.2, than: outcome.verdict, parsed: second.1) { outcome = second }
            }
        } catch {
            entry.timings.llm = clock.lap()
            entry.error = "\(error)"
            try log.record(entry)
            throw error
        }
        timings.llm = clock.lap()
        entry.servedModel = outcome.response.model
        entry.rawResponse = outcome.response.text
        entry.usage = outcome.response.usage
        entry.verdict = outcome.verdict
        guard var parsed = outcome.parsed else {
            timings.parse = clock.lap()
            entry.timings = timings
            entry.error = "unreadable answer: \(outcome.parseError ?? "no answer")"
            try log.record(entry)
            throw AskError.unreadableAnswer(outcome.parseError ?? "no answer", verdict: outcome.verdict)
        }
        let discarded = parsed.citedSubjectIDs.filter { !contextIDs.contains($0) }
        parsed.citedSubjectIDs = parsed.citedSubjectIDs.filter { contextIDs.contains($0) }.uniqued()
        timings.parse = clock.lap()
        entry.answer = parsed
        entry.timings = timings
        let askID = try log.record(entry)
        return AskResult(prepared: prepared, answer: parsed, verdict: outcome.verdict, repairRounds: entry.repairRounds,
                         firstVerdict: entry.firstVerdict, discardedCitations: discarded, response: outcome.response,
                         generation: generation, timings: timings, askID: askID)
    }

    /// The verifier for answers to `prepared`: the ids and numbers the model was shown. Public so an
    /// evaluation checks Memoir's own evidence-only answer exactly as it checks the model's.
    public func verifier(for prepared: PreparedAsk) -> AnswerVerifier {
        let ids = prepared.context.map(\.subjectID)
        if prompt.readsEvidence {
            return AnswerVerifier(evidence: prepared.evidence, contextIDs: ids, question: prepared.request.question, kind: prepared.questionKind)
        }
        // v1's captions: the numbers and scores of the prompt itself; no computed diagnosis to hold it to.
        return AnswerVerifier(contextIDs: ids, evidenceText: prepared.messages.map(\.content).joined(separator: "\n"),
                              question: prepared.request.question,
                              mmse: prepared.evidence.readings.first { $0.measure == "MMSE" }?.value,
                              scoreClaims: ScoreClaimChecker(evidence: prepared.evidence, question: prepared.request.question))
    }

    /// What the model is told when its first reply failed verification.
    static func repairInstruction(_ verdict: Verdict) -> String {
        var text = "Your reply cannot be shown: " + verdict.issues.prefix(8).joined(separator: "; ") + "."
        switch verdict.status {
        case .truncated: text += " Reply again with the same JSON object, shorter: at most three sentences."
        case .degenerate: text += " Reply again with the JSON object: a complete answer of one to three sentences, each finding a different fact."
        case .unsupported, .grounded:
            text += " Reply again with the JSON object, using only the evidence: mention only the five subject ids listed, quote numbers exactly as given and name a diagnosis the evidence supports."
        }
        return text
    }

    /// A repaired reply replaces the first when it is grounded, or readable where the first was not, or has fewer problems.
    static func better(_ candidate: Verdict, than current: Verdict, parsed: ParsedAnswer?) -> Bool {
        guard parsed != nil else { return false }
        if candidate.isGrounded { return true }
        if current.status == .truncated || current.status == .degenerate { return candidate.status == .unsupported }
        return candidate.status == .unsupported && candidate.issues.count < current.issues.count
    }

    /// The cross-encoder's query: the question, then the case it is about.
    static func rerankQuery(question: String, description: String) -> String { question + "\n" + description }

    /// The question the reranker reads for every ask from prompt v2 on.
    public static let caseRerankQuestion = "What is the most likely diagnosis for this subject?"
}

extension Array where Element: Hashable {
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
