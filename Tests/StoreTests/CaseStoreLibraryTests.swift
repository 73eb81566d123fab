import Cohort
import Foundation
@_spi(Testing) @testable import Store
import Testing
import TestSupport

/// The ask path's narrow reads: the candidates' rows by id and the training split's measures, checked as the
/// full rows are.
@Suite struct CaseStoreLibraryTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func store(count: Int) throws -> (CaseStore, [StoredCase]) {
        let store = try CaseStore(path: folder.file("m.sqlite"), access: .create)
        let cases = (0..<count).map { (n: Int) -> StoredCase in
            let adas13: Double? = n % 4 == 0 ? nil : Double(n % 40)
            let record = CaseRecord(subjectID: String(format: "S%06d", n), diagnosis: Diagnosis.allCases[n % 3],
                                    mmse: Double(18 + n % 12), adas13: adas13)
            let measures = ImageMeasures(brainParenchymalFraction: 0.7 + Double(n % 10) / 100)
            return StoredCase(record: record, split: n % 5 == 0 ? .test : .train, measures: measures, caption: "case \(n)")
        }
        try store.replaceCohort(cases, source: "t", splitSeed: 1)
        return (store, cases)
    }

    @Test func candidatesAreReadByIdAcrossQueryChunks() throws {
        let (store, cases) = try store(count: CaseStore.idsPerQuery + 120)
        let wanted = cases.map { $0.id }.shuffled() + ["nobody"] + [cases[3].id]
        let rows = try store.storedCases(ids: wanted)
        #expect(rows.count == cases.count && rows["nobody"] == nil)
        for c in cases { #expect(rows[c.id] == c) }
    }

    @Test func measureRowsAreTheSplitsValues() throws {
        let (store, cases) = try store(count: 40)
        let train = cases.filter { $0.split == .train }
        let rows = try store.measureRows(split: .train)
        #expect(rows == train.map {
            MeasureRow(diagnosis: $0.record.diagnosis, mmse: $0.record.mmse, adas13: $0.record.adas13,
                       brainParenchymalFraction: $0.measures.brainParenchymalFraction)
        })
    }

    @Test func aTamperedMeasureNamesItsRowAndColumn() throws {
        let (store, cases) = try store(count: 10)
        let id = cases[1].id
        // Another tool's edit: the schema's own CHECKs are what it would bypass.
        try store.executeForTesting("PRAGMA ignore_check_constraints = ON")
        try store.executeForTesting("UPDATE subjects SET mmse = 99 WHERE id = '\(id)'")
        #expect { _ = try store.measureRows(split: .train) } throws: { "\($0)".contains(id) && "\($0)".contains("mmse") }
        for (column, value) in [("mmse", "'x'"), ("diagnosis", "'AD'")] {
            try store.executeForTesting("UPDATE subjects SET mmse = 25, diagnosis = 'MCI' WHERE id = '\(id)'")
            _ = try store.measureRows(split: .train)
            try store.executeForTesting("UPDATE subjects SET \(column) = \(value) WHERE id = '\(id)'")
            #expect { _ = try store.measureRows(split: .train) } throws: { "\($0)".contains(id) && "\($0)".contains(column) }
            #expect { _ = try store.storedCases(ids: [id]) } throws: { "\($0)".contains(id) && "\($0)".contains(column) }
        }
    }
}
