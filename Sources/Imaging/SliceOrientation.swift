/// The anatomical direction at each edge of a displayed slice: R/L (right/left), A/P (anterior/posterior),
/// S/I (superior/inferior), in the patient's terms; and which other plane each screen axis moves through,
/// so a viewer can turn a click into crosshair positions.
public struct SliceOrientation: Sendable, Equatable, Codable {
    /// A screen axis: the plane whose slice index it runs through, and whether that index falls as the
    /// pixel position (column or row) grows.
    public struct ScreenAxis: Sendable, Equatable, Codable {
        public var plane: SlicePlane
        public var reversed: Bool
    }

    public var left: String
    public var right: String
    public var top: String
    public var bottom: String
    public var convention: DisplayConvention
    public var horizontal: ScreenAxis
    public var vertical: ScreenAxis
}
