/// One row of a longitudinal table (ADNIMERGE): a subject's visit with what was measured there.
public struct LongitudinalVisit: Sendable, Equatable {
    /// 1-based row in the file (header is row 1), for messages.
    public var row: Int
    public var visit: VisitInfo
    /// `DX` at this visit; nil when the visit recorded none.
    public var diagnosis: Diagnosis?
    /// `DX_bl`, the baseline diagnosis ADNIMERGE repeats on every row (fills an empty `DX` at baseline).
    public var baselineDiagnosis: Diagnosis?
    /// Age at this visit (baseline `AGE` plus `Years_bl`).
    public var age: Double?
    public var sex: Sex?
    public var education: Double?
    public var mmse: Double?
    public var cdrsb: Double?
    public var adas11: Double?
    public var adas13: Double?
    public var moca: Double?
    /// `APOE4`, the number of ε4 alleles (0–2).
    public var e4Count: Int?

    public init(row: Int, visit: VisitInfo, diagnosis: Diagnosis? = nil, baselineDiagnosis: Diagnosis? = nil, age: Double? = nil,
                sex: Sex? = nil, education: Double? = nil, mmse: Double? = nil, cdrsb: Double? = nil, adas11: Double? = nil,
                adas13: Double? = nil, moca: Double? = nil, e4Count: Int? = nil) {
        self.row = row
        self.visit = visit
        self.diagnosis = diagnosis
        self.baselineDiagnosis = baselineDiagnosis
        self.age = age
        self.sex = sex
        self.education = education
        self.mmse = mmse
        self.cdrsb = cdrsb
        self.adas11 = adas11
        self.adas13 = adas13
        self.moca = moca
        self.e4Count = e4Count
    }

    /// The diagnosis a case at this visit gets: `DX`, else `DX_bl` at the baseline visit, else none.
    public var caseDiagnosis: Diagnosis? { diagnosis ?? (visit.isBaseline ? baselineDiagnosis : nil) }

    /// The genotype assumed from an ε4 count, since the encoder embeds genotypes: 0 → ε3/ε3 and 1 → ε3/ε4 (the
    /// commonest genotypes with that count; ε2 is unknown and taken as ε3), 2 → ε4/ε4 (exact).
    public static func genotype(e4Count: Int) -> APOEGenotype? {
        switch e4Count {
        case 0: APOEGenotype(3, 3)
        case 1: APOEGenotype(3, 4)
        case 2: APOEGenotype(4, 4)
        default: nil
        }
    }

    /// The case for this visit, with the given diagnosis and image paths.
    public func caseRecord(diagnosis: Diagnosis, t1Path: String?, faPath: String?) -> CaseRecord {
        CaseRecord(subjectID: VisitInfo.caseID(subject: visit.subjectID, code: visit.code), diagnosis: diagnosis, age: age, sex: sex,
                   education: education, mmse: mmse, cdrsb: cdrsb, adas11: adas11, adas13: adas13, moca: moca,
                   apoe: e4Count.flatMap(Self.genotype(e4Count:)), t1Path: t1Path, faPath: faPath, visit: visit,
                   apoeFromE4Count: e4Count != nil)
    }

    public var coursePoint: CoursePoint {
        CoursePoint(code: visit.code, months: visit.months, examDate: visit.examDate, diagnosis: caseDiagnosis, mmse: mmse, cdrsb: cdrsb)
    }
}
