import Evaluation
import Foundation
import Numerics
import Store
import TextModels

/// The VQA evaluation runs a store holds, for the HTTP API and the workspace: listed with their state, and
/// one run reported as `eval vqa --report` reports it (scored with MiniLM when it is installed).
/// Reports are cached per run and answer count, so a finished run is scored once and a running one again
/// only when it has new answers.
public struct EvaluationCatalog: Sendable {
    public let store: CaseStore
    private let textModel: String?
    private let scorers = Locked<Result<ScorerPair, Error>?>(nil)
    private let reports = LRUCache<String, EvaluationReport>(capacity: 8)

    private struct ScorerPair: Sendable {
        let bert: BERTScorer
        let sbert: SBERTSimilarity
    }

    /// One report scored at a time: BERTScore of a large run takes seconds of both cores.
    private let scoring = Locked(())

    public init(store: CaseStore, textModel: String?) {
        self.store = store
        self.textModel = textModel
    }

    public func list() throws -> [StoredVQARun] {
        try VQARunStore(store: store).runs().map(StoredVQARun.init)
    }

    public func run(_ id: String) throws -> StoredVQARun {
        guard let info = try VQARunStore(store: store).run(id: id) else {
            throw ApplicationError.notFound("no evaluation run '\(id)' in \(store.path)")
        }
        return try StoredVQARun(info)
    }

    /// The run's report; unscored (BERTScore and SBERT shown as n/a, with the reason) when MiniLM cannot be loaded.
    public func report(_ id: String) throws -> EvaluationReport {
        let run = try run(id)
        let key = "\(run.info.id)|\(run.info.answers)|\(run.info.finishedAt ?? "")"
        if let cached = reports.value(for: key) { return cached }
        let report = try scoring.withLock { _ -> EvaluationReport in
            if let cached = reports.value(for: key) { return cached }
            let scorers = loadScorers().map { ($0.bert, $0.sbert) }
            let results = try run.results(from: VQARunStore(store: store), scorers: scorers)
            return EvaluationReport(results: results)
        }
        reports.insert(report, for: key)
        return report
    }

    private func loadScorers() -> Result<ScorerPair, Error> {
        scorers.withLock { cached in
            if let cached { return cached }
            let loaded = Result {
                let directory = try ModelLocator.sentenceModelDirectory(explicit: textModel)
                return ScorerPair(bert: try BERTScorer(modelDirectory: directory), sbert: try SBERTSimilarity(modelDirectory: directory))
            }
            cached = loaded
            return loaded
        }
    }
}
