import Foundation
import Numerics
import SwiftCSV

/// The image map that goes with a longitudinal table: which volumes belong to which subject and visit
/// (columns `PTID`, `VISCODE`, `T1_PATH`, optional `FA_PATH`; paths relative to the map's folder or absolute).
public enum ImageMapCSV {
    public static let requiredColumns = ["PTID", "VISCODE", "T1_PATH"]

    public struct Entry: Sendable, Equatable {
        public var row: Int
        public var t1Path: String?
        public var faPath: String?

        public init(row: Int, t1Path: String?, faPath: String?) {
            self.row = row
            self.t1Path = t1Path
            self.faPath = faPath
        }
    }

    /// Entries keyed by `PTID|VISCODE`; every bad row is reported at once.
    public static func read(path: String) throws -> [String: Entry] {
        let text = try CohortCSV.text(path: path)
        let table = try CSVTable(text: text, path: path, required: requiredColumns)
        let file = table.file, position = table.position
        let folder = CohortCSV.absoluteFolder(of: path)
        var errors = RowErrorList(file: file)
        var out: [String: Entry] = [:]
        for (rowNumber, row) in table.numberedRows(errors: &errors) {
            func raw(_ c: String) -> String { position[c].map { row[$0] }?.trimmingCharacters(in: .whitespaces) ?? "" }
            func path(_ c: String) -> String? {
                let text = raw(c)
                if text.isEmpty { return nil }
                return text.hasPrefix("/") ? text : (folder.isEmpty ? text : folder + "/" + text)
            }
            let id = raw("PTID"), code = raw("VISCODE").lowercased()
            guard !id.isEmpty else {
                errors.add(.invalidValue(file: file, row: rowNumber, field: "PTID", value: "", reason: "is empty"))
                continue
            }
            guard ADNIMergeCSV.months(ofVisitCode: code) != nil else {
                errors.add(.invalidValue(file: file, row: rowNumber, field: "VISCODE", value: ErrorEcho.clip(raw("VISCODE")),
                                         reason: "is not an ADNIMERGE visit code (bl, m06, m12, ...)"))
                continue
            }
            let key = id + "|" + code
            if let first = out[key] {
                errors.add(.invalidValue(file: file, row: rowNumber, field: "VISCODE", value: code,
                                         reason: "repeats subject \(ErrorEcho.clip(id))'s visit from row \(first.row)"))
                continue
            }
            out[key] = Entry(row: rowNumber, t1Path: path("T1_PATH"), faPath: path("FA_PATH"))
        }
        try errors.throwIfAny()
        return out
    }

    /// Writes a map (the synthetic generator's `image_map.csv`), paths relative to `folder` when inside it.
    public static func write(_ rows: [(subject: String, code: String, t1: String?, fa: String?)], path: String, relativeTo folder: String) throws {
        func relative(_ p: String?) -> String {
            guard let p else { return "" }
            return p.hasPrefix(folder + "/") ? String(p.dropFirst(folder.count + 1)) : p
        }
        let lines = ["PTID,VISCODE,T1_PATH,FA_PATH"] + rows.map {
            [$0.subject, $0.code, relative($0.t1), relative($0.fa)].map(CohortCSV.quoted).joined(separator: ",")
        }
        do { try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CohortError.unreadable(file: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
