import Cohort

/// Memoir's own reading of the diagnosis: the neighbours' similarity-weighted vote and the encoder's class
/// probabilities averaged, so that neither source alone decides. The two are of like strength on the demo
/// cohort's test split (encoder head 0.81, vote 0.76 three-class accuracy) and disagree on borderline cases,
/// where a small LLM asked to weigh them picks one at random. Without an encoder estimate it is the vote.
extension Evidence {
    /// Each group's share of the reading: the mean of its vote share and its encoder probability.
    public var readingShares: [String: Double] {
        guard let encoder else { return vote.shares }
        var shares: [String: Double] = [:]
        for d in Diagnosis.allCases {
            shares[d.rawValue] = ((vote.shares[d.rawValue] ?? 0) + (encoder.probabilities[d.rawValue] ?? 0)) / 2
        }
        return shares
    }

    /// The group the reading leads with (ties go to the vote's leader, then to the milder group).
    public var reading: Diagnosis {
        guard encoder != nil else { return vote.leading }
        let shares = readingShares
        let best = shares.values.max() ?? 0
        if (shares[vote.leading.rawValue] ?? 0) >= best { return vote.leading }
        return Diagnosis.allCases.first { (shares[$0.rawValue] ?? 0) >= best } ?? vote.leading
    }
}
