/// What the generator decides about one subject: its record and the hidden imaging phenotype.
public struct SyntheticSubject: Sendable {
    public var record: CaseRecord
    public var hasFA: Bool
    /// Fractions: grey-matter loss, extra hippocampal loss, ventricular expansion, white-matter FA loss.
    public var gmLoss: Double
    public var hippocampalLoss: Double
    public var ventricleExpansion: Double
    public var faLoss: Double
    public var headScale: Double
    public var rotationDegrees: (Double, Double, Double)
    public var translationMM: (Double, Double, Double)
    public var imageSeed: UInt64
    /// The within-group severity (standard normal) shared by scores and imaging; it also drives the
    /// longitudinal course (`LongitudinalSimulator`), so similar-looking subjects follow similar courses.
    public var severity: Double = 0
}
