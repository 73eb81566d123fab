import Cohort
import Evaluation
import Foundation
import Store
import Testing
import TestSupport

@Suite struct QASetTests {
    /// The fixture cohort ingested into a fresh store (split seed 2363, the ingest default).
    static func fixtureStore() throws -> (CaseStore, String) {
        let dir = try Fixtures.temporaryDirectory()
        let store = try CaseStore.inMemory()
        let imported = try CohortImporter(splitSeed: 2363).read(csvPath: Fixtures.path("cohort/cohort.csv"))
        try store.replaceCohort(imported.cases, source: imported.source, splitSeed: imported.splitSeed)
        return (store, dir)
    }

    @Test func builderReproducesTheCommittedSample() throws {
        let (store, dir) = try Self.fixtureStore()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let items = try QASetBuilder(seed: 1).build(store: store, split: .test)
        let committed = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("qa/sample.jsonl")))
        #expect(try QASet.jsonLines(items) == committed)
        let testIDs = Set(try store.subjectIDs(split: .test))
        #expect(Set(items.map(\.caseID)) == testIDs)
        for item in items where item.category == .diagnosis {
            let record = try store.storedCase(item.caseID).record
            #expect(item.expectedDiagnosis == record.diagnosis)
            #expect(item.reference.contains(record.diagnosis.longName))
        }
    }

    @Test func builderSkipsFactsThatAreNotRecorded() {
        let bare = StoredCase(record: CaseRecord(subjectID: "S1", diagnosis: .mci), split: .test, measures: ImageMeasures(), caption: "")
        let items = QASetBuilder(seed: 3).build(cases: [bare], library: [])
        #expect(items.map(\.category) == [.diagnosis])
        #expect(items[0].reference.hasPrefix("The most likely diagnosis is mild cognitive impairment (MCI)."))
    }

    @Test func severityUsesCDRSBStages() {
        let record = CaseRecord(subjectID: "S2", diagnosis: .dementia, mmse: 20, cdrsb: 10)
        let items = QASetBuilder().build(cases: [StoredCase(record: record, split: .test, measures: ImageMeasures(), caption: "")], library: [])
        let severity = items.first { $0.category == .severity }
        #expect(severity?.reference == "CDR-SB is 10 of 18, which indicates moderate dementia (9.5 to 15.5).")
    }

    @Test func similarCasesComeFromTheNearestTrainingSubjects() {
        func stored(_ id: String, _ d: Diagnosis, mmse: Double, cdrsb: Double) -> StoredCase {
            StoredCase(record: CaseRecord(subjectID: id, diagnosis: d, mmse: mmse, cdrsb: cdrsb, moca: mmse - 4),
                       split: .train, measures: ImageMeasures(), caption: "")
        }
        let library = [stored("A", .dementia, mmse: 20, cdrsb: 6), stored("B", .dementia, mmse: 21, cdrsb: 5),
                       stored("C", .cn, mmse: 30, cdrsb: 0), stored("D", .cn, mmse: 29, cdrsb: 0)]
        var builder = QASetBuilder()
        builder.neighbourCount = 2
        let query = stored("Q", .dementia, mmse: 20.5, cdrsb: 5.5)
        let item = builder.build(cases: [query], library: library).first { $0.category == .similarCases }
        #expect(item?.reference == "Of the 2 most similar subjects, 2 have dementia. Their MMSE ranges from 20 to 21; this case's 20.5 is within it. "
            + "Their CDR-SB ranges from 5 to 6; this case's 5.5 is within it. Most similar cases share this case's diagnosis, dementia.")
    }

    @Test func loaderReportsEveryBadLine() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = #"{"id":"a","case_id":"S1","question":"Q?","reference":"R.","category":"apoe","source":"record"}"#
        let lines = [
            good,
            #"{"id":"b","case_id":"S1","reference":"R.","category":"apoe","source":"record"}"#,
            "not json",
            "",
            #"{"id":"c","case_id":"S9","question":"Q?","reference":"R.","category":"apoe","source":"record"}"#,
            good,
            #"{"id":"d","case_id":"S1","question":"Q?","reference":"R.","category":"diagnosis","source":"record"}"#,
            #"{"id":"e","case_id":"S1","question":"Q?","reference":" ","category":"apoe","source":"record"}"#,
            #"{"id":"f","case_id":"S1","question":"Q?","reference":"R.","category":"weather","source":"record"}"#,
            #"{"id":"g","case_id":"S1","question":"Q?","reference":"R.","category":"diagnosis","expected_diagnosis":"AD?","source":"record"}"#,
            #"{"id":"h","case_id":"S1","question":"Q?","reference":"R.","category":"diagnosis","expected_diagnosis":"MCI","source":"record"}"#,
        ]
        let path = dir + "/qa.jsonl"
        // CRLF line ends, as a file saved on Windows would have.
        try lines.joined(separator: "\r\n").write(toFile: path, atomically: true, encoding: .utf8)
        let set = try QASet.load(path: path, knownCaseIDs: ["S1"])
        #expect(set.items.map(\.id) == ["a", "h"])
        #expect(set.items[1].expectedDiagnosis == .mci)
        #expect(set.problems.map(\.line) == [2, 3, 5, 6, 7, 8, 9, 10])
        #expect(set.problems[0].reason == "missing field 'question'")
        #expect(set.problems[1].reason == "not a JSON object")
        #expect(set.problems[2].reason == "unknown case id 'S9'")
        #expect(set.problems[3].reason == "duplicate id 'a' (first on line 1)")
        #expect(set.problems[4].reason == "diagnosis question without 'expected_diagnosis'")
        #expect(set.problems[5].reason == "field 'reference' is empty")
        #expect(set.problems[6].reason.hasPrefix("unknown category 'weather'"))
        #expect(set.problems[7].reason.contains("is not CN, MCI or Dementia"))
        #expect(set.summary.contains("2 questions, 8 bad lines"))
        #expect(set.sha256.count == 64)
        // Without a store, the unknown case id is no longer a problem.
        #expect(try QASet.load(path: path, knownCaseIDs: nil).items.map(\.id) == ["a", "c", "h"])
    }

    @Test func unreadableFileIsAnError() {
        #expect { try QASet.load(path: "/nonexistent/qa.jsonl", knownCaseIDs: nil) } throws: {
            "\($0)".contains("/nonexistent/qa.jsonl")
        }
    }
}
