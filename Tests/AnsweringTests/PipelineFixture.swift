import Answering
import Application
import Cohort
import Foundation
import FusedEncoder
import Retrieval
import Store
import TestSupport

/// A small clinical-only cohort (no volumes, so it runs in milliseconds) in an in-memory store, with the
/// golden test encoder and a flat case index built by `IndexBuilder` as `memoir index` does: a real
/// pipeline minus the cross-encoder.
struct PipelineFixture {
    let folder: TemporaryFolder
    var directory: String { folder.path }
    let store: CaseStore
    let encoder: FusedEncoder
    let index: CaseIndex
    let prompt: PromptTemplate

    init(subjects: Int = 40, promptVersion: String = "v1") throws {
        folder = try TemporaryFolder()
        store = try CaseStore.inMemory()
        var cases: [StoredCase] = []
        for i in 0..<subjects {
            let dx = Diagnosis.allCases[i % 3]
            let severity = Double(dx.index) + Double(i % 7) / 7
            let record = CaseRecord(subjectID: String(format: "100_S_%04d", i), diagnosis: dx, age: 65 + Double(i % 20),
                                    sex: i % 2 == 0 ? .female : .male, education: 12 + Double(i % 8),
                                    mmse: (30 - 4 * severity).rounded(), cdrsb: severity * 2.5, adas11: 5 + 7 * severity,
                                    adas13: 8 + 10 * severity, moca: (28 - 4.5 * severity).rounded(), apoe: APOEGenotype(3, dx == .cn ? 3 : 4))
            cases.append(StoredCase(record: record, split: i % 5 == 0 ? .test : .train, measures: ImageMeasures(),
                                    caption: CaptionWriter.caption(record, measures: ImageMeasures())))
        }
        try store.replaceCohort(cases, source: "PipelineFixture", splitSeed: 1)
        encoder = try FusedEncoder(directory: Fixtures.path("encoder/model"))
        _ = try IndexBuilder(store: store, encoder: encoder, reranker: nil).build(directory: folder.file("index"))
        index = try CaseIndex(directory: folder.file("index"))
        prompt = try PromptTemplate.load(directory: Fixtures.repositoryRoot + "/Prompts/" + promptVersion)
    }

    func pipeline() throws -> AnswerPipeline {
        try pipeline(index: index)
    }

    func pipeline(index: CaseIndex, reranker: (any CaseReranking)? = nil) throws -> AnswerPipeline {
        try AnswerPipeline(store: store, embedder: CachedCaseEmbedder(encoder: encoder, store: store), index: index, reranker: reranker,
                           prompt: prompt, predictor: encoder)
    }

    var testCaseIDs: [String] { (try? store.subjectIDs(split: .test)) ?? [] }
    var trainCaseIDs: [String] { (try? store.subjectIDs(split: .train)) ?? [] }
}
