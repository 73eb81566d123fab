import Foundation
import Numerics
import SwiftCSV

/// ADNIMERGE as downloaded from LONI (`ADNIMERGE.csv`, one row per subject visit), read with its own column
/// names and conventions; see README "Cohort CSV format" and Fixtures/adnimerge/README.md.
public enum ADNIMergeCSV {
    /// Columns every ADNIMERGE export has and Memoir reads.
    public static let requiredColumns = ["PTID", "VISCODE", "DX", "AGE", "PTGENDER", "PTEDUCAT", "APOE4", "MMSE", "CDRSB",
                                         "ADAS11", "ADAS13", "MOCA"]
    /// Read when present: `RID` (checked), `EXAMDATE`, `DX_bl`, and the time from baseline (`Years_bl`, else `Month`).
    public static let optionalColumns = ["RID", "EXAMDATE", "DX_BL", "YEARS_BL", "MONTH"]

    /// A table with a `VISCODE` column is longitudinal (one row per visit); the cohort CSV has none.
    public static func isLongitudinal(header: [String]) -> Bool { header.contains("VISCODE") }

    /// ADNI's codes for a missing value: empty, `NA`, and in its source tables -4 ("not applicable /
    /// insufficient data") and -1 ("not done"). None of the columns read can be negative, so both are safe to drop.
    public static let missingCodes: Set<String> = ["", "NA", "N/A", "-4", "-1", "-4.0", "-1.0"]

    /// Parses and validates every visit, reporting all bad rows at once (`RowErrorList`).
    public static func parse(_ text: String, path: String) throws -> [LongitudinalVisit] {
        let table = try CSVTable(text: text, path: path, required: requiredColumns)
        let file = table.file, position = table.position
        var errors = RowErrorList(file: file)
        var seen: [String: Int] = [:]
        var visits: [LongitudinalVisit] = []
        for (rowNumber, row) in table.numberedRows(errors: &errors) {
            let parser = VisitRowParser(file: file, row: rowNumber, values: row, position: position)
            var rowErrors = RowErrorList(file: file)
            let visit = parser.visit(errors: &rowErrors)
            for e in rowErrors.errors { errors.add(e) }
            guard let visit, rowErrors.isEmpty else { continue }
            let key = visit.visit.subjectID + "|" + visit.visit.code
            if let first = seen[key] {
                errors.add(.invalidValue(file: file, row: rowNumber, field: "VISCODE", value: ErrorEcho.clip(visit.visit.code),
                                         reason: "repeats subject \(visit.visit.subjectID)'s visit from row \(first)"))
                continue
            }
            seen[key] = rowNumber
            visits.append(visit)
        }
        try errors.throwIfAny()
        guard !visits.isEmpty else { throw CohortError.empty(file: file) }
        return visits
    }

    /// Months of a visit code: `bl` is 0, `mNN` is NN (`m06`, `m120`); nil for anything else.
    public static func months(ofVisitCode code: String) -> Double? {
        if code == "bl" { return 0 }
        guard code.count >= 2, code.count <= 4, code.first == "m", let n = Int(code.dropFirst()), n > 0 else { return nil }
        return Double(n)
    }

    /// An exam date as ISO `YYYY-MM-DD`: accepts ISO and the US `M/D/YYYY` of LONI's spreadsheet exports; nil when
    /// the text is not a real calendar day between 1990 and 2100.
    public static func isoDate(_ text: String) -> String? {
        let parts: [Int]
        let fields: [Substring]
        if text.contains("-") {
            fields = text.split(separator: "-", omittingEmptySubsequences: false)
            guard fields.count == 3, fields[0].count == 4 else { return nil }
            parts = fields.compactMap { Int($0) }
            guard parts.count == 3 else { return nil }
            return validDate(year: parts[0], month: parts[1], day: parts[2])
        }
        fields = text.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 3, fields[2].count == 4 else { return nil }
        parts = fields.compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return validDate(year: parts[2], month: parts[0], day: parts[1])
    }

    static func validDate(year: Int, month: Int, day: Int) -> String? {
        guard (1990...2100).contains(year), (1...12).contains(month), day >= 1 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= days else { return nil }
        return String(format: "%04d-%02d-%02d", year, month, day)
    }

