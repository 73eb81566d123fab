import Foundation
import Imaging

/// Simple, atlas-free measures read off a case's volumes for its caption.
public struct ImageMeasures: Sendable, Equatable, Codable {
    /// Brain tissue / intracranial volume on the skull-stripped T1 (falls with atrophy).
    public var brainParenchymalFraction: Double?
    /// Mean FA over voxels with FA > 0.2, a common white-matter threshold (falls with white-matter damage).
    public var whiteMatterFA: Double?
    /// The registration check's scores (nil: no such volume, or a store from before the check).
    public var t1Registration: RegistrationScore?
    public var faRegistration: RegistrationScore?
    /// True when a volume failed the registration check and was accepted with `--allow-unregistered`; the
    /// warning follows the case (caption, store). Nil when the check did not run (no volumes, older stores).
    public var unregistered: Bool?

    public init(brainParenchymalFraction: Double? = nil, whiteMatterFA: Double? = nil, t1Registration: RegistrationScore? = nil,
                faRegistration: RegistrationScore? = nil, unregistered: Bool? = nil) {
        self.brainParenchymalFraction = brainParenchymalFraction
        self.whiteMatterFA = whiteMatterFA
        self.t1Registration = t1Registration
        self.faRegistration = faRegistration
        self.unregistered = unregistered
    }

    /// Tissue vs CSF split by Otsu's threshold inside the intracranial mask (voxels above 5 % of the robust max).
    public static func brainParenchymalFraction(t1: NIfTIVolume) -> Double? {
        let top = IntensityNormalizer.percentile(t1.voxels, 0.995)
        guard top > 0 else { return nil }
        let inside = t1.voxels.filter { $0 > top * 0.05 }
        guard inside.count > 1000 else { return nil }
        let threshold = otsuThreshold(inside, upper: top)
        let tissue = inside.reduce(0) { $0 + ($1 > threshold ? 1 : 0) }
        return Double(tissue) / Double(inside.count)
    }

    public static func whiteMatterFA(fa: NIfTIVolume) -> Double? {
        var sum = 0.0, n = 0
        for v in fa.voxels where v > 0.2 && v <= 1 { sum += Double(v); n += 1 }
        return n > 100 ? sum / Double(n) : nil
    }

    static func otsuThreshold(_ values: [Float], upper: Float, bins: Int = 128) -> Float {
        var histogram = [Double](repeating: 0, count: bins)
        for v in values { histogram[min(bins - 1, max(0, Int(v / upper * Float(bins))))] += 1 }
        let total = Double(values.count)
        let weightedTotal = histogram.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var best = 0, bestVariance = -1.0, below = 0.0, weightedBelow = 0.0
        for t in 0..<bins - 1 {
            below += histogram[t]
            weightedBelow += Double(t) * histogram[t]
            let above = total - below
            guard below > 0, above > 0 else { continue }
            let meanBelow = weightedBelow / below, meanAbove = (weightedTotal - weightedBelow) / above
            let variance = below * above * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if variance > bestVariance { bestVariance = variance; best = t }
        }
        return (Float(best) + 1) / Float(bins) * upper
    }
}
