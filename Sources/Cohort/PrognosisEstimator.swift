/// Computes a `Prognosis` from retrieved neighbours and their recorded courses.
public enum PrognosisEstimator {
    /// The progression counted for a group: CN → MCI (or worse), MCI → dementia; nil for dementia (no worse stage).
    public static func target(for group: Diagnosis) -> Diagnosis? {
        switch group {
        case .cn: .mci
        case .mci: .dementia
        case .dementia: nil
        }
    }

    /// Uses the first `k` neighbours (in the given, similarity, order) whose diagnosis is `group`; each one's
    /// outcome is measured from its own visit. Nil when `group` has no worse stage.
    public static func prognosis(group: Diagnosis, neighbours: [StoredCase], courses: [String: SubjectCourse], k: Int = 5,
                                 horizonMonths: Double = 24) -> Prognosis? {
        guard let target = target(for: group), k > 0 else { return nil }
        let chosen = neighbours.filter { $0.record.diagnosis == group }.prefix(k)
        return Prognosis(group: group, target: target, horizonMonths: horizonMonths, neighbours: chosen.map { c in
            let start = c.record.visit?.months ?? 0
            let outcome = courses[c.record.subject].map { $0.outcome(reaching: target, withinMonths: horizonMonths, fromMonths: start) }
            return Prognosis.Neighbour(caseID: c.id, subject: c.record.subject, outcome: outcome)
        })
    }

    /// The prognosis of a query case from its retrieved neighbours: the neighbours of the query's own diagnosis,
    /// its subject's other visits left out (they are not neighbours). Nil when the query has no worse stage.
    public static func prognosis(of query: CaseRecord, neighbours: [StoredCase], courses: [String: SubjectCourse], k: Int = 5,
                                 horizonMonths: Double = 24) -> Prognosis? {
        prognosis(group: query.diagnosis, neighbours: neighbours.excludingSubject(of: query), courses: courses, k: k,
                  horizonMonths: horizonMonths)
    }
}
