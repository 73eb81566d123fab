import Answering
import Foundation
import Cohort
import FusedEncoder
import Retrieval
import TextModels

/// Loads what an answering pipeline needs from command-line options (shared by `ask` and `eval vqa`).
struct AskSetup {
    var store: StoreOptions
    var index: IndexOptions
    var encoder: String?
    var reranker: String?
    /// nil: rerank when a reranker is installed (or named with --reranker).
    var rerank: Bool?
    var prompts: String?
    var promptVersion: String

    func pipeline() throws -> AnswerPipeline {
        let caseStore = try store.open()
        let fused = try EncoderLocator.load(explicit: encoder)
        let caseIndex = try CaseIndex(directory: index.directory(forStore: caseStore.path), expectedHash: fused.weightsHash,
                                      expectedIDs: Set(try caseStore.subjectIDs(split: .train)))
        let crossEncoder = try loadReranker()
        let template = try PromptTemplate.load(directory: try PromptTemplate.resolveDirectory(option: prompts, version: promptVersion))
        return try AnswerPipeline(store: caseStore, encoder: fused, index: caseIndex, reranker: crossEncoder, prompt: template)
    }

    /// The reranker, or nil when reranking is off or, by default, when none is installed.
    func loadReranker() throws -> CaseReranker? {
        switch rerank {
        case false?: return nil
        case true?: return try CaseReranker(directory: reranker)
        case nil: return try Self.installedReranker(directory: reranker, otherwise: "candidates keep the embedding's order")
        }
    }

    /// The reranker named by `directory`, else the installed one; nil (with a note saying what follows)
    /// when none was named and none is installed. A named one that cannot load is an error.
    static func installedReranker(directory: String?, otherwise consequence: String) throws -> CaseReranker? {
        do {
            return try CaseReranker(directory: directory)
        } catch let TextModelError.modelNotFound(searched, _) where directory == nil {
            FileHandle.standardError.write(Data("note: no reranker installed (searched \(searched.joined(separator: ", "))); \(consequence)\n".utf8))
            return nil
        }
    }
}
