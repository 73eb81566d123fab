import Cohort
import Store

extension PrognosisEstimator {
    /// `prognosis(group:neighbours:courses:k:horizonMonths:)`, reading the neighbours' courses from `store`.
    public static func prognosis(group: Diagnosis, neighbours: [StoredCase], store: CaseStore, k: Int = 5,
                                 horizonMonths: Double = 24) throws -> Prognosis? {
        let courses = try store.courses(of: neighbours.map(\.record.subject))
        return prognosis(group: group, neighbours: neighbours, courses: courses, k: k, horizonMonths: horizonMonths)
    }
}
