import Cohort
import Store

extension PrognosisEstimator {
    /// `prognosis(of:neighbours:courses:k:horizonMonths:)`, reading the neighbours' courses from `store`.
    public static func prognosis(of query: CaseRecord, neighbours: [StoredCase], store: CaseStore, k: Int = 5,
                                 horizonMonths: Double = 24) throws -> Prognosis? {
        let courses = try store.courses(of: neighbours.excludingSubject(of: query).map(\.record.subject))
        return prognosis(of: query, neighbours: neighbours, courses: courses, k: k, horizonMonths: horizonMonths)
    }
}
