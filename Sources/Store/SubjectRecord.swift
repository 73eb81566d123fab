import Cohort
import GRDB

/// A row of `subjects`, as stored. Values are checked when turned into a `StoredCase`, so a row another
/// tool edited becomes a `StoreError.corruptRow` naming the subject and column, never a crash.
struct SubjectRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "subjects"

    var id: String
    var diagnosis: String
    var age: Double?
    var sex: String?
    var education: Double?
    var mmse: Double?
    var cdrsb: Double?
    var adas11: Double?
    var adas13: Double?
    var moca: Double?
    var apoe: String?
    var t1Path: String?
    var faPath: String?
    var brainParenchymalFraction: Double?
    var whiteMatterFA: Double?
    var split: String
    var caption: String
    var ptid: String?
    var viscode: String?
    var months: Double?
    var examDate: String?
    var apoeFromE4Count: Int
    var t1MaskOverlap: Double?
    var t1TemplateCorrelation: Double?
    var faMaskOverlap: Double?
    var faTemplateCorrelation: Double?
    var unregistered: Int?

    enum CodingKeys: String, CodingKey {
        case id, diagnosis, age, sex, education, mmse, cdrsb, adas11, adas13, moca, apoe, split, caption, ptid, viscode, months, unregistered
        case t1Path = "t1_path", faPath = "fa_path"
        case brainParenchymalFraction = "brain_parenchymal_fraction", whiteMatterFA = "white_matter_fa"
        case examDate = "exam_date", apoeFromE4Count = "apoe_from_e4_count"
        case t1MaskOverlap = "t1_mask_overlap", t1TemplateCorrelation = "t1_template_correlation"
        case faMaskOverlap = "fa_mask_overlap", faTemplateCorrelation = "fa_template_correlation"
    }

    /// Decoded by hand so that a value of the wrong type (text in a REAL column) is an error naming the
    /// column, not a silent nil or a trap.
    init(row: Row) throws {
        let key: String = try Self.value(row, "id", id: "?")
        func text(_ column: String) throws -> String? { try Self.value(row, column, id: key) }
        func number(_ column: String) throws -> Double? { try Self.value(row, column, id: key) }
        id = key
        diagnosis = try text("diagnosis") ?? ""
        age = try number("age")
        sex = try text("sex")
        education = try number("education")
        mmse = try number("mmse")
        cdrsb = try number("cdrsb")
        adas11 = try number("adas11")
        adas13 = try number("adas13")
        moca = try number("moca")
        apoe = try text("apoe")
        t1Path = try text("t1_path")
        faPath = try text("fa_path")
        brainParenchymalFraction = try number("brain_parenchymal_fraction")
        whiteMatterFA = try number("white_matter_fa")
        split = try text("split") ?? ""
        caption = try text("caption") ?? ""
        ptid = try text("ptid")
        viscode = try text("viscode")
        months = try number("months")
        examDate = try text("exam_date")
        let fromCount: Int? = try Self.value(row, "apoe_from_e4_count", id: key)
        apoeFromE4Count = fromCount ?? 0
        t1MaskOverlap = try number("t1_mask_overlap")
        t1TemplateCorrelation = try number("t1_template_correlation")
        faMaskOverlap = try number("fa_mask_overlap")
        faTemplateCorrelation = try number("fa_template_correlation")
        unregistered = try Self.value(row, "unregistered", id: key)
    }

    static func value<T: DatabaseValueConvertible>(_ row: Row, _ column: String, id: String) throws -> T? {
        let raw: DatabaseValue = row[column]
        if raw.isNull { return nil }
        guard let value = T.fromDatabaseValue(raw) else {
            throw CorruptValue(table: databaseTableName, key: id, column: column, value: "\(raw)")
        }
        return value
    }

    private static func value(_ row: Row, _ column: String, id: String) throws -> String {
        guard let value: String = try value(row, column, id: id) else {
            throw CorruptValue(table: databaseTableName, key: id, column: column, value: "NULL")
        }
        return value
    }

    init(_ c: StoredCase) {
        let r = c.record
        id = r.subjectID
        diagnosis = r.diagnosis.rawValue
        age = r.age
        sex = r.sex?.rawValue
        education = r.education
        mmse = r.mmse
        cdrsb = r.cdrsb
        adas11 = r.adas11
        adas13 = r.adas13
        moca = r.moca
        apoe = r.apoe?.csvValue
        t1Path = r.t1Path
        faPath = r.faPath
        brainParenchymalFraction = c.measures.brainParenchymalFraction
        whiteMatterFA = c.measures.whiteMatterFA
        split = c.split.rawValue
        caption = c.caption
        ptid = r.visit?.subjectID
        viscode = r.visit?.code
        months = r.visit?.months
        examDate = r.visit?.examDate
        apoeFromE4Count = r.apoeFromE4Count ? 1 : 0
        t1MaskOverlap = c.measures.t1Registration?.overlap
        t1TemplateCorrelation = c.measures.t1Registration?.correlation
        faMaskOverlap = c.measures.faRegistration?.overlap
        faTemplateCorrelation = c.measures.faRegistration?.correlation
        unregistered = c.measures.unregistered.map { $0 ? 1 : 0 }
    }

    /// Age at a visit: the baseline age ingest accepts plus at most `monthsRange` of follow-up.
    static let ageRange = ClinicalField.age.range.lowerBound...(ClinicalField.age.range.upperBound + monthsRange.upperBound / 12)
    /// Months since baseline: visit codes go up to `m999`, BIDS months columns to 480.
    static let monthsRange: ClosedRange<Double> = 0...1200

    /// What ingest accepts in each numeric column.
    static let numberRanges: [String: ClosedRange<Double>] = [
        "age": ageRange, "education": ClinicalField.education.range, "mmse": ClinicalField.mmse.range,
        "cdrsb": ClinicalField.cdrsb.range, "adas11": ClinicalField.adas11.range, "adas13": ClinicalField.adas13.range,
        "moca": ClinicalField.moca.range, "months": monthsRange, "brain_parenchymal_fraction": 0...1, "white_matter_fa": 0...1,
        "t1_mask_overlap": 0...1, "t1_template_correlation": -1...1, "fa_mask_overlap": 0...1, "fa_template_correlation": -1...1,
    ]

    /// A value outside what ingest accepts is a corrupt row.
    static func check(_ value: Double?, column: String, id: String, path: String) throws {
        guard let value, let range = numberRanges[column], !range.contains(value) else { return }
        throw StoreError.corruptRow(path: path, reason: "subjects row \(id), column \(column): \(value) is outside \(range.lowerBound)...\(range.upperBound)")
    }

    static func filter(split: Split?) -> QueryInterfaceRequest<SubjectRecord> {
        split.map { all().filter(Column("split") == $0.rawValue) } ?? all()
    }

    func storedCase(path: String) throws -> StoredCase {
        func corrupt(_ column: String, _ value: String?) -> StoreError {
            .corruptRow(path: path, reason: "subjects row \(id), column \(column): '\(String((value ?? "NULL").prefix(40)))'")
        }
        guard let diagnosis = Diagnosis(rawValue: diagnosis) else { throw corrupt("diagnosis", diagnosis) }
        guard let split = Split(rawValue: split) else { throw corrupt("split", split) }
        let sex = try sex.map { text in try Sex(rawValue: text) ?? { throw corrupt("sex", text) }() }
        let apoe = try apoe.map { text in try APOEGenotype(parsing: text) ?? { throw corrupt("apoe", text) }() }
        // Every number within what ingest accepts (NaN fails every range), so nothing downstream meets a value
        // that cannot be rounded to Int or formatted (age 1e300 trapped `ask`'s evidence text).
        let values: [(String, Double?)] = [
            ("age", age), ("education", education), ("mmse", mmse), ("cdrsb", cdrsb), ("adas11", adas11), ("adas13", adas13),
            ("moca", moca), ("months", months), ("brain_parenchymal_fraction", brainParenchymalFraction), ("white_matter_fa", whiteMatterFA),
            ("t1_mask_overlap", t1MaskOverlap), ("t1_template_correlation", t1TemplateCorrelation),
            ("fa_mask_overlap", faMaskOverlap), ("fa_template_correlation", faTemplateCorrelation),
        ]
        for (column, value) in values { try Self.check(value, column: column, id: id, path: path) }
        var visit: VisitInfo?
        if let ptid {
            guard let viscode, let months else { throw corrupt("viscode/months", viscode) }
            visit = VisitInfo(subjectID: ptid, code: viscode, months: months, examDate: examDate)
        }
        func score(_ overlap: Double?, _ correlation: Double?, isFA: Bool) -> RegistrationScore? {
            guard let overlap, let correlation else { return nil }
            return RegistrationScore(overlap: overlap, correlation: correlation, isFA: isFA)
        }
        let record = CaseRecord(subjectID: id, diagnosis: diagnosis, age: age, sex: sex, education: education, mmse: mmse,
                                cdrsb: cdrsb, adas11: adas11, adas13: adas13, moca: moca, apoe: apoe, t1Path: t1Path, faPath: faPath,
                                visit: visit, apoeFromE4Count: apoeFromE4Count != 0)
        let measures = ImageMeasures(brainParenchymalFraction: brainParenchymalFraction, whiteMatterFA: whiteMatterFA,
                                     t1Registration: score(t1MaskOverlap, t1TemplateCorrelation, isFA: false),
                                     faRegistration: score(faMaskOverlap, faTemplateCorrelation, isFA: true), unregistered: unregistered.map { $0 != 0 })
        return StoredCase(record: record, split: split, measures: measures, caption: caption)
    }
}

/// A row of `cohort_meta`: where the cohort came from and how it was split.
struct CohortMetaRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "cohort_meta"
    var key: String
    var value: String
}
