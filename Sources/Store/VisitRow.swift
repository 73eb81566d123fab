import Cohort
import GRDB

/// A row of `visits`: one visit on a subject's course (every visit of a longitudinal table, cases or not).
struct VisitRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "visits"
    var subjectID: String
    var viscode: String
    var months: Double
    var examDate: String?
    var diagnosis: String?
    var mmse: Double?
    var cdrsb: Double?

    enum CodingKeys: String, CodingKey {
        case subjectID = "subject_id", viscode, months, examDate = "exam_date", diagnosis, mmse, cdrsb
    }

    init(subject: String, _ p: CoursePoint) {
        subjectID = subject
        viscode = p.code
        months = p.months
        examDate = p.examDate
        diagnosis = p.diagnosis?.rawValue
        mmse = p.mmse
        cdrsb = p.cdrsb
    }

    func point(path: String) throws -> CoursePoint {
        var d: Diagnosis?
        if let diagnosis {
            guard let parsed = Diagnosis(rawValue: diagnosis) else {
                throw StoreError.corruptRow(path: path, reason: "visits row \(subjectID) \(viscode), column diagnosis: '\(diagnosis.prefix(40))'")
            }
            d = parsed
        }
        let ranges: [(String, Double?, ClosedRange<Double>)] = [
            ("months", months, SubjectRecord.monthsRange), ("mmse", mmse, ClinicalField.mmse.range), ("cdrsb", cdrsb, ClinicalField.cdrsb.range),
        ]
        for (column, value, range) in ranges {
            guard let value, !range.contains(value) else { continue }
            throw StoreError.corruptRow(path: path, reason: "visits row \(subjectID) \(viscode), column \(column): \(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return CoursePoint(code: viscode, months: months, examDate: examDate, diagnosis: d, mmse: mmse, cdrsb: cdrsb)
    }
}
