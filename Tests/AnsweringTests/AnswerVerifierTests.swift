import Answering
import Cohort
import Testing
import TestSupport

/// The verifier on crafted replies: each fault is caught and named, and a faithful answer passes.
@Suite struct AnswerVerifierTests {
    static let ids = ["941_S_0001", "941_S_0002", "941_S_0003", "941_S_0004", "941_S_0005"]
    static let evidence = """
        CASE UNDER REVIEW: 74-year-old woman, 16 years of education.
        - MMSE 24/30 (21–26: the mild-impairment band (NICE TA217)); percentile among library CN 3, MCI 41, Dementia 88
        - brain parenchymal fraction 0.742
        ENCODER ESTIMATE (a model's prediction from t1+clinical, not a record): CN 5%, MCI 61%, Dementia 34%; CDR-SB 2.1 (typical error ±1.1).
        [1] 941_S_0001: recorded diagnosis MCI, similarity 0.921, age 72, MMSE 25
        NEIGHBOURS' VOTE (weighted by similarity): CN 0% (0 of 5), MCI 62% (3 of 5), Dementia 38% (2 of 5); leading: MCI.
        """
    let verifier = AnswerVerifier(contextIDs: ids, evidenceText: evidence, question: "Is an MMSE of 24 low?")

    func answer(_ text: String, diagnosis: Diagnosis? = .mci, findings: [ParsedAnswer.Finding] = [], cited: [String] = []) -> ParsedAnswer {
        ParsedAnswer(diagnosis: diagnosis, answer: text, findings: findings, citedSubjectIDs: cited, source: .structured)
    }

    @Test func aFaithfulAnswerIsGrounded() {
        let v = verifier.verify(answer("The most likely diagnosis is MCI: MMSE 24/30 lies in the mild band, 3 of 5 neighbours such as 941_S_0001 were MCI (62% of the vote), and the brain parenchymal fraction is 0.74.",
                                       findings: [.init(source: "case", finding: "MMSE 24 of 30."), .init(source: "941_S_0001", finding: "MCI with MMSE 25.")],
                                       cited: ["941_S_0001"]), finishReason: "stop")
        #expect(v == Verdict(status: .grounded), "\(v.issues)")
    }

    @Test func anInventedSubjectIsNamed() {
        let v = verifier.verify(answer("Like subject 465_S_0320, the case fits MCI with an MMSE of 24.", cited: ["941_S_0002"]), finishReason: "stop")
        #expect(v.status == .unsupported && v.issues == ["names subject 465_S_0320, not one of the five given"])
        let cited = verifier.verify(answer("The case fits MCI with an MMSE of 24.", cited: ["123_S_4567"]), finishReason: "stop")
        #expect(cited.status == .unsupported && cited.issues.first?.contains("123_S_4567") == true)
        let source = verifier.verify(answer("The case fits MCI with an MMSE of 24.", findings: [.init(source: "ADNI study", finding: "x")]), finishReason: "stop")
        #expect(source.status == .unsupported && source.issues.first?.contains("ADNI study") == true)
    }

    /// A synthetic cohort of 10^4 or more subjects numbers them past four digits ("941_S_12345"): such an id is
    /// still an id, checked against the five, and its digits are not read as a number.
    @Test func longSyntheticIDsAreCheckedAsIDs() {
        let ids = ["941_S_10001", "941_S_10002", "941_S_10003", "941_S_10004", "941_S_99999"]
        let verifier = AnswerVerifier(contextIDs: ids, evidenceText: Self.evidence.replacingOccurrences(of: "941_S_0001", with: "941_S_10001"),
                                      question: "Is an MMSE of 24 low?")
        let named = verifier.verify(answer("Like subject 465_S_12345, the case fits MCI with an MMSE of 24."), finishReason: "stop")
        #expect(named.status == .unsupported && named.issues == ["names subject 465_S_12345, not one of the five given"])
        let given = verifier.verify(answer("Like subject 941_S_10001 and 941_S_99999, the case fits MCI with an MMSE of 24.",
                                           cited: ["941_S_10001"]), finishReason: "stop")
        #expect(given == Verdict(status: .grounded), "\(given.issues)")
    }

