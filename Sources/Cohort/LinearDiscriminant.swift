/// Linear discriminant analysis with equal priors over the encoder's clinical inputs, the "simple classifier"
/// used to check that the synthetic scores are informative but not trivially separable.
enum LinearDiscriminant {
    static func features(_ r: CaseRecord, fill: [Double]) -> [Double] {
        [r.adas11 ?? fill[0], r.adas13 ?? fill[1], r.mmse ?? fill[2], r.moca ?? fill[3]]
    }

    static func balancedAccuracy(train: [CaseRecord], test: [CaseRecord], classes: [Diagnosis]) -> Double {
        let p = 4
        // Missing values are filled with the training mean, as a simple imputer would.
        let columns: [(CaseRecord) -> Double?] = [{ $0.adas11 }, { $0.adas13 }, { $0.mmse }, { $0.moca }]
        let fill = columns.map { c in let v = train.compactMap(c); return v.reduce(0, +) / Double(max(v.count, 1)) }
        var means: [[Double]] = []
        var pooled = [Double](repeating: 0, count: p * p)
        for d in classes {
            let x = train.filter { $0.diagnosis == d }.map { features($0, fill: fill) }
            let m = (0..<p).map { j in x.reduce(0) { $0 + $1[j] } / Double(max(x.count, 1)) }
            means.append(m)
            for row in x { for a in 0..<p { for b in 0..<p { pooled[a * p + b] += (row[a] - m[a]) * (row[b] - m[b]) } } }
        }
        pooled = pooled.map { $0 / Double(max(train.count - classes.count, 1)) }
        guard let inverse = invert(pooled, p) else { return .nan }
        func score(_ x: [Double], _ m: [Double]) -> Double {
            var s = 0.0
            for a in 0..<p { for b in 0..<p { s += inverse[a * p + b] * m[b] * (x[a] - 0.5 * m[a]) } }
            return s
        }
        var recall: [Double] = []
        for (c, d) in classes.enumerated() {
            let group = test.filter { $0.diagnosis == d }
            guard !group.isEmpty else { continue }
            let hits = group.filter { r in
                let x = features(r, fill: fill)
                let scores = means.map { score(x, $0) }
                return scores.indices.max { scores[$0] < scores[$1] } == c
            }.count
            recall.append(Double(hits) / Double(group.count))
        }
        return recall.reduce(0, +) / Double(max(recall.count, 1))
    }

    /// Gauss–Jordan inverse with partial pivoting; nil when singular.
    static func invert(_ m: [Double], _ n: Int) -> [Double]? {
        var a = m, inv = (0..<n * n).map { $0 / n == $0 % n ? 1.0 : 0.0 }
        for col in 0..<n {
            let pivot = (col..<n).max { abs(a[$0 * n + col]) < abs(a[$1 * n + col]) }!
            guard abs(a[pivot * n + col]) > 1e-12 else { return nil }
            for k in 0..<n { a.swapAt(col * n + k, pivot * n + k); inv.swapAt(col * n + k, pivot * n + k) }
            let d = a[col * n + col]
            for k in 0..<n { a[col * n + k] /= d; inv[col * n + k] /= d }
            for r in 0..<n where r != col {
                let f = a[r * n + col]
                for k in 0..<n { a[r * n + k] -= f * a[col * n + k]; inv[r * n + k] -= f * inv[col * n + k] }
            }
        }
        return inv
    }
}
