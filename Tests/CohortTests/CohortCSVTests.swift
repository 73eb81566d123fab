import Cohort
import Foundation
import Testing
import TestSupport

@Suite struct CohortCSVTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    static let header = "PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH"

    func csv(_ rows: [String], header: String = CohortCSVTests.header) throws -> String {
        let path = dir + "/c.csv"
        try ([header] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func readsTheFixtureCohortWithPathsResolved() throws {
        let records = try CohortCSV.read(path: Fixtures.path("cohort/cohort.csv"))
        #expect(records.count == 6)
        #expect(records.map(\.diagnosis) == [.cn, .cn, .mci, .mci, .dementia, .dementia])
        let first = records[0]
        #expect(first.apoe == APOEGenotype(3, 3) && first.sex == .female && first.mmse == 30 && first.adas11 == 5.33)
        #expect(first.t1Path == Fixtures.path("cohort/images/941_S_0001_t1.nii.gz"))
        #expect(records[1].faPath == nil)
        #expect(records[5].mmse == nil && records[5].apoe == nil && records[5].moca == nil)
    }

    /// A table named by a relative path stores absolute image paths, so the store opens its volumes from any folder.
    @Test func imagePathsOfATableNamedRelativelyAreAbsolute() throws {
        let text = try String(contentsOfFile: Fixtures.path("cohort/cohort.csv"), encoding: .utf8)
        let records = try CohortCSV.parse(text, path: "some/folder/cohort.csv")
        let cwd = FileManager.default.currentDirectoryPath
        #expect(records[0].t1Path == cwd + "/some/folder/images/941_S_0001_t1.nii.gz")
        #expect(try CohortCSV.parse(text, path: "cohort.csv")[0].t1Path == cwd + "/images/941_S_0001_t1.nii.gz")
    }

    @Test func missingColumnsAreNamed() throws {
        let path = try csv(["S1,CN,70,F,16,29,0,5,8,27,3/3,,"], header: "PTID,DX,AGE,PTGENDER,PTEDUCAT,CDRSB,ADAS11,ADAS13,APOE_GENOTYPE,T1_PATH,FA_PATH")
        #expect(throws: CohortError.missingColumns(file: "c.csv", columns: ["MMSE", "MOCA"])) { try CohortCSV.read(path: path) }
    }

    @Test(arguments: [
        ("S1,CN,70,F,16,31,0,5,8,27,3/3,,", "MMSE", "outside the valid MMSE range 0–30"),
        ("S1,XX,70,F,16,29,0,5,8,27,3/3,,", "DX", "not a diagnosis"),
        ("S1,CN,70,F,16,29,-1,5,8,27,3/3,,", "CDRSB", "outside the valid CDR-SB range"),
        ("S1,CN,70,F,16,29,0,5,8,27,3/5,,", "APOE_GENOTYPE", "not an APOE genotype"),
        ("S1,CN,70,Q,16,29,0,5,8,27,3/3,,", "PTGENDER", "not a sex"),
        ("S1,CN,70,F,16,nan,0,5,8,27,3/3,,", "MMSE", "not finite"),
        ("S1,CN,70,F,16,29,0,12,8,27,3/3,,", "ADAS13", "below ADAS11"),
        (",CN,70,F,16,29,0,5,8,27,3/3,,", "PTID", "is empty"),
    ])
    func badValuesNameRowAndField(row: String, field: String, reason: String) throws {
        let path = try csv(["S0,CN,70,F,16,29,0,5,8,27,3/3,,", row])
        #expect { try CohortCSV.read(path: path) } throws: { error in
            guard case let CohortError.invalidValue(file, rowNumber, f, _, why) = error else { return false }
            return file == "c.csv" && rowNumber == 3 && f == field && why.contains(reason)
        }
    }

    @Test func duplicateIDsPointAtBothRows() throws {
        let path = try csv(["S1,CN,70,F,16,29,0,5,8,27,3/3,,", "S2,MCI,70,F,16,29,0,5,8,27,3/3,,", "S1,CN,71,F,16,29,0,5,8,27,3/3,,"])
        #expect(throws: CohortError.duplicateSubject(file: "c.csv", row: 4, subjectID: "S1", firstRow: 2)) { try CohortCSV.read(path: path) }
    }

    @Test func writeThenReadRoundTrips() throws {
        let records = try CohortCSV.read(path: Fixtures.path("cohort/cohort.csv"))
        try CohortCSV.write(records, path: dir + "/copy.csv", relativeTo: Fixtures.path("cohort"))
        #expect(try CohortCSV.read(path: dir + "/copy.csv").map(\.subjectID) == records.map(\.subjectID))
        let text = try String(contentsOfFile: dir + "/copy.csv", encoding: .utf8)
        #expect(text.contains("images/941_S_0001_t1.nii.gz"))
    }

    @Test func genotypeAndDiagnosisSpellings() {
        #expect(APOEGenotype(parsing: "ε4/ε3") == APOEGenotype(3, 4))
        #expect(APOEGenotype(parsing: "E2E4")?.e4Count == 1)
        #expect(APOEGenotype(parsing: "44")?.e4Count == 2)
        #expect(APOEGenotype(parsing: "3/x") == nil)
        #expect(Diagnosis(parsing: "AD") == .dementia && Diagnosis(parsing: "LMCI") == .mci && Diagnosis(parsing: "NL") == .cn)
    }
}