    @Test func aNumberTheEvidenceDoesNotHoldIsNamed() {
        let v = verifier.verify(answer("The case fits MCI: MMSE 19 and CDR-SB 10 point that way."), finishReason: "stop")
        #expect(v.status == .unsupported)
        #expect(v.issues == ["states 19, a number the evidence does not hold", "states 10, a number the evidence does not hold"])
        #expect(v.unsupportedClaims == 2)
        // Rounding, percents of shares, names with digits (ε4, T1, ADAS-Cog 13 is in the evidence) are not claims.
        let fine = verifier.verify(answer("The case fits MCI (61%, 0.61 of the encoder), BPF 0.74, ε4 absent, T1 available, 2.1 CDR-SB estimate."), finishReason: "stop")
        #expect(fine.isGrounded, "\(fine.issues)")
    }

    @Test func aTextThatContradictsTheDiagnosisFieldIsCaught() {
        let v = verifier.verify(answer("The most likely diagnosis is dementia, given an MMSE of 24.", diagnosis: .mci), finishReason: "stop")
        #expect(v.status == .unsupported && v.issues == ["the text says Dementia but the diagnosis field says MCI"])
        // Naming a neighbour's diagnosis, or MCI due to Alzheimer's disease, is no contradiction.
        let fine = verifier.verify(answer("Consistent with MCI due to Alzheimer's disease; two neighbours had Dementia.", diagnosis: .mci), finishReason: "stop")
        #expect(fine.isGrounded, "\(fine.issues)")
    }

    /// Rules 14: the disease's name in any spelling a model writes is a stated Dementia (rules 13 let these pass).
    @Test func everyAlzheimerSpellingIsReadAsDementia() {
        for name in ["Alzheimers disease", "Alzheimer dementia", "Alzheimer's dementia", "alzheimers dementia", "Alzheimer’s disease"] {
            #expect(Diagnosis(label: name) == .dementia, "\(name)")
            let v = verifier.verify(answer("The most likely diagnosis is \(name), given an MMSE of 24.", diagnosis: .mci), finishReason: "stop")
            #expect(v.issues == ["the text says Dementia but the diagnosis field says MCI"], "\(name): \(v.issues)")
        }
        #expect(Diagnosis(label: "MCI due to Alzheimer's disease") == nil, "an aetiology is not a group")
        #expect(Diagnosis(label: "vascular dementia due to stroke") == nil)
        #expect(Diagnosis(label: "Alzheimer's disease (MCI stage)") == nil, "a label that only starts with the name")
        #expect(Diagnosis(label: "Alzheimer's disease unlikely; cognitively normal") == nil)
    }

    /// The demo's answer under rules 9: "dementia", with every finding "associated with mild cognitive impairment".
    @Test func findingsTiedToAnotherDiagnosisContradictTheField() {
        let v = verifier.verify(answer("The most likely diagnosis for this subject is dementia.", diagnosis: .dementia,
                                       findings: [.init(source: "case", finding: "The brain parenchymal fraction is 0.742, which is associated with mild cognitive impairment (MCI).")]),
                                finishReason: "stop")
        #expect(v.issues.contains("the text ties the case's findings to MCI but gives Dementia as the diagnosis"), "\(v.issues)")
        // The demo's answer under rules 11: "which is very low, indicating a mild cognitive impairment".
        let indicating = verifier.verify(answer("The most likely diagnosis for this subject is Dementia.", diagnosis: .dementia, findings: [
            .init(source: "case", finding: "The white-matter FA is very low, indicating a mild cognitive impairment.")]), finishReason: "stop")
        #expect(indicating.issues.contains("the text ties the case's findings to MCI but gives Dementia as the diagnosis"), "\(indicating.issues)")
        // A neighbour's findings are the neighbour's, and a finding tied to the field's diagnosis is support.
        let fine = verifier.verify(answer("The most likely diagnosis is MCI.", diagnosis: .mci, findings: [
            .init(source: "941_S_0001", finding: "941_S_0001 had MMSE 25, typical of dementia."),
            .init(source: "case", finding: "MMSE 24/30 is associated with mild cognitive impairment.")]), finishReason: "stop")
        #expect(!fine.issues.contains { $0.contains("ties the case") }, "\(fine.issues)")
    }

    @Test func findingsThatRepeatOneAnotherAreALoop() {
        let line = "The cognitive scores are CN 5%, MCI 61%, Dementia 34%."
        let copied = verifier.verify(answer("The most likely diagnosis is MCI, given an MMSE of 24.", diagnosis: .mci,
                                            findings: [.init(source: "case", finding: line), .init(source: "case", finding: line.lowercased())]),
                                     finishReason: "stop")
        #expect(copied.status == .degenerate && copied.issues.first?.hasPrefix("two findings say the same") == true, "\(copied.issues)")
        // A finding that restates a sentence of the answer is its support, not a loop.
        let restated = verifier.verify(answer("The most likely diagnosis is MCI. MMSE 24 of 30.", diagnosis: .mci,
                                              findings: [.init(source: "case", finding: "MMSE 24 of 30."),
                                                         .init(source: "941_S_0001", finding: "MCI with MMSE 25.")]),
                                       finishReason: "stop")
        #expect(restated.isGrounded, "\(restated.issues)")
    }

