import Foundation
import Store

/// A VQA run as the store holds it, for browsing runs after the fact (the HTTP API, the workspace): its
/// settings, its stored answers in the order written, and, given the text models, scored as `eval vqa`
/// scores them. Nothing is asked; an unfinished run is reported as such.
public struct StoredVQARun: Sendable {
    public let info: VQARunStore.RunInfo
    public let settings: [EvaluationResults.Setting]

    public init(_ info: VQARunStore.RunInfo) throws {
        self.info = info
        do {
            settings = try JSONDecoder().decode([EvaluationResults.Setting].self, from: Data(info.settingsJSON.utf8))
        } catch {
            throw EvaluationError.invalidInput(source: "vqa_runs row \(info.id)", detail: "settings are not a list of name/value pairs: \(error)")
        }
    }

    public func setting(_ name: String) -> String? { settings.first { $0.name == name }?.value }

    /// Whether the run's BERTScore used idf weights (recorded in its BERTScore hash code).
    public var idf: Bool { setting("BERTScore")?.contains("_idf") ?? false }

    /// The results of the run, scored when the scorers loaded (else BERTScore and SBERT are left empty and the
    /// settings say why).
    public func results(from runs: VQARunStore, scorers: Result<(BERTScorer, SBERTSimilarity), any Error>) throws -> EvaluationResults {
        var questions = try runs.results(runID: info.id)
        var similarity: [EvaluationResults.Setting] = []
        switch scorers {
        case let .success((bert, sbert)): try VQAEvaluation.score(&questions, bertScorer: bert, sbert: sbert, idf: idf)
        case let .failure(error): similarity = [.init("similarity scores", "not computed: \(error)")]
        }
        let state = info.finishedAt.map { "finished \($0)" } ?? "not finished (an interim report of the answers stored so far)"
        return EvaluationResults(date: info.finishedAt ?? info.createdAt,
                                 settings: [.init("run", info.id), .init("state", state)] + settings + similarity,
                                 questions: questions)
    }
}
