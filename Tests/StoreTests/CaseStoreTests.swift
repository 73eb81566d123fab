import Cohort
import Foundation
import Imaging
@testable import Store
import Testing
import TestSupport

@Suite struct CaseStoreTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    @Test func ingestStoresCasesCaptionsAndSplitAndIsIdempotent() throws {
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        let summary = try store.ingest(Fixtures.path("cohort/cohort.csv"))
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
        _ = try store.ingest(Fixtures.path("cohort/cohort.csv"))
        #expect(try store.allCases() == first)
    }

    @Test func unknownCaseIsAClearError() throws {
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        #expect(throws: StoreError.unknownCase("nope")) { try store.storedCase("nope") }
    }

    @Test func aBadVolumeAbortsTheIngestAndLeavesTheStoreUntouched() throws {
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        _ = try store.ingest(Fixtures.path("cohort/cohort.csv"))
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
        #expect { try store.ingest(copy + "/cohort.csv") } throws: { error in
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
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        #expect { try store.ingest(copy + "/cohort.csv") } throws: { error in
            guard case let CohortError.image(_, row, "T1_PATH", reason) = error else { return false }
            return row == 3 && reason.contains("MNI")
        }
        #expect(try store.count() == 0)
    }

}

extension CaseStore {
    /// Reads and stores a cohort CSV as `memoir ingest` does.
    @discardableResult
    func ingest(_ csv: String) throws -> CohortImporter.Summary {
        let imported = try CohortImporter().read(csvPath: csv)
        try replaceCohort(imported.cases, source: imported.source, splitSeed: imported.splitSeed)
        return imported.summary
    }
}
