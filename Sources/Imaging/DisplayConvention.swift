/// Where the patient's left and right appear on screen.
public enum DisplayConvention: String, Sendable, CaseIterable, Codable {
    /// Patient's right on the viewer's left, as if facing the patient (clinical radiology's default).
    case radiological
    /// Patient's right on the viewer's right, as if looking from behind.
    case neurological
}
