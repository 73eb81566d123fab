import Application
import Cohort
import Foundation
import Store
import Testing
import TestSupport

/// The case list filters over ids (and captions for a search) and reads whole rows only for its page.
@Suite struct CaseCatalogTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func catalog(count: Int) throws -> (CaseCatalog, [StoredCase]) {
        let store = try CaseStore(path: folder.file("m.sqlite"), access: .create)
        let cases = (0..<count).map { (n: Int) -> StoredCase in
            let record = CaseRecord(subjectID: String(format: "S%04d", n), diagnosis: Diagnosis.allCases[n % 3], mmse: Double(20 + n % 10))
            return StoredCase(record: record, split: n % 4 == 0 ? .test : .train, measures: ImageMeasures(),
                              caption: n % 7 == 0 ? "Carries two APOE ε4 alleles." : "No ε4 allele.")
        }
        try store.replaceCohort(cases, source: "t", splitSeed: 1)
        return (CaseCatalog(store: store), cases)
    }

    @Test func filtersCountBeforePagingAndPagesInIdOrder() throws {
        let (catalog, cases) = try catalog(count: 90)
        let wanted = cases.filter { $0.split == .train && $0.record.diagnosis == .mci }.map(\.id)
        let first = try catalog.list(.init(split: .train, diagnosis: .mci, limit: 10))
        #expect(first.total == wanted.count && first.cases.map(\.id) == Array(wanted.prefix(10)))
        let second = try catalog.list(.init(split: .train, diagnosis: .mci, limit: 10, offset: 10))
        #expect(second.cases.map(\.id) == Array(wanted.dropFirst(10).prefix(10)))
        #expect(second.cases.first?.mmse == cases.first { $0.id == wanted[10] }?.record.mmse)
        // A search matches the caption, case-insensitively beyond ASCII, or the id.
        let twoAlleles = cases.filter { $0.caption.hasPrefix("Carries") }.map(\.id)
        #expect(try catalog.list(.init(search: "TWO APOE Ε4", limit: 1000)).cases.map(\.id) == twoAlleles)
        #expect(try catalog.list(.init(search: "s0042", limit: 5)).cases.map(\.id) == ["S0042"])
        #expect(try catalog.list(.init(offset: 1000)).cases.isEmpty)
    }
}
