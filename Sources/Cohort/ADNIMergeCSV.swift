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
            let parser = VisitRowParser(cells: VisitRowParser.cells(file: file, row: rowNumber, values: row, position: position),
                                        file: file, row: rowNumber)
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
