/// A subject's diagnoses over time, ordered by months from baseline.
public struct SubjectCourse: Sendable, Equatable, Codable {
    public var subjectID: String
    public var points: [CoursePoint]

    public init(subjectID: String, points: [CoursePoint]) {
        self.subjectID = subjectID
        self.points = points.sorted { $0.months < $1.months }
    }

    /// What happened after `fromMonths` up to `fromMonths + horizon`.
    public enum Outcome: String, Sendable, Codable {
        /// Reached `target` (or worse) at a visit within the horizon.
        case progressed
        /// Seen at or after the horizon's end without reaching `target` at any visit in between.
        case stable
        /// Followed for less than the horizon and never reached `target`: the outcome is unknown.
        case censored
    }

    /// Whether the subject reached `target` (or a worse diagnosis) within `horizon` months after `fromMonths`.
    /// Visits without a diagnosis are skipped. A small tolerance (3 months) accepts the m24 visit of a
    /// 24-month horizon whose exam fell a few weeks late.
    public func outcome(reaching target: Diagnosis, withinMonths horizon: Double, fromMonths start: Double = 0) -> Outcome {
        let later = points.compactMap { p in p.diagnosis.map { (months: p.months, diagnosis: $0) } }.filter { $0.months > start + 1e-9 }
        if later.contains(where: { $0.months <= start + horizon + Self.toleranceMonths && $0.diagnosis >= target }) { return .progressed }
        return later.contains(where: { $0.months >= start + horizon - Self.toleranceMonths }) ? .stable : .censored
    }

    static let toleranceMonths = 3.0

    /// The last diagnosis recorded, with its months from baseline.
    public var lastDiagnosis: (Diagnosis, Double)? {
        points.compactMap { p in p.diagnosis.map { ($0, p.months) } }.last
    }
}
