/// The three orthogonal viewing planes, named by the world axis each one holds fixed.
public enum SlicePlane: String, Sendable, CaseIterable, Codable {
    /// Fixed z (inferior–superior): seen from below/above, anterior at the top.
    case axial
    /// Fixed y (posterior–anterior): seen from the front, superior at the top.
    case coronal
    /// Fixed x (left–right): seen from the side, anterior on the left, superior at the top.
    case sagittal

    /// The world axis (0 x, 1 y, 2 z in RAS+) that this plane holds fixed.
    var fixedWorldAxis: Int {
        switch self {
        case .axial: 2
        case .coronal: 1
        case .sagittal: 0
        }
    }
}
