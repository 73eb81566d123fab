/// How well one volume sits in MNI152 2 mm space: its foreground's overlap (Dice) with the template brain
/// mask and its voxelwise correlation with the template (T1 against the MNI T1, FA against white matter).
public struct RegistrationScore: Sendable, Equatable, Codable {
    public var overlap: Double
    public var correlation: Double
    /// FA is scored against white-matter probability, a weaker template than the T1, so its bar is lower.
    public var isFA: Bool

    public init(overlap: Double, correlation: Double, isFA: Bool = false) {
        self.overlap = overlap
        self.correlation = correlation
        self.isFA = isFA
    }

    /// Thresholds calibrated on the synthetic cohort (registered, with its residual rotation and shift: T1 overlap
    /// ≥ 0.88, correlation ≥ 0.875) against the same volumes shifted 20 mm (T1 correlation ≤ 0.773, all refused);
    /// 10 mm shifts and 20° rotations pass. FA's bar is lower because the fixture phantoms' FA correlates only
    /// 0.59–0.61 with white matter, so FA alone refuses most, not all, 20 mm shifts. The numbers are in
    /// Benchmarks/results/registration-calibration.md (`memoir-bench registration`).
    public static let minimumOverlap = 0.80
    public static let minimumT1Correlation = 0.80
    public static let minimumFACorrelation = 0.50

    public var minimumCorrelation: Double { isFA ? Self.minimumFACorrelation : Self.minimumT1Correlation }
    public var passes: Bool { overlap >= Self.minimumOverlap && correlation >= minimumCorrelation }

    public var summary: String { "brain-mask overlap \(Self.format(overlap)), template correlation \(Self.format(correlation))" }

    static func format(_ v: Double) -> String { String(format: "%.2f", v) }
}
