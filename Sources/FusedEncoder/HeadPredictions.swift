import Cohort

/// The task heads decoded as model.py's `decode_heads`: softmax probabilities and denormalised
/// regressions.
public struct HeadPredictions: Sendable, Equatable, Codable {
    /// P(CN), P(MCI), P(Dementia).
    public var dx3: [Float]
    /// P(CN), P(Dementia) from the binary head.
    public var dxBinary: [Float]
    /// P(F), P(M).
    public var sex: [Float]
    /// Years.
    public var age: Float
    public var cdrsb: Float

    public init(dx3: [Float], dxBinary: [Float], sex: [Float], age: Float, cdrsb: Float) {
        self.dx3 = dx3
        self.dxBinary = dxBinary
        self.sex = sex
        self.age = age
        self.cdrsb = cdrsb
    }

    /// The most probable of the three diagnoses.
    public var diagnosis: Diagnosis { Diagnosis.allCases[dx3.indices.max { dx3[$0] < dx3[$1] }!] }

    public var predictedSex: Sex { sex[1] > sex[0] ? .male : .female }
}
