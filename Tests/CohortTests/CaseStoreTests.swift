import Cohort
import Foundation
import Imaging
import Testing
import TestSupport

@Suite struct CaseStoreTests {
    let dir: String
    init() throws { dir = try Fixtures.temporaryDirectory() }

    @Test func ingestStoresCasesCaptionsAndSplitAndIsIdempotent() throws {
        let store = try CaseStore(path: dir + "/m.sqlite")
        let summary = try CohortImporter().ingest(csvPath: Fixtures.path("cohort/cohort.csv"), into: store)
        #expect(summary.subjects == 6 && summary.withT1 == 6 && summary.withFA == 3)
        #expect(summary.test == 3 && summary.train == 3) // ⌈0.2·2⌉ = 1 test subject per diagnosis
        let first = try store.allCases()
        let c = try store.storedCase("941_S_0003")
        #expect(c.record.diagnosis == .mci)
        #expect(c.caption.contains("MMSE is 27 of 30.") && c.caption.contains("Carries one APOE ε4 allele (ε3/ε4)."))
        #expect(c.caption.contains("MoCA was not recorded."))
        #expect(c.caption.contains("DTI mean white-matter FA is 0.48"))
        // Larger phantom ventricles → lower brain parenchymal fraction.
        let bpf = try ["941_S_0001", "941_S_0006"].map { try #require(store.storedCase($0).measures.brainParenchymalFraction) }
        #expect(bpf[0] > bpf[1])
        _ = try CohortImporter().ingest(csvPath: Fixtures.path("cohort/cohort.csv"), into: store)
        #expect(try store.allCases() == first)
    }

    @Test func queryCaptionHidesTheDiagnosis() throws {
        let r = try CohortCSV.read(path: Fixtures.path("cohort/cohort.csv"))[4]
        let full = CaptionWriter.caption(r, measures: ImageMeasures())
        let query = CaptionWriter.caption(r, measures: ImageMeasures(), includeDiagnosis: false)
        #expect(full.contains("Diagnosis: dementia (Dementia)."))
        #expect(!query.lowercased().contains("dementia"))
    }

    @Test func unknownCaseIsAClearError() throws {
        let store = try CaseStore(path: dir + "/m.sqlite")
        #expect(throws: CohortError.unknownCase("nope")) { try store.storedCase("nope") }
    }

    @Test func aBadVolumeAbortsTheIngestAndLeavesTheStoreUntouched() throws {
        let store = try CaseStore(path: dir + "/m.sqlite")
        _ = try CohortImporter().ingest(csvPath: Fixtures.path("cohort/cohort.csv"), into: store)
        let before = try store.allCases()
        // A copy of the cohort where one T1 is truncated and the other rows changed.
        let copy = dir + "/cohort"
        try FileManager.default.copyItem(atPath: Fixtures.path("cohort"), toPath: copy)
        let broken = copy + "/images/941_S_0004_t1.nii.gz"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: broken))
        try bytes.prefix(bytes.count / 3).write(to: URL(fileURLWithPath: broken))
        var text = try String(contentsOfFile: copy + "/cohort.csv", encoding: .utf8)
        text = text.replacingOccurrences(of: "941_S_0001,CN,72.5", with: "941_S_0001,CN,73.5")
        try text.write(toFile: copy + "/cohort.csv", atomically: true, encoding: .utf8)
        #expect { try CohortImporter().ingest(csvPath: copy + "/cohort.csv", into: store) } throws: { error in
            guard case let CohortError.image(_, row, field, reason) = error else { return false }
            return row == 5 && field == "T1_PATH" && reason.contains("941_S_0004_t1.nii.gz")
        }
        #expect(try store.allCases() == before)
    }

    @Test func wrongGridVolumeIsRefusedWithItsRow() throws {
        let copy = dir + "/cohort"
        try FileManager.default.copyItem(atPath: Fixtures.path("cohort"), toPath: copy)
        let far = VolumeGrid(shape: (10, 10, 10), affine: .diagonal((2, 2, 2), origin: (4000, 0, 0)))
        try NIfTIVolume(grid: far, voxels: [Float](repeating: 5, count: 1000)).write(path: copy + "/images/941_S_0002_t1.nii.gz")
        let store = try CaseStore(path: dir + "/m.sqlite")
        #expect { try CohortImporter().ingest(csvPath: copy + "/cohort.csv", into: store) } throws: { error in
            guard case let CohortError.image(_, row, "T1_PATH", reason) = error else { return false }
            return row == 3 && reason.contains("MNI")
        }
        #expect(try store.count() == 0)
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
