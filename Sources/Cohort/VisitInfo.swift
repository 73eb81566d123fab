/// Which visit of a subject a case is: ADNIMERGE's `PTID` and `VISCODE`, time from baseline and exam date.
/// A case from the one-row-per-subject cohort CSV has none (it is a subject's only, baseline, visit).
public struct VisitInfo: Sendable, Equatable, Codable {
    /// The subject (ADNIMERGE `PTID`); several cases may share it, one per visit.
    public var subjectID: String
    /// ADNIMERGE `VISCODE`: `bl`, `m06`, `m12`, ...
    public var code: String
    /// Months since the baseline visit (from `Years_bl`, else `Month`, else the visit code).
    public var months: Double
    /// ISO 8601 day (`YYYY-MM-DD`), when recorded.
    public var examDate: String?

    public init(subjectID: String, code: String, months: Double, examDate: String? = nil) {
        self.subjectID = subjectID
        self.code = code
        self.months = months
        self.examDate = examDate
    }

    public var isBaseline: Bool { code == "bl" }

    /// The case id of a subject's visit: the subject id for the baseline visit (so single-visit ids and
    /// `--case PTID` keep working), `PTID@VISCODE` for later ones ('@' cannot occur in a subject id).
    public static func caseID(subject: String, code: String) -> String { code == "bl" ? subject : subject + "@" + code }
}
