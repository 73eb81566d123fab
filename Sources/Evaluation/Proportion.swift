import Foundation

/// A rate with its Wilson score interval (95 %: z = 1.96), which stays inside [0, 1] and is honest for
/// the small counts an evaluation slice has, where the normal approximation is not.
public struct Proportion: Sendable, Equatable, Encodable {
    public let successes: Int
    public let n: Int
    public let value: Double
    public let low: Double
    public let high: Double
    /// n < 30: the interval is wide; the report says so beside the number.
    public let smallSample: Bool

    public static let smallSampleSize = 30

    /// nil when there is nothing to count (n = 0).
    public init?(_ successes: Int, of n: Int, z: Double = 1.96) {
        guard n > 0, successes >= 0, successes <= n else { return nil }
        let p = Double(successes) / Double(n), nd = Double(n), z2 = z * z
        let denominator = 1 + z2 / nd
        let centre = (p + z2 / (2 * nd)) / denominator
        let half = z * (p * (1 - p) / nd + z2 / (4 * nd * nd)).squareRoot() / denominator
        (self.successes, self.n, value) = (successes, n, p)
        (low, high) = (max(0, centre - half), min(1, centre + half))
        smallSample = n < Self.smallSampleSize
    }

    /// "0.800 [0.490, 0.943] (8/10, n<30)".
    public var text: String {
        String(format: "%.3f [%.3f, %.3f] (%d/%d", value, low, high, successes, n) + (smallSample ? ", n<30)" : ")")
    }
}
