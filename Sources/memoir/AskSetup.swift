import Answering
import Cohort
import FusedEncoder
import Retrieval

/// Loads what an answering pipeline needs from command-line options (shared by `ask` and `eval vqa`).
struct AskSetup {
    var store: StoreOptions
    var index: IndexOptions
    var encoder: String?
    var reranker: String?
    var rerank: Bool
    var prompts: String?
    var promptVersion: String

    func pipeline() throws -> AnswerPipeline {
        let caseStore = try store.open()
        let fused = try EncoderLocator.load(explicit: encoder)
        let caseIndex = try CaseIndex(directory: index.directory(forStore: caseStore.path), expectedHash: fused.weightsHash,
                                      expectedIDs: Set(try caseStore.subjectIDs(split: .train)))
        let crossEncoder = rerank ? try CaseReranker(directory: reranker) : nil
        let template = try PromptTemplate.load(directory: try PromptTemplate.resolveDirectory(option: prompts, version: promptVersion))
        return try AnswerPipeline(store: caseStore, encoder: fused, index: caseIndex, reranker: crossEncoder, prompt: template)
    }
}
