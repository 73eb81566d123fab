import Cohort

/// The library's values of each measure by recorded diagnosis, sorted once, so a case can be placed
/// among the CN, MCI and Dementia subjects as percentiles.
struct LibraryStatistics: Sendable {
    /// Measure name → diagnosis → sorted values.
    private var sorted: [String: [Diagnosis: [Double]]] = [:]

    /// The measures placed, with how to read each from a stored case.
    static let measures: [(name: String, value: @Sendable (StoredCase) -> Double?)] = [
        ("MMSE", { $0.record.mmse }), ("MoCA", { $0.record.moca }), ("ADAS-Cog 13", { $0.record.adas13 }),
        ("ADAS-Cog 11", { $0.record.adas11 }),
        ("brain parenchymal fraction", { $0.measures.brainParenchymalFraction }),
        ("white-matter FA", { $0.measures.whiteMatterFA }),
    ]

    init(library: [StoredCase]) {
        for (name, value) in Self.measures {
            var groups: [Diagnosis: [Double]] = [:]
            for c in library { if let v = value(c), v.isFinite { groups[c.record.diagnosis, default: []].append(v) } }
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
