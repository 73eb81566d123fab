import Foundation
import Numerics
import SwiftCSV

/// A cohort table as every reader here needs it: parsed, header upper-cased and checked for the required
/// columns, columns found by name, and rows numbered as in the file (the header is row 1) with blank rows
/// skipped and rows of the wrong width reported instead of read.
struct CSVTable {
    /// The file name errors are labelled with.
    let file: String
    let header: [String]
    /// Column name → index.
    let position: [String: Int]
    private let rows: [[String]]

    /// `tab`: a tab-separated table (BIDS `.tsv`). `label`: what errors call the file (default: its name).
    init(text: String, path: String, required: [String], tab: Bool = false, label: String? = nil) throws {
        let file = label ?? (path as NSString).lastPathComponent
        let csv: EnumeratedCSV
        do { csv = try EnumeratedCSV(string: text, delimiter: tab ? .tab : .comma, loadColumns: false) } catch {
            throw CohortError.unreadable(file: path, reason: "not valid \(tab ? "TSV" : "CSV"): \(ErrorEcho.clip("\(error)"))")
        }
        let header = csv.header.map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else { throw CohortError.missingColumns(file: file, columns: missing) }
        self.file = file
        self.header = header
        position = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        rows = csv.rows
    }

    /// The non-blank rows with their row numbers; a row whose field count is not the header's goes to `errors`.
    func numberedRows(errors: inout RowErrorList) -> [(number: Int, values: [String])] {
        var out: [(number: Int, values: [String])] = []
        for (offset, row) in rows.enumerated() {
            let number = offset + 2
            if row.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            guard row.count == header.count else {
                errors.add(.invalidValue(file: file, row: number, field: "(row)", value: "\(row.count) fields",
                                         reason: "has a different field count from the header's \(header.count)"))
                continue
            }
            out.append((number, row))
        }
        return out
    }
}