    @Test func aDiagnosisNoComputedEvidenceLeadsWithIsUnsupported() {
        let checked = AnswerVerifier(contextIDs: Self.ids, evidenceText: Self.evidence, question: "Diagnosis?",
                                     evidenceDiagnoses: .init(vote: .mci, encoder: .dementia))
        let cn = checked.verify(answer("The most likely diagnosis is cognitively normal, given an MMSE of 24.", diagnosis: .cn), finishReason: "stop")
        #expect(cn.status == .unsupported)
        #expect(cn.issues == ["names CN as the diagnosis, which the evidence does not lead with (the neighbours' vote leads with MCI, the encoder's estimate with Dementia)"])
        // Either lead is a supported reading: the model may weigh the vote against the encoder.
        for d in [Diagnosis.mci, .dementia] {
            let v = checked.verify(answer("The most likely diagnosis is \(d.rawValue), given an MMSE of 24.", diagnosis: d), finishReason: "stop")
            #expect(v.isGrounded, "\(d): \(v.issues)")
        }
        // Stated in the text of an answer without a diagnosis field (a cognition question) counts too.
        let stated = checked.verify(answer("The scores are consistent with normal cognition: MMSE 24.", diagnosis: nil), finishReason: "stop")
        #expect(stated.status == .unsupported && stated.issues.first?.hasPrefix("names CN") == true)
        // A qualifier between "diagnosis" and "is" still states a diagnosis (the v3 pilot's wording).
        let qualified = checked.verify(answer("The most likely diagnosis for this subject, based on the available information, is cognitively normal.", diagnosis: nil),
                                       finishReason: "stop")
        #expect(qualified.status == .unsupported && qualified.issues.first?.hasPrefix("names CN") == true)
        // Without computed evidence (prompt v1's captions) there is nothing to check against.
        #expect(verifier.verify(answer("The most likely diagnosis is CN, MMSE 24.", diagnosis: .cn), finishReason: "stop").isGrounded)
    }

    @Test func aSeverityTheMMSEBandDoesNotSupportIsCaught() {
        let banded = AnswerVerifier(contextIDs: Self.ids, evidenceText: Self.evidence, question: "How severe?", mmse: 24)
        let wrong = banded.verify(answer("The impairment is very severe, with moderate dementia.", diagnosis: nil), finishReason: "stop")
        #expect(wrong.status == .unsupported && wrong.issues.count == 2 && wrong.issues[0].contains("MMSE 24/30 lies in the mild band"))
        // Qwen2.5-0.5B on the demo case (MMSE 26, the mild band): "a moderate MMSE for dementia".
        let scoreBand = banded.verify(answer("The subject's MMSE is 24/30, which is a moderate MMSE for dementia.", diagnosis: nil), finishReason: "stop")
        #expect(scoreBand.issues.contains { $0.contains("calls the impairment moderate") }, "\(scoreBand.issues)")
        // The v4 run's first severity answer, accepted by rules 7 (MMSE 24 here; the case's was 30).
        let verySevere = banded.verify(answer("The MMSE (21–26) is very severe for this subject. The MoCA is also severe.", diagnosis: nil), finishReason: "stop")
        #expect(verySevere.issues.contains { $0.contains("calls the impairment severe") }, "\(verySevere.issues)")
        #expect(banded.verify(answer("The MMSE score is mild for this subject, in the 21–26 band.", diagnosis: nil), finishReason: "stop").isGrounded)
        // Its second sentence gave a neighbour's MoCA to a case without one; "similarity" names no neighbour.
        let moca = ScoreClaimChecker(facts: ["MoCA": .init(caseValue: nil, others: [19], scale: [0, 30])])
        #expect(moca.issues(in: "The MoCA (19) is also very severe, with a similarity score of 0.984.").count == 1)
        #expect(moca.issues(in: "The most similar subject has a MoCA of 19.").isEmpty)
        let right = banded.verify(answer("A mild impairment: mild cognitive impairment fits MMSE 24.", diagnosis: nil), finishReason: "stop")
        #expect(right.isGrounded, "\(right.issues)")
        let normal = AnswerVerifier(contextIDs: Self.ids, evidenceText: "MMSE 30/30", question: "How severe?", mmse: 30)
        #expect(normal.verify(answer("The scores show no impairment at all.", diagnosis: nil), finishReason: "stop").isGrounded)
        #expect(normal.verify(answer("The impairment is severe for this case.", diagnosis: nil), finishReason: "stop").status == .unsupported)
    }

