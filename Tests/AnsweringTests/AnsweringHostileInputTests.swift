@testable import Answering
import Cohort
import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Issue #15: numbers an edited store or a broken model could hand the evidence text never trap (age 1e300 did, in
/// `Int(age.rounded())`), and prompt files are read only when regular and small.
@Suite struct AnsweringHostileInputTests {
    @Test func absurdNumbersAreFormattedNotTrapped() {
        #expect(EvidenceBuilder.whole(78.4) == "78" && EvidenceBuilder.number(24) == "24" && EvidenceBuilder.number(1.25) == "1.25")
        #expect(EvidenceBuilder.percent(0.426) == "43")
        for value in [1e300, -1e300, 9.3e18, .infinity, -.infinity, .nan] {
            for text in [EvidenceBuilder.whole(value), EvidenceBuilder.number(value), EvidenceBuilder.percent(value)] {
                #expect(text.count < 16, "\(value) → \(text)")
            }
        }
        #expect(EvidenceBuilder.whole(1e300) == "1e+300")
    }

    @Test func evidenceTextOfAnAbsurdRecordIsBuilt() {
        let record = CaseRecord(subjectID: "S1", diagnosis: .mci, age: 1e300, sex: .female, education: .nan, mmse: 1e300)
        #expect(EvidenceBuilder.demographics(record) == "1e+300-year-old woman, nan years of education")
        let e = Evidence(caseID: "S1", demographics: "x", readings: [], apoe: nil,
                         neighbours: [.init(rank: 1, subjectID: "S2", diagnosis: .cn, similarity: .nan, age: 1e300, mmse: -1e300, moca: .infinity,
                                            adas13: nil, apoeE4: nil)],
                         vote: .init(shares: ["CN": .nan], counts: ["CN": 1], leading: .cn),
                         encoder: .init(probabilities: ["CN": .infinity], predicted: .cn, cdrsb: 1e300, cdrsbTestError: 1e300, modalities: "clinical"),
                         notes: [])
        #expect(e.promptText.contains("age 1e+300"))
        #expect(EvidenceAnswer.answer(e, kind: .diagnosis).answer.contains("inf%"))
    }

    @Test func promptFilesMustBeRegularAndSmall() throws {
        let folder = try TemporaryFolder()
        try "sys".write(toFile: folder.file("system.md"), atomically: true, encoding: .utf8)
        try #"{"type": "object"}"#.write(toFile: folder.file("answer.schema.json"), atomically: true, encoding: .utf8)
        #expect(mkfifo(folder.file("user.md"), 0o600) == 0)
        #expect(throws: PromptError.unreadable(path: folder.file("user.md"), reason: "is a FIFO (named pipe), not a regular file")) {
            _ = try PromptTemplate.load(directory: folder.path)
        }
        try FileManager.default.removeItem(atPath: folder.file("user.md"))
        try Data(count: PromptTemplate.maximumFileBytes + 1).write(to: URL(fileURLWithPath: folder.file("user.md")))
        #expect { _ = try PromptTemplate.load(directory: folder.path) } throws: { "\($0)".contains("user.md cannot be read") && "\($0)".contains("limit") }
    }
}
