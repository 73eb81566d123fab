/// An 80/20 train/test split stratified by diagnosis, reproducible from a seed.
public enum StratifiedSplit {
    /// ⌈fraction·n⌉ test subjects per diagnosis (2,363 → 474 test, as MEMOIR), chosen by a seeded shuffle
    /// of the ids sorted, so the split depends only on the ids, their diagnoses and the seed.
    public static func assign(_ records: [CaseRecord], testFraction: Double = 0.2, seed: UInt64) -> [String: Split] {
        var out: [String: Split] = [:]
        for diagnosis in Diagnosis.allCases {
            var ids = records.filter { $0.diagnosis == diagnosis }.map(\.subjectID).sorted()
            var rng = SeededGenerator(seed: seed &+ UInt64(diagnosis.index))
            ids.shuffle(using: &rng)
            let testCount = Int((Double(ids.count) * testFraction).rounded(.up))
            for (n, id) in ids.enumerated() { out[id] = n < testCount ? .test : .train }
        }
        return out
    }
}
