import Foundation

/// One input modality of the fused encoder, in the reference's token order (t1, fa, clinical).
public enum Modality: String, Sendable, CaseIterable, Codable, Hashable {
    case t1, fa, clinical

    /// Position of the modality's token and its row of `fusion.modality_embedding`.
    public var index: Int { Modality.allCases.firstIndex(of: self)! }
}
