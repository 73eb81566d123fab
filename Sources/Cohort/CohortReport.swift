import Foundation

/// `memoir synth --statistics`: group statistics of a generated cohort against the calibration targets,
/// and how separable the diagnosis is from clinical scores alone.
public struct CohortReport: Sendable, Codable {
    public struct Row: Sendable, Codable {
        public var measure: String
        public var group: String
        public var mean: Double
        public var sd: Double
        public var target: Double?
        public var targetSD: Double?
        public var withinTarget: Bool?
    }

    public var rows: [Row] = []
    /// Balanced accuracy of linear discriminant analysis on ADAS-11, ADAS-13, MMSE, MoCA (test split).
    public var clinicalOnlyBalancedAccuracy3Class = 0.0
    public var clinicalOnlyBalancedAccuracyCNvsDementia = 0.0
    public var allWithinTarget: Bool { rows.allSatisfy { $0.withinTarget ?? true } }

    /// `hippocampusML`/`ventricleML` give each subject's simulated volumes (nil when images were not made).
    public init(subjects: [SyntheticSubject], hippocampusML: Double?, ventricleML: Double?, seed: UInt64) {
        typealias C = CalibrationTable
        for d in Diagnosis.allCases {
            let group = subjects.filter { $0.record.diagnosis == d }
            func add(_ name: String, _ values: [Double], _ target: CalibrationTable.Normal?) {
                let (m, s) = Self.meanSD(values)
                let t = target?(d)
                // Clipping to valid ranges moves means near floors and ceilings; allow a third of an SD.
                let ok = t.map { abs(m - $0.mean) <= max(0.35 * $0.sd, 0.1) }
                rows.append(Row(measure: name, group: d.rawValue, mean: m, sd: s, target: t?.mean, targetSD: t?.sd, withinTarget: ok))
            }
            func rate(_ name: String, _ hits: Int, _ target: Double?) {
                let r = Double(hits) / Double(max(group.count, 1))
                rows.append(Row(measure: name, group: d.rawValue, mean: r, sd: 0, target: target, targetSD: nil,
                                withinTarget: target.map { abs(r - $0) <= max(0.05, 3 * ($0 * (1 - $0) / Double(max(group.count, 1))).squareRoot()) }))
            }
            rows.append(Row(measure: "subjects", group: d.rawValue, mean: Double(group.count), sd: 0, target: nil, targetSD: nil, withinTarget: nil))
            add("age", group.compactMap(\.record.age), C.age)
            rate("female", group.filter { $0.record.sex == .female }.count, C.femaleRate(d))
            add("MMSE", group.compactMap(\.record.mmse), C.mmse)
            add("CDR-SB", group.compactMap(\.record.cdrsb), C.cdrsb)
            add("ADAS-11", group.compactMap(\.record.adas11), C.adas11)
            add("ADAS-13", group.compactMap(\.record.adas13), C.adas13)
            add("MoCA", group.compactMap(\.record.moca), C.moca)
            rate("APOE ε4 carrier", group.filter { ($0.record.apoe?.e4Count ?? 0) > 0 }.count, C.e4CarrierRate(d))
            rate("DTI-FA present", group.filter(\.hasFA).count, C.dtiRate)
            if let hippocampusML {
                add("hippocampus mL", group.map { hippocampusML * (1 - $0.gmLoss - $0.hippocampalLoss) * pow($0.headScale, 3) }, nil)
            }
            if let ventricleML {
                add("lateral ventricles mL", group.map { ventricleML * (1 + $0.ventricleExpansion) * pow($0.headScale, 3) }, nil)
            }
        }
        let records = subjects.map(\.record)
        let split = StratifiedSplit.assign(records, seed: seed)
        let train = records.filter { split[$0.subjectID] == .train }, test = records.filter { split[$0.subjectID] == .test }
        clinicalOnlyBalancedAccuracy3Class = LinearDiscriminant.balancedAccuracy(train: train, test: test, classes: Diagnosis.allCases)
        clinicalOnlyBalancedAccuracyCNvsDementia = LinearDiscriminant.balancedAccuracy(
            train: train.filter { $0.diagnosis != .mci }, test: test.filter { $0.diagnosis != .mci }, classes: [.cn, .dementia])
    }

    static func meanSD(_ v: [Double]) -> (Double, Double) {
        guard !v.isEmpty else { return (.nan, .nan) }
        let m = v.reduce(0, +) / Double(v.count)
        let s = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(max(v.count - 1, 1))).squareRoot()
        return (m, s)
    }

    public var markdown: String {
        var lines = ["| measure | group | mean | SD | target | in range |", "|---|---|---:|---:|---:|:-:|"]
        for r in rows {
            let target = r.target.map { t in r.targetSD.map { String(format: "%.2f ± %.2f", t, $0) } ?? String(format: "%.2f", t) } ?? ""
            let ok = r.withinTarget.map { $0 ? "yes" : "NO" } ?? ""
            lines.append("| \(r.measure) | \(r.group) | \(String(format: "%.2f", r.mean)) | \(String(format: "%.2f", r.sd)) | \(target) | \(ok) |")
        }
        lines.append("")
        lines.append(String(format: "Clinical scores only (ADAS-11, ADAS-13, MMSE, MoCA; LDA, test split): balanced accuracy %.3f (3-class), %.3f (CN vs Dementia).",
                            clinicalOnlyBalancedAccuracy3Class, clinicalOnlyBalancedAccuracyCNvsDementia))
        return lines.joined(separator: "\n")
    }
}
