import Cohort
import GRDB

/// Narrow reads for the ask path. A question needs its ~50 candidates' rows and, for the percentiles, six measures
/// of every training case; reading every training row with its caption (as `allCases` does) was most of a CLI
/// call's start-up at 10⁵ cases (Benchmarks/results/scale-1e5.md).
extension CaseStore {
    /// Rows per `IN (…)` query, well under SQLite's bound on host parameters.
    static let idsPerQuery = 500

    /// The stored cases among `ids`, by id; ids not in the store are absent.
    public func storedCases(ids: [String]) throws -> [String: StoredCase] {
        try read { db in try storedCases(db, ids: ids) }
    }

    /// Within one read transaction, so every chunk sees the same store.
    func storedCases(_ db: Database, ids: [String]) throws -> [String: StoredCase] {
        let unique = Array(Set(ids))
        var out: [String: StoredCase] = [:]
        for start in stride(from: 0, to: unique.count, by: Self.idsPerQuery) {
            let chunk = Array(unique[start..<min(start + Self.idsPerQuery, unique.count)])
            for record in try SubjectRecord.fetchAll(db, keys: chunk) { out[record.id] = try record.storedCase(path: path) }
        }
        return out
    }

    /// Diagnosis and the placed measures of every case in `split`, checked as `storedCase` checks them.
    public func measureRows(split: Split) throws -> [MeasureRow] {
        let columns = ["mmse", "moca", "adas13", "adas11", "brain_parenchymal_fraction", "white_matter_fa"]
        let sql = "SELECT id, diagnosis, \(columns.joined(separator: ", ")) FROM subjects WHERE split = ? ORDER BY id"
        return try read { db in
            var rows: [MeasureRow] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: [split.rawValue])
            while let row = try cursor.next() {
                let id: String = try SubjectRecord.value(row, "id", id: "?") ?? "?"
                let label: String = try SubjectRecord.value(row, "diagnosis", id: id) ?? ""
                guard let diagnosis = Diagnosis(rawValue: label) else {
                    throw StoreError.corruptRow(path: path, reason: "subjects row \(id), column diagnosis: '\(String(label.prefix(40)))'")
                }
                var values: [Double?] = []
                for column in columns {
                    let value: Double? = try SubjectRecord.value(row, column, id: id)
                    try SubjectRecord.check(value, column: column, id: id, path: path)
                    values.append(value)
                }
                rows.append(MeasureRow(diagnosis: diagnosis, mmse: values[0], moca: values[1], adas13: values[2], adas11: values[3],
                                       brainParenchymalFraction: values[4], whiteMatterFA: values[5]))
            }
            return rows
        }
    }
}

extension CaseStore {
    /// One page of the cases in `split` (all when nil) recorded with `diagnosis` (any when nil) that `matches`
    /// accepts (given the id and, when `withCaptions`, the caption), in id order, with how many match in all. Only
    /// ids (and captions for a search) are read for every case, whole rows for the page; both in one transaction,
    /// so a re-ingest in between cannot drop a listed row.
    public func casePage(split: Split?, diagnosis: Diagnosis?, withCaptions: Bool, offset: Int, limit: Int,
                         matches: (String, String?) -> Bool) throws -> (total: Int, cases: [StoredCase]) {
        var request = SubjectRecord.filter(split: split)
        if let diagnosis { request = request.filter(Column("diagnosis") == diagnosis.rawValue) }
        let columns = withCaptions ? [Column("id"), Column("caption")] : [Column("id")]
        return try read { db in
            var matching: [String] = []
            let cursor = try Row.fetchCursor(db, request.select(columns).order(Column("id")))
            while let row = try cursor.next() {
                let id: String = try SubjectRecord.value(row, "id", id: "?") ?? "?"
                if matches(id, withCaptions ? try SubjectRecord.value(row, "caption", id: id) : nil) { matching.append(id) }
            }
            let page = Array(matching.dropFirst(offset).prefix(limit))
            let rows = try storedCases(db, ids: page)
            return (matching.count, page.compactMap { rows[$0] })
        }
    }
}
