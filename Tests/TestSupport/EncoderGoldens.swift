import Cohort
import Foundation
import FusedEncoder

/// Fixtures/encoder: the tiny reference checkpoint (Training/make_encoder_goldens.py), two cases and
/// PyTorch's z and decoded heads for each of the 7 modality subsets.
public struct EncoderGoldens: Decodable {
    public struct Case: Decodable {
        public let id: String
        public let t1: String
        public let fa: String
        public let scores: [Double?]
        public let apoe_index: Int
    }

    public struct Result: Decodable {
        public let `case`: String
        public let modalities: [String]
        public let z: [Double]
        public let dx3: [Double]
        public let dx_binary: [Double]
        public let sex: [Double]
        public let age: Double
        public let cdrsb: Double
    }

    public let torch: String
    public let cases: [Case]
    public let results: [Result]

    public static var modelDirectory: String { Fixtures.path("encoder/model") }

    public static func load() throws -> EncoderGoldens {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("encoder/goldens.json")))
        return try JSONDecoder().decode(EncoderGoldens.self, from: data)
    }

    /// model.py's APOE_GENOTYPES index back to a genotype (0 = unknown).
    public static func genotype(index: Int) -> APOEGenotype? {
        let order = [(2, 2), (2, 3), (2, 4), (3, 3), (3, 4), (4, 4)]
        return index == 0 ? nil : APOEGenotype(order[index - 1].0, order[index - 1].1)
    }

    /// The case's clinical inputs under the fixture config's feature names.
    public static func clinical(_ c: Case, features: [String]) -> ClinicalInputs {
        var scores: [String: Double] = [:]
        for (name, value) in zip(features, c.scores) { scores[name] = value }
        return ClinicalInputs(scores: scores, apoe: genotype(index: c.apoe_index))
    }

    /// A case record as the store would hold it (images as absolute fixture paths).
    public static func record(_ c: Case, diagnosis: Diagnosis = .mci) -> CaseRecord {
        let s = c.scores
        return CaseRecord(subjectID: c.id, diagnosis: diagnosis, age: 75, sex: .female, mmse: s[2], cdrsb: 1.5, adas11: s[0],
                          adas13: s[1], moca: s[3], apoe: genotype(index: c.apoe_index),
                          t1Path: Fixtures.path("encoder/" + c.t1), faPath: Fixtures.path("encoder/" + c.fa))
    }
}

/// Largest absolute element-wise difference, with its index, for failure messages.
public func worstDifference(_ a: [Float], _ b: [Double]) -> (value: Double, index: Int) {
    guard a.count == b.count else { return (.infinity, -1) }
    var worst = (value: 0.0, index: 0)
    for i in a.indices where abs(Double(a[i]) - b[i]) > worst.value { worst = (abs(Double(a[i]) - b[i]), i) }
    return worst
}
