/// Which visits of a longitudinal table become cases (`memoir ingest --visit`).
public enum VisitSelection: String, Sendable, CaseIterable, Codable {
    /// The baseline visit (`VISCODE` `bl`) of each subject; its diagnosis falls back to `DX_bl` when `DX` is empty.
    case baseline = "bl"
    /// Every visit that records a diagnosis.
    case all
    /// Each subject's latest visit that records a diagnosis.
    case latest
}