    /// Writes visits as an ADNIMERGE-like table (the synthetic generator's `adnimerge.csv`), atomically.
    /// `baselineLabels` overrides the `DX_bl` spelling per subject (ADNIMERGE writes CN, SMC, EMCI, LMCI, AD).
    public static func write(_ visits: [LongitudinalVisit], path: String, baselineLabels: [String: String] = [:]) throws {
        func number(_ v: Double?) -> String {
            guard let v else { return "" }
            return v == v.rounded() ? String(Int(v)) : String(format: "%.4g", v)
        }
        var lines = [["RID", "PTID", "VISCODE", "EXAMDATE", "DX_bl", "DX", "AGE", "PTGENDER", "PTEDUCAT", "APOE4", "MMSE", "CDRSB",
                      "ADAS11", "ADAS13", "MOCA", "Years_bl", "Month"].joined(separator: ",")]
        var rids: [String: Int] = [:]
        for v in visits {
            let rid = rids[v.visit.subjectID] ?? (rids.count + 1)
            rids[v.visit.subjectID] = rid
            let sex = v.sex.map { $0 == .female ? "Female" : "Male" } ?? ""
            let baselineAge = v.age.map { (($0 - v.visit.months / 12) * 10).rounded() / 10 }
            let fields = [String(rid), v.visit.subjectID, v.visit.code, v.visit.examDate ?? "",
                          baselineLabels[v.visit.subjectID] ?? v.baselineDiagnosis?.rawValue ?? "",
                          v.diagnosis?.rawValue ?? "", number(baselineAge), sex, number(v.education), v.e4Count.map(String.init) ?? "",
                          number(v.mmse), number(v.cdrsb), number(v.adas11), number(v.adas13), number(v.moca),
                          String(format: "%.4f", v.visit.months / 12), String(Int(v.visit.months.rounded()))]
            lines.append(fields.map(CohortCSV.quoted).joined(separator: ","))
        }
        do { try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CohortError.unreadable(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}

/// Validates one ADNIMERGE row, every field, recording each problem rather than stopping at the first.
private struct VisitRowParser {
    let file: String
    let row: Int
    let values: [String]
    let position: [String: Int]

    func raw(_ column: String) -> String { position[column].map { values[$0] }?.trimmingCharacters(in: .whitespaces) ?? "" }
    func isMissing(_ column: String) -> Bool { ADNIMergeCSV.missingCodes.contains(raw(column).uppercased()) }

    func fail(_ column: String, _ reason: String) -> CohortError {
        CohortError.invalidValue(file: file, row: row, field: column, value: ErrorEcho.clip(raw(column)), reason: reason)
    }

    func number(_ column: String, range: ClosedRange<Double>, label: String) throws -> Double? {
        if isMissing(column) { return nil }
        guard let v = Double(raw(column)), v.isFinite else { throw fail(column, "is not a number (missing values are empty, NA, -4 or -1)") }
        guard range.contains(v) else { throw fail(column, "is outside the valid \(label) range \(Self.format(range.lowerBound))–\(Self.format(range.upperBound))") }
        return v
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }

    func score(_ field: ClinicalField) throws -> Double? { try number(field.column, range: field.range, label: field.label) }

    /// ADNIMERGE's DX; older exports spell changes as "NL to MCI", "MCI to Dementia": the state reached counts.
    func diagnosis(_ column: String) throws -> Diagnosis? {
        if isMissing(column) { return nil }
        var text = raw(column)
        if let range = text.range(of: " to ", options: .caseInsensitive) { text = String(text[range.upperBound...]) }
        guard let d = Diagnosis(parsing: text) else {
            throw fail(column, "is not a diagnosis (CN, MCI, Dementia; also NL, SMC, EMCI, LMCI, AD, 'NL to MCI')")
        }
        return d
    }

    func visit(errors: inout RowErrorList) -> LongitudinalVisit? {
        let id = raw("PTID")
        var ok = true
        func check(_ body: () throws -> Void) { do { try body() } catch let e as CohortError { errors.add(e); ok = false } catch { ok = false } }
        check {
            guard !id.isEmpty else { throw fail("PTID", "is empty; every row needs a subject id") }
            guard id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
                throw fail("PTID", "may hold only up to 64 letters, digits, '_', '-' and '.'")
            }
        }
        let code = raw("VISCODE").lowercased()
        let codeMonths = ADNIMergeCSV.months(ofVisitCode: code)
        check { if codeMonths == nil { throw fail("VISCODE", "is not an ADNIMERGE visit code (bl, m03, m06, m12, ...)") } }
        check { if position["RID"] != nil, !isMissing("RID"), Int(raw("RID")).map({ $0 > 0 }) != true { throw fail("RID", "is not a positive integer") } }
        var examDate: String?
        check {
            guard position["EXAMDATE"] != nil, !isMissing("EXAMDATE") else { return }
            guard let d = ADNIMergeCSV.isoDate(raw("EXAMDATE")) else {
                throw fail("EXAMDATE", "is not a date (YYYY-MM-DD or M/D/YYYY, a real day between 1990 and 2100)")
            }
            examDate = d
        }
        var months = codeMonths ?? 0
        check {
            if position["YEARS_BL"] != nil, let years = try number("YEARS_BL", range: 0...40, label: "years from baseline") {
                months = years * 12
            } else if position["MONTH"] != nil, let m = try number("MONTH", range: 0...480, label: "months from baseline") {
                months = m
            }
        }
        var v = LongitudinalVisit(row: row, visit: VisitInfo(subjectID: id, code: code, months: months, examDate: examDate))
        check { v.diagnosis = try diagnosis("DX") }
        check { if position["DX_BL"] != nil { v.baselineDiagnosis = try diagnosis("DX_BL") } }
        check {
            // AGE is the age at baseline on every row; the visit's age adds the time since.
            if let age = try number("AGE", range: 18...110, label: "age") { v.age = ((age + months / 12) * 10).rounded() / 10 }
        }
        check {
            guard !isMissing("PTGENDER") else { return }
            guard let s = Sex(parsing: raw("PTGENDER")) else { throw fail("PTGENDER", "is not a sex (Female/Male)") }
            v.sex = s
        }
        check { v.education = try score(.education) }
        check { v.mmse = try score(.mmse) }
        check { v.cdrsb = try score(.cdrsb) }
        check { v.adas11 = try score(.adas11) }
        check { v.adas13 = try score(.adas13) }
        check { v.moca = try score(.moca) }
        check {
            guard let count = try number("APOE4", range: 0...2, label: "ε4 allele count") else { return }
            guard count == count.rounded() else { throw fail("APOE4", "is not a whole number of ε4 alleles (0, 1 or 2)") }
            v.e4Count = Int(count)
        }
        check {
            if let a11 = v.adas11, let a13 = v.adas13, a13 < a11 {
                throw fail("ADAS13", "is below ADAS11 (\(a11)); ADAS-Cog 13 adds items to ADAS-Cog 11")
            }
        }
        return ok ? v : nil
    }
}
