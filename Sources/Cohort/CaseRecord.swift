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

    public init(subjectID: String, diagnosis: Diagnosis, age: Double? = nil, sex: Sex? = nil, education: Double? = nil,
                mmse: Double? = nil, cdrsb: Double? = nil, adas11: Double? = nil, adas13: Double? = nil, moca: Double? = nil,
                apoe: APOEGenotype? = nil, t1Path: String? = nil, faPath: String? = nil) {
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
