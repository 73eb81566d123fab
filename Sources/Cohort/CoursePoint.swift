/// One visit on a subject's clinical course: when, and what was found. Kept for every visit of a
/// longitudinal table, including those without images or a diagnosis, so a neighbour's later course is known.
public struct CoursePoint: Sendable, Equatable, Codable {
    public var code: String
    public var months: Double
    public var examDate: String?
    /// Nil when the visit recorded no diagnosis (ADNIMERGE leaves `DX` empty on some visits).
    public var diagnosis: Diagnosis?
    public var mmse: Double?
    public var cdrsb: Double?

    public init(code: String, months: Double, examDate: String? = nil, diagnosis: Diagnosis?, mmse: Double? = nil, cdrsb: Double? = nil) {
        self.code = code
        self.months = months
        self.examDate = examDate
        self.diagnosis = diagnosis
        self.mmse = mmse
        self.cdrsb = cdrsb
    }
}
