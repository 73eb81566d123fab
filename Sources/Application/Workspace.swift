import Answering
import Cohort
import Foundation
import FusedEncoder
import Numerics
import Store

/// Everything `memoir serve` answers from, loaded once at start: the store and the services over it.
/// A front door holds one and calls one service per request.
public final class Workspace: Sendable {
    /// What to load; every path resolves as for the CLI (flag, then environment, then `$MEMOIR_HOME`).
    public struct Options: Sendable {
        public var storePath: String?
        public var indexDirectory: String?
        public var models = ModelSet()
        public var prompts: String?
        public var promptVersion = "v1"
        public var llmURL: String?
        public var generation = GenerationOptions()
        public var projection: String?
        public var textModel: String?
        /// Asks at the LLM at once, and asks allowed to wait beyond those.
        public var askConcurrency = 1
        public var askWaitingLimit = 8

        public init() {}
    }

    public let store: CaseStore
    public let catalog: CaseCatalog
    public let retriever: CaseRetriever
    public let predictor: CasePredictor
    public let slices: SliceService
    public let asks: AskQueue
    public let evaluations: EvaluationCatalog
    public let generation: GenerationOptions
    /// The LLM endpoint, or why there is none: the workspace still browses and retrieves without one.
    private let llm: Result<LLMClient, LLMError>
    private let options: Options
    private let textQuery = Locked<TextCaseQuery?>(nil)

    public init(store: CaseStore, retriever: CaseRetriever, asks: AskService, llm: Result<LLMClient, LLMError>, options: Options) {
        self.store = store
        self.options = options
        catalog = CaseCatalog(store: store)
        self.retriever = retriever
        predictor = CasePredictor(store: store, encoder: retriever.encoder)
        slices = SliceService(store: store)
        evaluations = EvaluationCatalog(store: store, textModel: options.textModel)
        self.asks = AskQueue(service: asks, concurrency: options.askConcurrency, waitingLimit: options.askWaitingLimit)
        generation = options.generation
        self.llm = llm
    }

    /// Opens the store (read-write: asks are logged) and loads the encoder, index, reranker and prompt.
    public static func load(_ options: Options, note: (String) -> Void = { _ in }) throws -> Workspace {
        let store = try CaseStore(path: StoreLayout.storePath(explicit: options.storePath))
        let retriever = try CaseRetriever(store: store, encoder: try options.models.loadEncoder(), indexDirectory: options.indexDirectory)
        let asks = try AskService.load(store: store, indexDirectory: options.indexDirectory, models: options.models,
                                       prompts: options.prompts, promptVersion: options.promptVersion, note: note)
        let llm: Result<LLMClient, LLMError>
        do {
            llm = .success(LLMClient(configuration: try LLMConfiguration.fromEnvironment(baseURL: options.llmURL)))
        } catch let error as LLMError {
            note("asking is off until an LLM is reachable: \(error)")
            llm = .failure(error)
        }
        return Workspace(store: store, retriever: retriever, asks: asks, llm: llm, options: options)
    }

    /// The LLM client; throws why there is none.
    public func client() throws -> LLMClient { try llm.get() }

    /// The LLM's base URL (never its key), for /health.
    public var llmEndpoint: String? { try? llm.get().configuration.baseURL }

    /// The text models, loaded on the first text query (a store can be browsed without MiniLM installed).
    public func textCaseQuery() throws -> TextCaseQuery {
        if let loaded = textQuery.current { return loaded }
        let query = try TextCaseQuery(encoder: retriever.encoder, projection: options.projection, textModel: options.textModel)
        textQuery.withLock { $0 = query }
        return query
    }

    /// The context a question about `caseID` would be given (neighbours reranked for `question`), without
    /// asking the LLM or logging anything.
    public func context(caseID: String, question: String, modalities: ModalitySet = .all, contextSize: Int = 5) throws -> PreparedAsk {
        try asks.service.pipeline.prepare(AskRequest(caseID: caseID, question: question, modalities: modalities,
                                                     contextSize: contextSize, rerank: asks.service.reranks))
    }

    /// Checks a question before any work starts (the case exists, the question is usable, an LLM is
    /// configured) and takes its place in the queue; refused with `ApplicationError.busy` when full.
    public func admit(_ request: AskRequest) throws -> AskQueue.Ticket {
        _ = try request.validated()
        _ = try store.storedCase(request.caseID)
        _ = try client()
        return try asks.admit()
    }

    /// Answers an admitted question; `onDelta` receives tokens as they arrive when `stream`. The pipeline logs
    /// the ask, answered or failed, exactly once.
    public func ask(_ request: AskRequest, ticket: AskQueue.Ticket, stream: Bool,
                    onDelta: @escaping @Sendable (String) -> Void = { _ in }) async throws -> AskResult {
        var request = request
        request.rerank = request.rerank && asks.service.reranks
        let client: LLMClient
        do { client = try self.client() } catch {
            asks.cancel(ticket)
            throw error
        }
        return try await asks.ask(request, ticket: ticket, client: client, generation: generation, stream: stream, onDelta: onDelta)
    }
}
