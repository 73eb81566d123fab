import Cohort
import Store

/// The library's values of each measure by recorded diagnosis, sorted once, so a case can be placed
/// among the CN, MCI and Dementia subjects as percentiles.
struct LibraryStatistics: Sendable {
    /// Measure name → diagnosis → sorted values.
    private var sorted: [String: [Diagnosis: [Double]]] = [:]

    /// The measures placed, with how to read each from a stored case.
    static let measures: [(name: String, value: KeyPath<MeasureRow, Double?> & Sendable)] = [
        ("MMSE", \.mmse), ("MoCA", \.moca), ("ADAS-Cog 13", \.adas13), ("ADAS-Cog 11", \.adas11),
        ("brain parenchymal fraction", \.brainParenchymalFraction), ("white-matter FA", \.whiteMatterFA),
    ]

    init(rows: [MeasureRow]) {
        for (name, value) in Self.measures {
            var groups: [Diagnosis: [Double]] = [:]
            for row in rows { if let v = row[keyPath: value], v.isFinite { groups[row.diagnosis, default: []].append(v) } }
            sorted[name] = groups.mapValues { $0.sorted() }
        }
    }

    /// Mid-rank percentile of `value` in each diagnosis group that has values.
    func percentiles(of value: Double, measure: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for (diagnosis, values) in sorted[measure] ?? [:] where !values.isEmpty {
            let below = values.filter { $0 < value }.count, equal = values.filter { $0 == value }.count
            out[diagnosis.rawValue] = Int((100 * (Double(below) + Double(equal) / 2) / Double(values.count)).rounded())
        }
        return out
    }
}
