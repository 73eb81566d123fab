import Cohort

/// One case as the API shows it: clinical values, split, image measures and caption; never file paths.
struct CaseView: Encodable, Sendable {
    let id: String
    let diagnosis: String
    let split: String
    let age: Double?
    let sex: String?
    let education: Double?
    let mmse: Double?
    let cdrsb: Double?
    let adas11: Double?
    let adas13: Double?
    let moca: Double?
    let apoe: String?
    let apoeE4Count: Int?
    let t1: Bool
    let fa: Bool
    let brainParenchymalFraction: Double?
    let whiteMatterFA: Double?
    let caption: String

    init(_ c: StoredCase) {
        let r = c.record
        id = c.id
        diagnosis = r.diagnosis.rawValue
        split = c.split.rawValue
        age = r.age
        sex = r.sex?.rawValue
        education = r.education
        mmse = r.mmse
        cdrsb = r.cdrsb
        adas11 = r.adas11
        adas13 = r.adas13
        moca = r.moca
        apoe = r.apoe?.csvValue
        apoeE4Count = r.apoe?.e4Count
        t1 = r.t1Path != nil
        fa = r.faPath != nil
        brainParenchymalFraction = c.measures.brainParenchymalFraction
        whiteMatterFA = c.measures.whiteMatterFA
        caption = c.caption
    }

    enum CodingKeys: String, CodingKey {
        case id, diagnosis, split, age, sex, education, mmse, cdrsb, adas11, adas13, moca, apoe, apoeE4Count = "apoe_e4_count", t1, fa
        case brainParenchymalFraction = "brain_parenchymal_fraction", whiteMatterFA = "white_matter_fa", caption
    }
}
