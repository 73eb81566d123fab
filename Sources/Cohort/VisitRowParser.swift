import Numerics

/// Validates one visit's fields, every one, recording each problem rather than stopping at the first. The
/// fields are named as ADNIMERGE names them; each cell remembers where it was read (an ADNIMERGE row, or a
/// BIDS participants.tsv or sessions.tsv row under the dataset's own column name), so errors point there.
struct VisitRowParser {
    /// A field's text and where it came from.
    struct Cell {
        var text: String
        var file: String
        var row: Int
        var column: String
    }

    /// Cells by ADNIMERGE column name (upper-case).
    let cells: [String: Cell]
    /// Where the visit as a whole is, for errors about it (its order among the visits, too).
    let file: String
    let row: Int
    /// The `AGE` cell is the age at this visit (BIDS sessions.tsv), not at baseline (ADNIMERGE).
    var ageIsAtVisit = false

    /// The cells of one ADNIMERGE row.
    static func cells(file: String, row: Int, values: [String], position: [String: Int]) -> [String: Cell] {
        Dictionary(uniqueKeysWithValues: position.map { column, index in
            (column, Cell(text: values[index], file: file, row: row, column: column))
        })
    }

    func has(_ column: String) -> Bool { cells[column] != nil }
    func raw(_ column: String) -> String { cells[column]?.text.trimmingCharacters(in: .whitespaces) ?? "" }
    func isMissing(_ column: String) -> Bool { ADNIMergeCSV.missingCodes.contains(raw(column).uppercased()) }

    func fail(_ column: String, _ reason: String) -> CohortError {
        let cell = cells[column]
        return CohortError.invalidValue(file: cell?.file ?? file, row: cell?.row ?? row, field: cell?.column ?? column,
                                        value: ErrorEcho.clip(raw(column)), reason: reason)
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
        check { if has("RID"), !isMissing("RID"), Int(raw("RID")).map({ $0 > 0 }) != true { throw fail("RID", "is not a positive integer") } }
        var examDate: String?
        check {
            guard has("EXAMDATE"), !isMissing("EXAMDATE") else { return }
            guard let d = ADNIMergeCSV.isoDate(raw("EXAMDATE")) else {
                throw fail("EXAMDATE", "is not a date (YYYY-MM-DD or M/D/YYYY, a real day between 1990 and 2100)")
            }
            examDate = d
        }
        var months = codeMonths ?? 0
        check {
            if has("YEARS_BL"), let years = try number("YEARS_BL", range: 0...40, label: "years from baseline") {
                months = years * 12
            } else if has("MONTH"), let m = try number("MONTH", range: 0...480, label: "months from baseline") {
                months = m
            }
        }
        var v = LongitudinalVisit(row: row, visit: VisitInfo(subjectID: id, code: code, months: months, examDate: examDate))
        check { v.diagnosis = try diagnosis("DX") }
        check { if has("DX_BL") { v.baselineDiagnosis = try diagnosis("DX_BL") } }
        check {
            // AGE is the age at baseline on every row; the visit's age adds the time since.
            if let age = try number("AGE", range: 18...110, label: "age") {
                v.age = ((age + (ageIsAtVisit ? 0 : months / 12)) * 10).rounded() / 10
            }
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
