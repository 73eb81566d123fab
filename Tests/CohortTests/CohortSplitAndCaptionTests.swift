import Cohort
import Foundation
import Testing
import TestSupport

@Suite struct CohortSplitAndCaptionTests {
    @Test func queryCaptionHidesTheDiagnosis() throws {
        let r = try CohortCSV.read(path: Fixtures.path("cohort/cohort.csv"))[4]
        let full = CaptionWriter.caption(r, measures: ImageMeasures())
        let query = CaptionWriter.caption(r, measures: ImageMeasures(), includeDiagnosis: false)
        #expect(full.contains("Diagnosis: dementia (Dementia)."))
        #expect(!query.lowercased().contains("dementia"))
    }

    @Test func stratifiedSplitMatchesMemoirShape() {
        let generator = SyntheticCohortGenerator(subjects: 2363, seed: 1, writeImages: false)
        let records = generator.drawSubjects().map(\.record)
        let split = StratifiedSplit.assign(records, seed: 2363)
        #expect(split.values.filter { $0 == .test }.count == 474)
        for d in Diagnosis.allCases {
            let group = records.filter { $0.diagnosis == d }
            let test = group.filter { split[$0.subjectID] == .test }.count
            #expect(test == Int((Double(group.count) * 0.2).rounded(.up)))
        }
        #expect(StratifiedSplit.assign(records, seed: 2363) == split)
        #expect(StratifiedSplit.assign(records, seed: 1) != split)
    }
}
