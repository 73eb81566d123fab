import Answering
import Cohort
import Foundation
import Testing
import TestSupport

/// The reranker and the text projection are trained on Python's query descriptions
/// (Training/memoir_encoder/captions.py) and used with Swift's `QueryDescription`: the two must agree.
/// Fixtures/query/captions.json holds Swift's full captions of 60 synthetic cases (some with image measures,
/// some with missing scores); descriptions.json is what the Python function makes of each
/// (Fixtures/query/make_goldens.py). MEMOIR_UPDATE_QUERY_GOLDENS=1 rewrites captions.json.
@Suite struct QueryDescriptionParityTests {
    /// Cases covering every caption sentence: images or not, missing scores, each diagnosis.
    static func cases() -> [StoredCase] {
        SyntheticCohortGenerator(subjects: 60, seed: 17, writeImages: false).drawSubjects().enumerated().map { n, subject in
            var record = subject.record
            var measures = ImageMeasures()
            if n % 3 != 0 { record.t1Path = "t1.nii.gz"; measures.brainParenchymalFraction = 0.70 + Double(n % 10) / 100 }
            if n % 2 == 0 { record.faPath = "fa.nii.gz"; measures.whiteMatterFA = 0.40 + Double(n % 7) / 100 }
            if n % 5 == 0 { record.mmse = nil; record.cdrsb = nil }
            if n % 7 == 0 { record.apoe = nil; record.moca = nil }
            return StoredCase(record: record, split: .train, measures: measures, caption: CaptionWriter.caption(record, measures: measures))
        }
    }

    @Test func swiftAndPythonDescribeTheQueryCaseAlike() throws {
        let cases = Self.cases()
        let captionsPath = Fixtures.path("query/captions.json")
        if ProcessInfo.processInfo.environment["MEMOIR_UPDATE_QUERY_GOLDENS"] == "1" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes]
            try encoder.encode(cases.map(\.caption)).write(to: URL(fileURLWithPath: captionsPath))
        }
        let captions = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: captionsPath)))
        #expect(captions == cases.map(\.caption), "CaptionWriter changed: rerun with MEMOIR_UPDATE_QUERY_GOLDENS=1, then make_goldens.py")
        let python = try JSONDecoder().decode([String].self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("query/descriptions.json"))))
        try #require(python.count == cases.count)
        for (c, expected) in zip(cases, python) {
            let swift = QueryDescription.text(for: c, modalities: .all)
            #expect(swift == expected, "\(c.id)")
            #expect(!swift.contains("CDR-SB") && !swift.contains("Diagnosis:"))
        }
    }
}
