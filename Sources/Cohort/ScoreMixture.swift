/// Per-group score components chosen so that, after `presentationMixing` sends a share of CN subjects to the MCI
/// component and of MCI subjects to the CN component, the observed group means and SDs match the calibration table.
struct ScoreMixture {
    /// mixing[g][h]: probability that a subject of group g presents with component h.
    static let mixing: [[Double]] = {
        let q = CalibrationTable.presentationMixing
        return [[1 - q, q, 0], [q, 1 - q, 0], [0, 0, 1]]
    }()

    /// Component means solve mixing · μ' = μ; component variances solve the same system on second moments
    /// (floored at 15 % of the target variance where the mixture alone already spreads the group).
    static func components(_ n: CalibrationTable.Normal) -> [(mean: Double, sd: Double)] {
        let targets = Diagnosis.allCases.map { n($0) }
        let means = solve(mixing, targets.map(\.mean))
        let secondMoments = solve(mixing, targets.map { $0.sd * $0.sd + $0.mean * $0.mean })
        return zip(means, zip(secondMoments, targets)).map { m, pair in
            let variance = max(pair.0 - m * m, 0.15 * pair.1.sd * pair.1.sd)
            return (m, variance.squareRoot())
        }
    }

    /// Which component a subject of `d` presents with.
    static func presenting(_ d: Diagnosis, rng: inout SeededGenerator) -> Int {
        let u = rng.uniform()
        var acc = 0.0
        for (h, p) in mixing[d.index].enumerated() {
            acc += p
            if u < acc { return h }
        }
        return d.index
    }

    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let flat = a.flatMap { $0 }
        let inverse = LinearDiscriminant.invert(flat, 3)!
        return (0..<3).map { i in (0..<3).reduce(0) { $0 + inverse[i * 3 + $1] * b[$1] } }
    }
}
