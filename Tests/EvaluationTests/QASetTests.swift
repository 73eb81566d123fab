import Answering
import Cohort
import Evaluation
import Foundation
import Numerics
import Store
import Testing
import TestSupport

@Suite struct QASetTests {
    @Test func builderSkipsFactsThatAreNotRecorded() throws {
        let bare = StoredCase(record: CaseRecord(subjectID: "S1", diagnosis: .mci), split: .test, measures: ImageMeasures(), caption: "")
        let items = try QASetBuilder(seed: 3).build(cases: [bare], library: [], neighbours: { _, _ in [] })
        #expect(items.map(\.category) == [.diagnosis])
        #expect(items[0].reference.hasPrefix("The most likely diagnosis is mild cognitive impairment (MCI)."))
    }

    /// The LLM sees the MMSE and MoCA with their bands, never CDR-SB: severity is asked from those bands only.
    @Test func severityUsesTheMMSEAndMoCABands() throws {
        func items(_ record: CaseRecord) throws -> [QAItem] {
            try QASetBuilder().build(cases: [StoredCase(record: record, split: .test, measures: ImageMeasures(), caption: "")], library: [])
        }
        let severity = try items(CaseRecord(subjectID: "S2", diagnosis: .dementia, mmse: 20, cdrsb: 10, moca: 18)).first { $0.category == .severity }
        #expect(severity?.reference == "MMSE is 20 of 30; 10–20: the moderate-impairment band (NICE TA217). "
            + "MoCA is 18 of 30; below 26: impaired (Nasreddine et al. 2005).")
        #expect(severity.map { QuestionKind.classify($0.question) } == .severity)
        let cdrOnly = try items(CaseRecord(subjectID: "S3", diagnosis: .dementia, cdrsb: 10))
        #expect(!cdrOnly.contains { $0.category == .severity })
        #expect(!cdrOnly.contains { $0.reference.contains("CDR") })
    }

    @Test func similarCasesComeFromTheRetrievedContext() throws {
        func stored(_ id: String, _ d: Diagnosis, mmse: Double) -> StoredCase {
            StoredCase(record: CaseRecord(subjectID: id, diagnosis: d, mmse: mmse, cdrsb: 30 - mmse, moca: mmse - 4),
                       split: .train, measures: ImageMeasures(), caption: "")
        }
        let library = [stored("A", .dementia, mmse: 20), stored("B", .dementia, mmse: 21), stored("C", .cn, mmse: 30), stored("D", .cn, mmse: 29)]
        let query = stored("Q", .dementia, mmse: 20.5)
        // Retrieval's choice, not the nearest by scores: C and A.
        let asked = Locked<[String]>([])
        let items = try QASetBuilder().build(cases: [query], library: library) { caseID, question in
            asked.withLock { $0.append(caseID + ": " + question) }
            return ["C", "A", "unknown"]
        }
        let item = try #require(items.first { $0.category == .similarCases })
        #expect(asked.withLock { $0 } == ["Q: " + item.question])
        #expect(item.source == "record+retrieved-context(k=2)")
        #expect(item.reference == "Of the 2 most similar subjects, 1 is cognitively normal (CN) and 1 has dementia. "
            + "Their MMSE ranges from 20 to 30; this case's 20.5 is within it. Their MoCA ranges from 16 to 26; this case's 16.5 is within it.")
        #expect(try QASetBuilder().build(cases: [query], library: library).allSatisfy { $0.category != .similarCases })
    }

    @Test func loaderReportsEveryBadLine() throws {
        let folder = try TemporaryFolder(), dir = folder.path
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
