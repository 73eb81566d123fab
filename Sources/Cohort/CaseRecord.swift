import Foundation

/// One subject's row: identity, targets, clinical inputs and image paths. Any clinical value may be absent.
public struct CaseRecord: Sendable, Equatable, Codable {
    public var subjectID: String
    public var diagnosis: Diagnosis
    public var age: Double?
    public var sex: Sex?
    public var education: Double?
    public var mmse: Double?
    public var cdrsb: Double?
    public var adas11: Double?
    public var adas13: Double?
    public var moca: Double?
    public var apoe: APOEGenotype?
    /// Absolute paths (the CSV may hold paths relative to its own folder).
    public var t1Path: String?
    public var faPath: String?
    /// The visit this case is, for cases from a longitudinal table; nil for a one-row-per-subject cohort CSV.
    public var visit: VisitInfo?
    /// True when only the ε4 count was known (ADNIMERGE `APOE4`) and `apoe` is the genotype assumed from it
    /// (0 → ε3/ε3, 1 → ε3/ε4, 2 → ε4/ε4): the ε2 allele is then unknown.
    public var apoeFromE4Count = false

    public init(subjectID: String, diagnosis: Diagnosis, age: Double? = nil, sex: Sex? = nil, education: Double? = nil,
                mmse: Double? = nil, cdrsb: Double? = nil, adas11: Double? = nil, adas13: Double? = nil, moca: Double? = nil,
                apoe: APOEGenotype? = nil, t1Path: String? = nil, faPath: String? = nil, visit: VisitInfo? = nil,
                apoeFromE4Count: Bool = false) {
        self.subjectID = subjectID
        self.diagnosis = diagnosis
        self.age = age
        self.sex = sex
        self.education = education
        self.mmse = mmse
        self.cdrsb = cdrsb
        self.adas11 = adas11
        self.adas13 = adas13
        self.moca = moca
        self.apoe = apoe
        self.t1Path = t1Path
        self.faPath = faPath
        self.visit = visit
        self.apoeFromE4Count = apoeFromE4Count
    }

    /// The subject this case belongs to: the visit's subject, else the case id (one case per subject).
    public var subject: String { visit?.subjectID ?? subjectID }

    enum CodingKeys: String, CodingKey {
        case subjectID, diagnosis, age, sex, education, mmse, cdrsb, adas11, adas13, moca, apoe, t1Path, faPath, visit, apoeFromE4Count
    }

    /// Leaves out what a single-visit record never had, so its JSON is unchanged.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(subjectID, forKey: .subjectID)
        try c.encode(diagnosis, forKey: .diagnosis)
        try c.encodeIfPresent(age, forKey: .age)
        try c.encodeIfPresent(sex, forKey: .sex)
        try c.encodeIfPresent(education, forKey: .education)
        try c.encodeIfPresent(mmse, forKey: .mmse)
        try c.encodeIfPresent(cdrsb, forKey: .cdrsb)
        try c.encodeIfPresent(adas11, forKey: .adas11)
        try c.encodeIfPresent(adas13, forKey: .adas13)
        try c.encodeIfPresent(moca, forKey: .moca)
        try c.encodeIfPresent(apoe, forKey: .apoe)
        try c.encodeIfPresent(t1Path, forKey: .t1Path)
        try c.encodeIfPresent(faPath, forKey: .faPath)
        try c.encodeIfPresent(visit, forKey: .visit)
        if apoeFromE4Count { try c.encode(true, forKey: .apoeFromE4Count) }
    }

    /// Decodes records written before visits existed (no `visit` or `apoeFromE4Count` keys).
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(subjectID: try c.decode(String.self, forKey: .subjectID), diagnosis: try c.decode(Diagnosis.self, forKey: .diagnosis),
                  age: try c.decodeIfPresent(Double.self, forKey: .age), sex: try c.decodeIfPresent(Sex.self, forKey: .sex),
                  education: try c.decodeIfPresent(Double.self, forKey: .education), mmse: try c.decodeIfPresent(Double.self, forKey: .mmse),
                  cdrsb: try c.decodeIfPresent(Double.self, forKey: .cdrsb), adas11: try c.decodeIfPresent(Double.self, forKey: .adas11),
                  adas13: try c.decodeIfPresent(Double.self, forKey: .adas13), moca: try c.decodeIfPresent(Double.self, forKey: .moca),
                  apoe: try c.decodeIfPresent(APOEGenotype.self, forKey: .apoe), t1Path: try c.decodeIfPresent(String.self, forKey: .t1Path),
                  faPath: try c.decodeIfPresent(String.self, forKey: .faPath), visit: try c.decodeIfPresent(VisitInfo.self, forKey: .visit),
                  apoeFromE4Count: try c.decodeIfPresent(Bool.self, forKey: .apoeFromE4Count) ?? false)
    }

    /// The record's value of a numeric clinical field.
    public func value(of field: ClinicalField) -> Double? {
        switch field {
        case .age: age
        case .education: education
        case .mmse: mmse
        case .cdrsb: cdrsb
        case .adas11: adas11
        case .adas13: adas13
        case .moca: moca
        default: nil
        }
    }

    /// The encoder's clinical inputs (`ClinicalField.encoderInputs`), by field, absent scores left out.
    public var clinicalInputs: [ClinicalField: Double] {
        var out: [ClinicalField: Double] = [:]
        for field in ClinicalField.encoderInputs { out[field] = value(of: field) }
        return out
    }
}
