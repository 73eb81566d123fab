@testable import Answering
import Cohort
import Testing

/// Memoir's reading: the vote and the encoder's estimate averaged; what v4's diagnosis field may say and what
/// the evidence-only answer states.
@Suite struct EvidenceReadingTests {
    static func evidence(vote: [String: Double], encoder: [String: Double]?) -> Evidence {
        let leading = Diagnosis.allCases.max { (vote[$0.rawValue] ?? 0) < (vote[$1.rawValue] ?? 0) }!
        let heads = encoder.map { p in
            Evidence.EncoderHeads(probabilities: p, predicted: Diagnosis.allCases.max { (p[$0.rawValue] ?? 0) < (p[$1.rawValue] ?? 0) }!,
                                  cdrsb: 2.5, cdrsbTestError: 1.1, modalities: "t1+fa+clinical")
        }
        return Evidence(caseID: "941_S_0009", demographics: "74-year-old woman", readings: [], apoe: nil, neighbours: [],
                        vote: .init(shares: vote, counts: [:], leading: leading), encoder: heads, notes: [], courses: nil)
    }

    @Test func theReadingAveragesTheVoteAndTheEstimate() {
        // The demo case 158_S_0163: 4 of 5 neighbours Dementia (87%), the encoder MCI 55%.
        let demo = Self.evidence(vote: ["CN": 0, "MCI": 0.13, "Dementia": 0.87], encoder: ["CN": 0.05, "MCI": 0.55, "Dementia": 0.40])
        #expect(demo.reading == .dementia)
        #expect(abs((demo.readingShares["Dementia"] ?? 0) - 0.635) < 1e-9)
        #expect(demo.promptText.contains("MEMOIR'S READING (the vote and the estimate averaged): CN 3%, MCI 34%, Dementia 64%; leading: Dementia."))
        // An average can lead with a group that neither source leads with; the verifier accepts it.
        let third = Self.evidence(vote: ["CN": 0.40, "MCI": 0.35, "Dementia": 0.25], encoder: ["CN": 0.22, "MCI": 0.38, "Dementia": 0.40])
        #expect(third.reading == .mci && third.vote.leading == .cn && third.encoder?.predicted == .dementia)
        // A tie goes to the vote's leader; no estimate: the vote.
        let tie = Self.evidence(vote: ["CN": 0.6, "MCI": 0.4], encoder: ["CN": 0.4, "MCI": 0.6])
        #expect(tie.reading == .cn)
        let voteOnly = Self.evidence(vote: ["MCI": 0.7, "Dementia": 0.3], encoder: nil)
        #expect(voteOnly.reading == .mci && !voteOnly.promptText.contains("MEMOIR'S READING"))
    }

    @Test func theEvidenceOnlyAnswerStatesTheReading() throws {
        let demo = Self.evidence(vote: ["CN": 0, "MCI": 0.55, "Dementia": 0.45], encoder: ["CN": 0.05, "MCI": 0.15, "Dementia": 0.80])
        let answer = EvidenceAnswer.answer(demo, kind: .diagnosis)
        #expect(answer.diagnosis == .dementia)
        #expect(answer.answer.hasPrefix("The most likely diagnosis is Dementia (63% with the vote and the estimate averaged)."))
        #expect(try AnswerParser.diagnosis(inProse: answer.answer, excerpt: "") == .dementia)
    }
}
