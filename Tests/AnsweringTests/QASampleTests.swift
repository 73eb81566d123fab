import Answering
import Application
import Cohort
import Evaluation
import Foundation
import FusedEncoder
import Retrieval
import Store
import Testing
import TestSupport

/// The committed QA sample is what `memoir qa build` writes for the fixture cohort (Fixtures/qa/README.md),
/// similar-case references from the context retrieval gives.
@Suite struct QASampleTests {
    @Test func builderReproducesTheCommittedSample() throws {
        let folder = try TemporaryFolder()
        let store = try CaseStore.inMemory()
        let imported = try CohortImporter(splitSeed: 2363).read(csvPath: Fixtures.path("cohort/cohort.csv"))
        try store.replaceCohort(imported.cases, source: imported.source, splitSeed: imported.splitSeed)
        let encoder = try FusedEncoder(directory: Fixtures.path("encoder/model"))
        _ = try IndexBuilder(store: store, encoder: encoder, reranker: nil).build(directory: folder.file("index"), modalities: .clinical)
        let template = try PromptTemplate.load(directory: Fixtures.repositoryRoot + "/Prompts/v2")
        let service = AskService(pipeline: try AnswerPipeline(store: store, embedder: CachedCaseEmbedder(encoder: encoder, store: store),
                                                              index: try CaseIndex(directory: folder.file("index")), reranker: nil,
                                                              prompt: template, predictor: encoder))
        let items = try QASetBuilder(seed: 1).build(store: store, split: .test) {
            try service.contextNeighbours(caseID: $0, question: $1, modalities: .clinical)
        }
        let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("qa/sample.jsonl")))
        #expect(try QASet.jsonLines(items) == committed)
        #expect(Set(items.map(\.caseID)) == Set(try store.subjectIDs(split: .test)))
        for item in items where item.category == .diagnosis {
            let record = try store.storedCase(item.caseID).record
            #expect(item.expectedDiagnosis == record.diagnosis)
            #expect(item.reference.contains(record.diagnosis.longName))
        }
        for item in items where item.category == .similarCases {
            #expect(item.source.hasPrefix("record+retrieved-context"))
            #expect(!item.reference.contains("CDR"))
        }
    }
}
