import Answering
import Cohort
import Evaluation
import Foundation
import Store
import TextModels

/// `memoir eval vqa`: a QA set (optionally narrowed to categories and a count) asked through the answering
/// service for each backbone and modality subset, stored as it goes, then scored.
public struct VQAEvaluator {
    public let service: AskService
    public let store: CaseStore

    public init(service: AskService) {
        self.service = service
        store = service.pipeline.store
    }

    /// One backbone to evaluate: an endpoint (nil: the default one) and a model name where the server needs it.
    public struct Endpoint: Sendable {
        public var url: String?
        public var model: String?
        public init(url: String?, model: String?) {
            self.url = url
            self.model = model
        }
    }

    /// The QA set with bad lines counted, narrowed to `categories` (all when nil) and the first `limit` items.
    public func questions(path: String, categories: [String]?, limit: Int?) throws -> QASet {
        var set = try QASet.load(path: path, knownCaseIDs: Set(try store.subjectIDs()))
        var items = set.items
        if let categories {
            let unknown = Set(categories).subtracting(QAItem.Category.allCases.map(\.rawValue))
            guard unknown.isEmpty else { throw ApplicationError.invalid("unknown categor(ies): \(unknown.sorted().joined(separator: ", "))") }
            items = items.filter { categories.contains($0.category.rawValue) }
        }
        if let limit { items = Array(items.prefix(limit)) }
        set = set.selecting(items)
        return set
    }

    /// A backbone per endpoint, named by the model the server reports when no name is given.
    public static func backbones(_ endpoints: [Endpoint], sampling: GenerationOptions) throws -> [VQABackbone] {
        try endpoints.map { endpoint in
            var generation = sampling
            generation.model = endpoint.model
            let client = LLMClient(configuration: try LLMConfiguration.fromEnvironment(baseURL: endpoint.url))
            let served = endpoint.model ?? (try? client.listModels().first).flatMap { $0 }
                .map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            return VQABackbone(name: served ?? client.endpoint, client: client, generation: generation)
        }
    }

    /// Asks every pending question (finished ones are resumed from the store) and scores the run.
    public func run(questions: QASet, backbones: [VQABackbone], subsets: [ModalitySet], textModel: String?, idf: Bool, concurrency: Int = 1,
                    extraSettings: [EvaluationResults.Setting], storedOnly: Bool = false,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> VQAEvaluation.Outcome {
        let textDirectory = try ModelLocator.sentenceModelDirectory(explicit: textModel)
        let evaluation = VQAEvaluation(pipeline: service.pipeline, backbones: backbones, subsets: subsets,
                                       rerank: service.reranks, bertScorer: try BERTScorer(modelDirectory: textDirectory),
                                       sbert: try SBERTSimilarity(modelDirectory: textDirectory), idf: idf, concurrency: concurrency)
        return try evaluation.run(qa: questions, runs: VQARunStore(store: store), extraSettings: extraSettings, storedOnly: storedOnly,
                                  progress: progress)
    }

    /// A run in which nothing was answered (LLM down, every reply refused) is a failure, whatever got written: the
    /// error saying so when every one of the questions × backbones × subsets items failed, else nil. The caller
    /// reports the run first (its results record the errors) and then this.
    public static func failure(of outcome: VQAEvaluation.Outcome, questions: Int, backbones: Int, subsets: Int) -> ApplicationError? {
        failure(failed: outcome.failed, questions: questions, backbones: backbones, subsets: subsets)
    }

    /// `failure(of:questions:backbones:subsets:)` from the count of failed items.
    public static func failure(failed: Int, questions: Int, backbones: Int, subsets: Int) -> ApplicationError? {
        let items = questions * backbones * subsets
        guard items > 0, failed == items else { return nil }
        return .incomplete("all \(items) question(s) failed (\(questions) questions × \(backbones) backbone(s) × \(subsets) subset(s)); "
            + "the errors are in the results and the ask log")
    }
}
