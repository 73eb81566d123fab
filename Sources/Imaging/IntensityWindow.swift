/// Which raw intensities map to black and white; values outside are clamped.
public struct IntensityWindow: Sendable, Equatable, Codable {
    public var low: Float
    public var high: Float

    /// nil when the bounds are not finite or not increasing.
    public init?(low: Float, high: Float) {
        guard low.isFinite, high.isFinite, low < high else { return nil }
        self.low = low
        self.high = high
    }

    /// The 1st–99.5th percentiles of the non-zero voxels: skull-stripped volumes are mostly background zeros,
    /// and a few bright voxels would otherwise wash the brain out. A constant or empty volume gets 0…1.
    public static func automatic(for voxels: [Float]) -> IntensityWindow {
        var values = voxels.filter { $0 != 0 && $0.isFinite }
        let fallback = IntensityWindow(unchecked: 0, 1)
        guard values.count >= 2 else { return fallback }
        values.sort()
        let low = values[Int(Float(values.count - 1) * 0.01)]
        let high = values[Int(Float(values.count - 1) * 0.995)]
        return IntensityWindow(low: min(low, 0), high: high) ?? IntensityWindow(low: low, high: values[values.count - 1]) ?? fallback
    }

    private init(unchecked low: Float, _ high: Float) {
        self.low = low
        self.high = high
    }

    /// `value` as a grey level 0…255.
    @inline(__always) public func grey(_ value: Float) -> UInt8 {
        guard value.isFinite else { return 0 }
        let t = (value - low) / (high - low)
        return UInt8(max(0, min(255, (t * 255).rounded())))
    }
}
