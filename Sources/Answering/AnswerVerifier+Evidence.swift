/// The verifier for an answer to a question about a case, from the evidence the model was shown: what
/// `AnswerPipeline` checks every reply with, and what a test re-verifies stored replies with.
extension AnswerVerifier {
    public init(evidence: Evidence, contextIDs: [String], question: String, kind: QuestionKind? = nil) {
        self.init(contextIDs: contextIDs, evidenceText: evidence.promptText, question: question,
                  mmse: evidence.readings.first { $0.measure == "MMSE" }?.value,
                  scoreClaims: ScoreClaimChecker(evidence: evidence, question: question),
                  caseFacts: CaseFactChecker(evidence: evidence),
                  measureClaims: MeasureClaimChecker(evidence: evidence, question: question),
                  evidenceDiagnoses: .init(vote: evidence.vote.leading, encoder: evidence.encoder?.predicted, reading: evidence.reading),
                  kind: kind ?? QuestionKind.classify(question), typicalityClaims: TypicalityClaimChecker(evidence: evidence),
                  cutOffClaims: CutOffClaimChecker(evidence: evidence), neighbourRanks: NeighbourRankClaimChecker(evidence: evidence),
                  diagnosisShares: DiagnosisShareChecker(evidence: evidence),
                  neighbourSummaries: NeighbourSummaryClaimChecker(evidence: evidence))
    }
}
