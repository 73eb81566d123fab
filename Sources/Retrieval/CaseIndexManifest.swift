import Foundation

/// What a built case index holds, written beside it and checked against the store before every use.
public struct CaseIndexManifest: Codable, Sendable, Equatable {
    public var formatVersion = 1
    /// Hash of the encoder weights that produced the vectors (`FusedEncoder.weightsHash`).
    public var encoderHash: String
    /// Modality subset the library vectors were encoded with, e.g. ["t1", "fa", "clinical"] (each case's available ones).
    public var modalities: [String]
    public var count: Int
    public var dimension: Int
    /// FAISS factory string ("Flat", "IVF64,Flat", "HNSW32", ...); the metric is always inner product on unit vectors.
    public var factory: String
    public var createdAt: String
    /// Subject id of each FAISS position.
    public var subjectIDs: [String]

    public init(encoderHash: String, modalities: [String], dimension: Int, factory: String, subjectIDs: [String], createdAt: Date = Date()) {
        self.encoderHash = encoderHash
        self.modalities = modalities
        self.count = subjectIDs.count
        self.dimension = dimension
        self.factory = factory
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.subjectIDs = subjectIDs
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", encoderHash = "encoder_hash", modalities, count, dimension, factory
        case createdAt = "created_at", subjectIDs = "subject_ids"
    }
}
