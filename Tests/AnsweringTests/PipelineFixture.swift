import Answering
import Cohort
import Foundation
import FusedEncoder
import Retrieval
import TestSupport

/// A small clinical-only cohort (no volumes, so it runs in milliseconds) with the golden test encoder,
/// its embedding cache and a flat case index: a real pipeline minus the cross-encoder.
struct PipelineFixture {
    let directory: String
    let store: CaseStore
    let encoder: FusedEncoder
    let index: CaseIndex
    let prompt: PromptTemplate

    init(subjects: Int = 40) throws {
        directory = try Fixtures.temporaryDirectory()
        store = try CaseStore(path: directory + "/memoir.sqlite")
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
        let cache = try EmbeddingCache(store: store, encoder: encoder)
        try cache.encodeAll(encoder: encoder, split: .train)
        let ids = try store.subjectIDs(split: .train)
        let vectors = try cache.embeddings(modalities: .all)
        index = try CaseIndex.build(subjectIDs: ids, vectors: ids.map { vectors[$0]! }, encoderHash: encoder.weightsHash,
                                    modalities: ["t1", "fa", "clinical"], directory: directory + "/index")
        prompt = try PromptTemplate.load(directory: Fixtures.repositoryRoot + "/Prompts/v1")
    }

    func pipeline() throws -> AnswerPipeline {
        try AnswerPipeline(store: store, encoder: encoder, index: index, reranker: nil, prompt: prompt)
    }

    var testCaseIDs: [String] { (try? store.subjectIDs(split: .test)) ?? [] }
    var trainCaseIDs: [String] { (try? store.subjectIDs(split: .train)) ?? [] }
}
