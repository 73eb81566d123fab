/// An 80/20 train/test split stratified by diagnosis, reproducible from a seed. Visits of one subject
/// always share a side, so no subject is both in the library and among the queries.
public enum StratifiedSplit {
    /// ⌈fraction·n⌉ test subjects per diagnosis (2,363 → 474 test, as MEMOIR), chosen by a seeded shuffle
    /// of the ids sorted, so the split depends only on the ids, their diagnoses and the seed. Keyed by case id.
    public static func assign(_ records: [CaseRecord], testFraction: Double = 0.2, seed: UInt64) -> [String: Split] {
        // Each subject is stratified by the diagnosis of its earliest case (its baseline when present).
        var first: [String: CaseRecord] = [:]
        for r in records {
            if let seen = first[r.subject], (seen.visit?.months ?? 0) <= (r.visit?.months ?? 0) { continue }
            first[r.subject] = r
        }
        let bySubject = assign(subjects: first.mapValues(\.diagnosis), testFraction: testFraction, seed: seed)
        var out: [String: Split] = [:]
        for r in records { out[r.subjectID] = bySubject[r.subject] }
        return out
    }

    /// The split of subjects given each one's stratum.
    public static func assign(subjects: [String: Diagnosis], testFraction: Double = 0.2, seed: UInt64) -> [String: Split] {
        var out: [String: Split] = [:]
        for diagnosis in Diagnosis.allCases {
            var ids = subjects.filter { $0.value == diagnosis }.map(\.key).sorted()
            var rng = SeededGenerator(seed: seed &+ UInt64(diagnosis.index))
            ids.shuffle(using: &rng)
            let testCount = Int((Double(ids.count) * testFraction).rounded(.up))
            for (n, id) in ids.enumerated() { out[id] = n < testCount ? .test : .train }
        }
        return out
    }
}
