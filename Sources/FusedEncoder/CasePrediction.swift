import Cohort

/// The encoder's reading of one stored case: the five heads decoded, the modalities that went in, and
/// the case's recorded values beside them. What `memoir predict` prints.
public struct CasePrediction: Sendable, Equatable, Codable {
    public var subjectID: String
    /// The modalities asked for, the ones used (those of the requested the case has) and the ones it lacked.
    public var requested: [Modality]
    public var used: [Modality]
    public var missing: [Modality]
    /// P(CN), P(MCI), P(Dementia) from the 3-class head, and its argmax.
    public var diagnosisProbabilities: [String: Float]
    public var diagnosis: Diagnosis
    /// P(Dementia) from the binary CN-vs-Dementia head (meaningful for CN or Dementia cases).
    public var cnVsDementiaProbability: Float
    /// P(F), P(M).
    public var sexProbabilities: [String: Float]
    public var age: Float
    public var cdrsb: Float
    /// The stored targets, for comparison (nil where the record has none).
    public var recorded: Recorded

    public struct Recorded: Sendable, Equatable, Codable {
        public var diagnosis: Diagnosis
        public var sex: Sex?
        public var age: Double?
        public var cdrsb: Double?
    }

    public init(record: CaseRecord, requested: ModalitySet, output: EncoderOutput) {
        let h = output.heads
        subjectID = record.subjectID
        self.requested = requested.members
        used = output.modalities.members
        missing = requested.subtracting(output.modalities).members
        diagnosisProbabilities = Dictionary(uniqueKeysWithValues: zip(Diagnosis.allCases.map(\.rawValue), h.dx3))
        diagnosis = h.diagnosis
        cnVsDementiaProbability = h.dxBinary[1]
        sexProbabilities = [Sex.female.rawValue: h.sex[0], Sex.male.rawValue: h.sex[1]]
        age = h.age
        cdrsb = h.cdrsb
        recorded = Recorded(diagnosis: record.diagnosis, sex: record.sex, age: record.age, cdrsb: record.cdrsb)
    }
}

extension FusedEncoder {
    /// Runs the heads on a stored case with the requested modalities it has; throws
    /// `EncoderError.noModality` when it has none of them.
    public func predict(_ record: CaseRecord, modalities: ModalitySet = .all) throws -> CasePrediction {
        CasePrediction(record: record, requested: modalities, output: try encode(record, modalities: modalities))
    }
}
