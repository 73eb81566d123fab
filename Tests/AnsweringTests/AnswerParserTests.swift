import Cohort
import Answering
import Testing

@Suite struct AnswerParserTests {
    let parser = AnswerParser(knownSubjectIDs: ["002_S_0413", "011_S_0005", "S3"])

    @Test func readsTheStructuredAnswer() throws {
        let parsed = try parser.parse(#"{"diagnosis": "MCI", "answer": "Mild memory decline.", "cited_subject_ids": ["002_S_0413", "S3"]}"#)
        #expect(parsed == ParsedAnswer(diagnosis: .mci, answer: "Mild memory decline.",
                                       citedSubjectIDs: ["002_S_0413", "S3"], source: .structured))
    }

    @Test func structuredAnswerInsideChatterOrFences() throws {
        let parsed = try parser.parse("Sure!\n```json\n{\"diagnosis\": \"dementia\", \"answer\": \"Marked atrophy.\", \"cited_subject_ids\": []}\n```")
        #expect(parsed.diagnosis == .dementia && parsed.source == .structured && parsed.citedSubjectIDs.isEmpty)
        #expect(try parser.parse(#"{"diagnosis": "Alzheimer's disease", "answer": "x"}"#).diagnosis == .dementia)
        #expect(try parser.parse(#"{"diagnosis": "cognitively normal", "answer": "x"}"#).diagnosis == .cn)
    }

    @Test func structuredAnswerWithAnUnknownDiagnosisIsAnError() {
        #expect(throws: AnswerParseError.self) { _ = try parser.parse(#"{"diagnosis": "Parkinson's", "answer": "x"}"#) }
        #expect { _ = try parser.parse(#"{"diagnosis": "FTD", "answer": "x"}"#) } throws: { "\($0)".contains("'FTD' is not one of CN, MCI, Dementia") }
    }

    @Test func freeTextWithOneDiagnosis() throws {
        let parsed = try parser.parse("The subject appears cognitively normal, like 011_S_0005 and 002_S_0413.")
        #expect(parsed.diagnosis == .cn && parsed.source == .freeText)
        #expect(parsed.citedSubjectIDs == ["011_S_0005", "002_S_0413"])
        #expect(try parser.parse("Findings fit mild cognitive impairment due to Alzheimer's disease.").diagnosis == .mci)
        #expect(try parser.parse("Consistent with Alzheimer’s pathology.").diagnosis == .dementia)
        #expect(try parser.parse("Likely MCI.").diagnosis == .mci)
    }

    @Test func labelledDiagnosisWinsOverOtherMentions() throws {
        #expect(try parser.parse("Not dementia yet. Diagnosis: MCI").diagnosis == .mci)
        #expect(try parser.parse("**Diagnosis:** CN, although MCI was considered.").diagnosis == .cn)
    }

    /// Qwen2.5-0.5B's diagnosis answers in the v3 pilot: the statement names one group, the estimate all three.
    @Test func aStatedDiagnosisWinsOverAnEstimatesGroups() throws {
        let text = "The most likely diagnosis based on the available information is MCI. The model's prediction from t1+clinical, not a record, is CN 46%, MCI 53%, and Dementia 1%."
        #expect(try AnswerParser.diagnosis(inProse: text, excerpt: "") == .mci)
        #expect(try AnswerParser.diagnosis(inProse: "The most likely diagnosis for this subject is dementia; CN and MCI neighbours were fewer.", excerpt: "") == .dementia)
        // Qwen2.5-1.5B under prompt v5 (rules 15 read "most likely diagnosed as").
        #expect(try AnswerParser.diagnosis(inProse: "The case is most likely diagnosed as cognitively normal (CN) based on the evidence provided. "
                                           + "The MoCA score of 21 is below the threshold for mild cognitive impairment.", excerpt: "") == .cn)
        // Qwen2.5-0.5B under prompt v6: a recorded diagnosis is a record's (a neighbour's), not the one the answer states.
        #expect(try AnswerParser.diagnosis(inProse: "The evidence points to CN because it mentions a case with a recorded diagnosis of MCI.",
                                           excerpt: "") == .cn)
        // Nor is "a record diagnosis MCI" a label: this text states CN, then MCI ("which is the most likely diagnosis").
        #expect(throws: AnswerParseError.self) {
            _ = try AnswerParser.diagnosis(inProse: "The evidence points to CN because it mentions a record diagnosis MCI, which is the most likely diagnosis.", excerpt: "")
        }
        // Two stated diagnoses are still ambiguous, not a guess.
        #expect(throws: AnswerParseError.self) {
            _ = try AnswerParser.diagnosis(inProse: "The MMSE suggests dementia; the vote points to MCI.", excerpt: "")
        }
    }

    @Test func ambiguousOrMissingDiagnosisIsAClearError() {
        #expect(throws: AnswerParseError.ambiguous([.mci, .dementia], excerpt: "Either MCI or dementia.")) {
            _ = try parser.parse("Either MCI or dementia.")
        }
        #expect { _ = try parser.parse("I cannot tell from the captions.") } throws: {
            "\($0)".contains("names no diagnosis (CN, MCI or Dementia)") && "\($0)".contains("I cannot tell")
        }
        #expect(throws: AnswerParseError.noDiagnosis(excerpt: "")) { _ = try parser.parse("") }
    }
}