    /// A number bound to its score must be a value the evidence gives for that score: the case's own when the
    /// sentence is about the case (seen with Qwen2.5-0.5B: "The MMSE is 25, and the MoCA is 1.9" for MMSE 30).
    @Test func aScoreValueMustBeOneTheEvidenceGivesForThatScore() {
        let checker = ScoreClaimChecker(facts: [
            "MMSE": .init(caseValue: 24, others: [25, 28], scale: [21, 26, 30]),
            "MoCA": .init(caseValue: nil, others: [22], scale: [26, 30]),
            "ADAS-Cog 13": .init(caseValue: 21, others: [], scale: [85]),
        ], questionNumbers: [])
        let scored = AnswerVerifier(contextIDs: Self.ids, evidenceText: Self.evidence + " MoCA 22 1.9", question: "How severe?",
                                    scoreClaims: checker)
        let wrong = scored.verify(answer("The MMSE is 25, and the MoCA is 1.9.", diagnosis: nil), finishReason: "stop")
        #expect(wrong.issues == ["gives MMSE 25 for the case, whose MMSE is 24 (25 is a neighbour's)",
                                 "gives MoCA 1.9, a value the evidence does not hold for it"])
        // The case's own value, a band limit, a neighbour's value in a sentence about neighbours, an ADAS-Cog
        // name with its item count, and a percentile are all fine.
        let right = scored.verify(answer("The MMSE of 24/30 is in the 21–26 band. Neighbour 941_S_0001 had an MMSE of 25, and "
                                         + "similar subjects scored MoCA 22. ADAS-Cog 13 is 21. MMSE is at the 41st percentile of MCI.",
                                         diagnosis: nil, findings: [.init(source: "941_S_0001", finding: "MMSE 25.")]),
                                  finishReason: "stop")
        #expect(right.isGrounded, "\(right.issues)")
        // A finding on the case is held to the case's value; a number wrong both ways is named once.
        let finding = scored.verify(answer("The scores are low overall.", diagnosis: nil, findings: [.init(source: "case", finding: "MMSE 28.")]),
                                    finishReason: "stop")
        #expect(finding.issues == ["gives MMSE 28 for the case, whose MMSE is 24 (28 is a neighbour's)"])
        let once = scored.verify(answer("ADAS-Cog 13 is 40 for this case.", diagnosis: nil), finishReason: "stop")
        #expect(once.issues == ["gives ADAS-Cog 13 40; the case's ADAS-Cog 13 is 21"])
        // Faithful phrasings a review found flagged: a scale's range, two scores joined, a time, an age, a count,
        // a cut-off, a numbered list of neighbours.
        let faithful = ["On the MMSE (0–30), the case scores 24.", "The MMSE and MoCA scores (24 and 22) are low.",
                        "A decline in MMSE over the next 24 months is possible.", "The MMSE at age 74 was 24.",
                        "MMSE for 3 of the 5 neighbours is below 26.", "A MoCA below 26 is abnormal.", "Neighbours:\n1. CN, MMSE 25"]
        for text in faithful {
            let v = scored.verify(answer(text, diagnosis: nil), finishReason: "stop")
            #expect(v.isGrounded, "\(text): \(v.issues)")
        }
        // The scale's maximum is not the case's value.
        let maximum = scored.verify(answer("The MMSE is 30/30, a normal score.", diagnosis: nil), finishReason: "stop")
        #expect(maximum.issues == ["gives MMSE 30; the case's MMSE is 24"])
        let cutOff = scored.verify(answer("An MMSE below 23 suggests dementia.", diagnosis: nil), finishReason: "stop")
        #expect(cutOff.issues == ["states an MMSE cut-off of 23, which the evidence does not give"])
    }

    /// Qwen2.5-0.5B on the demo case: "The subject's age is 80 years old" (a neighbour's age); SmolLM2 in the
    /// issue: "ε3/ε4" for an ε3/ε3 case. Numbers inside "ε3/ε4" are invisible to the bare-number check.
    @Test func theCasesAgeGenotypeAndE4CountAreItsOwn() {
        let facts = CaseFactChecker(caseAge: 74, neighbourAges: [80, 72], genotype: [4, 3])
        let checked = AnswerVerifier(contextIDs: Self.ids, evidenceText: Self.evidence + "\nage 80", question: "Diagnosis?", caseFacts: facts)
        func issues(_ text: String) -> [String] { checked.verify(answer(text, diagnosis: nil), finishReason: "stop").issues }
        #expect(issues("The subject's age is 80 years old, which is a significant age for dementia.") == ["gives the age as 80 (a neighbour's); the case is 74"])
        #expect(issues("The subject is a 74-year-old woman with MMSE 24.").isEmpty)
        #expect(issues("The closest neighbour, 941_S_0001, is 80 years old; the case is aged 74.").isEmpty)
        #expect(issues("The case carries APOE ε3/ε3, the lowest-risk genotype.") == ["gives APOE ε3/ε3; the case's genotype is ε3/ε4"])
        #expect(issues("The genotype E4/E3 carries about 3 times the Alzheimer's risk of ε3/ε3.").isEmpty)
        #expect(issues("The case is homozygous for ε4.") == ["says the case has 2 ε4 allele(s); its genotype ε3/ε4 has 1"])
        #expect(issues("The case carries one ε4 allele, as do two of its neighbours.").isEmpty)
        // A case without a recorded genotype gives none.
        let unknown = AnswerVerifier(contextIDs: Self.ids, evidenceText: Self.evidence, question: "APOE?",
                                     caseFacts: CaseFactChecker(caseAge: nil, neighbourAges: [], genotype: nil))
        #expect(unknown.verify(answer("The case is ε4/ε4.", diagnosis: nil), finishReason: "stop").issues == ["gives APOE ε4/ε4; the evidence gives no genotype for the case"])
    }

    /// Rules 15, Qwen2.5-1.5B's phrasings: a fold risk against another reference than the evidence's ε3/ε3, and no
    /// risk at all for a genotype.
    @Test func aRiskIsStatedAgainstEpsilonThreeHomozygotesAndNeverAsNone() {
        func issues(_ genotype: [Int], _ text: String) -> [String] {
            CaseFactChecker(caseAge: nil, neighbourAges: [], genotype: genotype).issues(in: text).map(\.message)
        }
        #expect(issues([4, 4], "Two ε4 alleles raise the risk by about 15 times compared to having one or none.")
            == ["states the risk against \"having one or none\"; the evidence states it against ε3/ε3"])
        #expect(issues([3, 4], "One ε4 allele increases the risk about 3 times compared to having only one ε3 allele.").count == 1)
        #expect(issues([3, 3], "ε3/ε3 does not carry any risk of developing Alzheimer's disease.")
            == ["says ε3/ε3 carries no Alzheimer's risk; the evidence states risks against ε3/ε3, the usual risk, not none"])
        for (genotype, right) in [([4, 4], "Two ε4 alleles carry about 15 times the risk of ε3/ε3."),
                                  ([3, 4], "One ε4 allele: about 3 times the risk compared with two ε3 alleles."),
                                  ([3, 4], "About 3 times the risk of people without an ε4 allele."),
                                  ([3, 4], "About 3 times the risk compared to the average person.")] {
            #expect(issues(genotype, right).isEmpty, "\(right): \(issues(genotype, right))")
        }
        #expect(issues([3, 3], "The genotype ε3/ε3 does not raise the risk of Alzheimer's disease.").isEmpty)
        #expect(issues([3, 3], "The subject carries APOE ε3/ε3, and this genotype raises the risk of Alzheimer's disease.")
            == ["says the case's genotype raises the Alzheimer's risk; ε3/ε3 has no ε4 allele"])
    }

    @Test func truncatedEmptyOneWordAndLoopingRepliesAreCaught() {
        #expect(verifier.verify(answer("The case fits MCI because"), finishReason: "length").status == .truncated)
        #expect(verifier.verify(answer(""), finishReason: "stop").status == .degenerate)
        #expect(verifier.verify(answer("Dementia"), finishReason: "stop").status == .degenerate)
        let loop = String(repeating: "the subject is similar to the other subjects and ", count: 5)
        let looping = verifier.verify(answer(loop), finishReason: "stop")
        #expect(looping.status == .degenerate && looping.issues.first?.contains("repeats") == true)
        let sentence = verifier.verify(answer("The case fits MCI well. The case fits MCI well. It does."), finishReason: "stop")
        #expect(sentence.status == .degenerate)
    }
}
