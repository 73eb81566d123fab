import Cohort

/// One case's recorded diagnosis and the measures a case is placed among the library's groups by (percentiles),
/// read without the rest of its row.
public struct MeasureRow: Sendable, Equatable {
    public var diagnosis: Diagnosis
    public var mmse: Double?
    public var moca: Double?
    public var adas13: Double?
    public var adas11: Double?
    public var brainParenchymalFraction: Double?
    public var whiteMatterFA: Double?

    public init(diagnosis: Diagnosis, mmse: Double? = nil, moca: Double? = nil, adas13: Double? = nil, adas11: Double? = nil,
                brainParenchymalFraction: Double? = nil, whiteMatterFA: Double? = nil) {
        self.diagnosis = diagnosis
        self.mmse = mmse
        self.moca = moca
        self.adas13 = adas13
        self.adas11 = adas11
        self.brainParenchymalFraction = brainParenchymalFraction
        self.whiteMatterFA = whiteMatterFA
    }
}
