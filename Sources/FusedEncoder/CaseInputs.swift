import Cohort

/// Everything the encoder reads for one case, already preprocessed: the volumes it will use and the
/// clinical inputs, each nil when absent or not requested.
public struct CaseInputs: Sendable {
    public var subjectID: String
    public var t1: EncoderVolume?
    public var fa: EncoderVolume?
    public var clinical: ClinicalInputs?

    public init(subjectID: String = "case", t1: EncoderVolume? = nil, fa: EncoderVolume? = nil, clinical: ClinicalInputs? = nil) {
        self.subjectID = subjectID
        self.t1 = t1
        self.fa = fa
        self.clinical = clinical
    }

    /// The modalities present.
    public var modalities: ModalitySet {
        var set: ModalitySet = []
        if t1 != nil { set.insert(.t1) }
        if fa != nil { set.insert(.fa) }
        if clinical != nil { set.insert(.clinical) }
        return set
    }

    /// A copy keeping only the modalities in `subset`.
    public func restricted(to subset: ModalitySet) -> CaseInputs {
        CaseInputs(subjectID: subjectID, t1: subset.contains(.t1) ? t1 : nil, fa: subset.contains(.fa) ? fa : nil,
                   clinical: subset.contains(.clinical) ? clinical : nil)
    }
}
