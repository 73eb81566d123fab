import Foundation
import Numerics
import SwiftCSV

/// The cohort table, modelled on ADNIMERGE (one row per subject; see README "Cohort CSV format").
public enum CohortCSV {
    public static let columns = ["PTID", "DX", "AGE", "PTGENDER", "PTEDUCAT", "MMSE", "CDRSB", "ADAS11", "ADAS13", "MOCA",
                                 "APOE_GENOTYPE", "T1_PATH", "FA_PATH"]

    /// Parses and validates every row; image paths are resolved against the CSV's folder but not opened
    /// (`CohortImporter` checks the volumes). Throws every bad row's error at once (`RowErrorList`), naming row and field.
    public static func read(path: String) throws -> [CaseRecord] {
        try parse(text(path: path), path: path)
    }

    /// The file's text, bounded and checked to be UTF-8 (shared by every cohort table reader).
    public static func text(path: String) throws -> String {
        let data: Data
        // Regular files only (a FIFO would block), and bounded: the parser holds the whole table in memory.
        do { data = try RegularFile.contents(path, maxBytes: maximumFileBytes) } catch let error as MappedFileError {
            throw CohortError.unreadable(file: path, reason: "cannot read: \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CohortError.unreadable(file: path, reason: "cannot read: not UTF-8 text")
        }
        return text
    }

    /// The folder holding `path`, absolute: image paths relative to a table are stored resolved against the working
    /// directory of the ingest, so the store finds its volumes from any other folder (an ingest of
    /// `cohorts/x/cohort.csv` had stored `cohorts/x/images/…`, which `ask` run elsewhere could not open).
    public static func absoluteFolder(of path: String) -> String {
        (absolutePath(path) as NSString).deletingLastPathComponent
    }

    /// `path` made absolute against the working directory, `.` and `..` removed.
    public static func absolutePath(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// The upper-cased, trimmed header of CSV text, or nil when there is none (used to detect the format).
    public static func header(of text: String) -> [String]? {
        guard let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first else { return nil }
        return line.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines).trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}")).uppercased() }
    }

    /// Largest cohort CSV read (ADNIMERGE, the largest real table of this shape, is ~20 MB).
    public static let maximumFileBytes = 256 << 20

    /// Parses CSV text as `read(path:)` does; `path` resolves image paths and labels errors.
    public static func parse(_ text: String, path: String) throws -> [CaseRecord] {
        let table = try CSVTable(text: text, path: path, required: columns)
        let file = table.file, position = table.position
        let folder = absoluteFolder(of: path)
        var seen: [String: Int] = [:]
        var records: [CaseRecord] = []
        var errors = RowErrorList(file: file)
        for (rowNumber, row) in table.numberedRows(errors: &errors) {
            let parser = RowParser(file: file, row: rowNumber, values: row, position: position, folder: folder)
            guard let record = errors.collect({ try parser.record() }) else { continue }
            if let first = seen[record.subjectID] {
                errors.add(.duplicateSubject(file: file, row: rowNumber, subjectID: ErrorEcho.clip(record.subjectID), firstRow: first))
                continue
            }
            seen[record.subjectID] = rowNumber
            records.append(record)
        }
        // Every row is checked before reporting, so one run lists all the problems (up to a limit).
        try errors.throwIfAny()
        guard !records.isEmpty else { throw CohortError.empty(file: file) }
        return records
    }

    /// Writes records atomically; image paths are written relative to `relativeTo` when inside it.
    public static func write(_ records: [CaseRecord], path: String, relativeTo folder: String? = nil) throws {
        func number(_ v: Double?) -> String {
            guard let v else { return "" }
            return v == v.rounded() ? String(Int(v)) : String(format: "%.2f", v)
        }
        func relative(_ p: String?) -> String {
            guard let p else { return "" }
            if let folder, p.hasPrefix(folder + "/") { return String(p.dropFirst(folder.count + 1)) }
            return p
        }
        var lines = [columns.joined(separator: ",")]
        for r in records {
            let fields = [r.subjectID, r.diagnosis.rawValue, number(r.age), r.sex?.rawValue ?? "", number(r.education),
                          number(r.mmse), number(r.cdrsb), number(r.adas11), number(r.adas13), number(r.moca),
                          r.apoe?.csvValue ?? "", relative(r.t1Path), relative(r.faPath)]
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        do { try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CohortError.unreadable(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }

    static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

/// Validates one CSV row field by field.
private struct RowParser {
    let file: String
    let row: Int
    let values: [String]
    let position: [String: Int]
    let folder: String

    // Every column is present (checked against the header) and rows have the header's length.
    func raw(_ column: String) -> String { position[column].map { values[$0] }?.trimmingCharacters(in: .whitespaces) ?? "" }

    /// The offending value is clipped: errors must stay readable whatever a field holds.
    func fail(_ column: String, _ reason: String) -> CohortError {
        CohortError.invalidValue(file: file, row: row, field: column, value: ErrorEcho.clip(raw(column)), reason: reason)
    }

    func number(_ field: ClinicalField) throws -> Double? {
        let text = raw(field.column)
        if text.isEmpty || text.uppercased() == "NA" { return nil }
        guard let v = Double(text) else { throw fail(field.column, "is not a number") }
        guard v.isFinite else { throw fail(field.column, "is not finite") }
        guard field.range.contains(v) else {
            throw fail(field.column, "is outside the valid \(field.label) range \(Int(field.range.lowerBound))–\(Int(field.range.upperBound))")
        }
        return v
    }

    func path(_ column: String) -> String? {
        let text = raw(column)
        if text.isEmpty { return nil }
        return text.hasPrefix("/") ? text : (folder.isEmpty ? text : folder + "/" + text)
    }

    func record() throws -> CaseRecord {
        let id = raw("PTID")
        guard !id.isEmpty else { throw fail("PTID", "is empty; every row needs a subject id") }
        guard id.count <= 64 else { throw fail("PTID", "is longer than 64 characters") }
        guard id.allSatisfy({ $0.isLetter || $0.isNumber || "_-.".contains($0) }) else {
            throw fail("PTID", "may hold only letters, digits, '_', '-' and '.'")
        }
        guard let diagnosis = Diagnosis(parsing: raw("DX")) else { throw fail("DX", "is not a diagnosis (CN, MCI or Dementia)") }
        var sex: Sex?
        if !raw("PTGENDER").isEmpty {
            guard let s = Sex(parsing: raw("PTGENDER")) else { throw fail("PTGENDER", "is not a sex (F/Female or M/Male)") }
            sex = s
        }
        var apoe: APOEGenotype?
        if !raw("APOE_GENOTYPE").isEmpty {
            guard let g = APOEGenotype(parsing: raw("APOE_GENOTYPE")) else {
                throw fail("APOE_GENOTYPE", "is not an APOE genotype such as 3/4 (alleles 2, 3, 4)")
            }
            apoe = g
        }
        let record = CaseRecord(
            subjectID: id, diagnosis: diagnosis, age: try number(.age), sex: sex, education: try number(.education),
            mmse: try number(.mmse), cdrsb: try number(.cdrsb), adas11: try number(.adas11), adas13: try number(.adas13),
            moca: try number(.moca), apoe: apoe, t1Path: path("T1_PATH"), faPath: path("FA_PATH"))
        if let a11 = record.adas11, let a13 = record.adas13, a13 < a11 {
            throw fail("ADAS13", "is below ADAS11 (\(a11)); ADAS-Cog 13 adds items to ADAS-Cog 11")
        }
        return record
    }
}
