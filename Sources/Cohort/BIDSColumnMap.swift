import Foundation
import Numerics

/// Which columns of a BIDS dataset's `participants.tsv` and `sub-*_sessions.tsv` hold the fields Memoir reads,
/// named as ADNIMERGE names them. The standard map knows ADNIMERGE's own names and common BIDS spellings
/// (`sex`, `age`, `diagnosis`, Clinica's `MMS` and `cdr_sb`); a JSON file (`--column-map`) names others:
/// `{"DX": "clinical_group", "MMSE": ["mmse_total", "mmse"]}`.
public struct BIDSColumnMap: Sendable, Equatable {
    /// ADNIMERGE field → candidate column names, lower-cased, first found wins.
    public var candidates: [String: [String]]

    /// The fields a map may name. `PTID` is the subject id to store (else the participant label); `VISCODE` or
    /// `MONTH` in sessions.tsv date a session whose label is not a visit code.
    public static let fields = ["PTID", "VISCODE", "MONTH", "EXAMDATE", "DX", "DX_BL", "AGE", "PTGENDER", "PTEDUCAT", "APOE4",
                                "MMSE", "CDRSB", "ADAS11", "ADAS13", "MOCA"]

    public static let standard = BIDSColumnMap(candidates: [
        "PTID": ["ptid", "alternative_id_1"],
        "VISCODE": ["viscode"],
        "MONTH": ["month", "months", "months_bl"],
        "EXAMDATE": ["examdate", "acq_time", "session_date"],
        "DX": ["dx", "diagnosis", "group"],
        "DX_BL": ["dx_bl", "diagnosis_bl", "baseline_diagnosis"],
        "AGE": ["age"],
        "PTGENDER": ["ptgender", "sex", "gender"],
        "PTEDUCAT": ["pteducat", "education", "education_level", "educ"],
        "APOE4": ["apoe4", "apoe_e4", "apoe4_count"],
        "MMSE": ["mmse", "mms"],
        "CDRSB": ["cdrsb", "cdr_sb"],
        "ADAS11": ["adas11", "adas_11"],
        "ADAS13": ["adas13", "adas_13"],
        "MOCA": ["moca"],
    ])

    public init(candidates: [String: [String]]) {
        self.candidates = candidates
    }

    /// The standard map with the file's entries in front (a named column is tried before the standard ones).
    public static func read(path: String) throws -> BIDSColumnMap {
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: 1 << 20) } catch let error as MappedFileError {
            throw CohortError.unreadable(file: path, reason: "cannot read: \(error.reason)")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CohortError.unreadable(file: path, reason: "not a JSON object of field → column name(s), e.g. {\"DX\": \"diagnosis\"}")
        }
        var map = standard
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let field = key.uppercased()
            guard fields.contains(field) else {
                throw CohortError.unreadable(file: path, reason: "'\(ErrorEcho.clip(key))' is not a field Memoir reads (\(fields.joined(separator: ", ")))")
            }
            let names: [String]
            if let one = value as? String { names = [one] } else if let many = value as? [String] { names = many } else {
                throw CohortError.unreadable(file: path, reason: "\(field): give a column name or a list of names")
            }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && $0.count <= 128 }) else {
                throw CohortError.unreadable(file: path, reason: "\(field): column names must be 1–128 characters")
            }
            map.candidates[field] = names.map { $0.lowercased() } + (standard.candidates[field] ?? [])
        }
        return map
    }

    /// The column of `header` (upper-cased, as `CSVTable` keeps it) that holds `field`, if any.
    func column(for field: String, in header: [String]) -> String? {
        candidates[field]?.lazy.map { $0.uppercased() }.first { header.contains($0) }
    }
}
