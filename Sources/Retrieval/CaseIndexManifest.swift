import Crypto
import Foundation

/// What a built case index holds, written beside it and checked against the store before every use.
public struct CaseIndexManifest: Codable, Sendable, Equatable {
    /// 2: `embeddings_digest` added; a version-1 index cannot be checked against the store and is rebuilt.
    public var formatVersion = 2
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
    /// `digest(subjectIDs:vectors:)` of the vectors indexed: the store's embeddings must still hash to it, or the
    /// index is stale (a re-ingested case changed, or lost, its embedding). Nil in indexes built before it existed.
    public var embeddingsDigest: String?
    /// nprobe (IVF) or efSearch (HNSW) the index is searched with; nil for exact indexes, and in indexes built
    /// before it was recorded (then `CaseIndex.defaultSearchBreadth(factory:)` applies).
    public var searchBreadth: Int?

    public init(encoderHash: String, modalities: [String], dimension: Int, factory: String, subjectIDs: [String],
                embeddingsDigest: String? = nil, searchBreadth: Int? = nil, createdAt: Date = Date()) {
        self.encoderHash = encoderHash
        self.modalities = modalities
        self.count = subjectIDs.count
        self.dimension = dimension
        self.factory = factory
        self.createdAt = ISO8601DateFormatter().string(from: createdAt)
        self.subjectIDs = subjectIDs
        self.embeddingsDigest = embeddingsDigest
        self.searchBreadth = searchBreadth
    }

    /// SHA-256 over each id (UTF-8, NUL-terminated) and its vector (element count, then little-endian Float32
    /// bits), in order: any changed id, order, value or dimension changes it.
    public static func digest(subjectIDs: [String], vectors: [[Float]]) -> String {
        var digest = EmbeddingsDigest()
        for (id, vector) in zip(subjectIDs, vectors) { digest.add(id, vector) }
        return digest.finish()
    }

    /// `digest(subjectIDs:vectors:)` fed one case at a time, so the embeddings need not all be in memory.
    public struct EmbeddingsDigest {
        private var hasher = SHA256()

        public init() {}

        public mutating func add(_ id: String, _ vector: [Float]) {
            hasher.update(data: Data(id.utf8) + [0])
            withUnsafeBytes(of: UInt32(vector.count).littleEndian) { hasher.update(bufferPointer: $0) }
            vector.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        }

        public func finish() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", encoderHash = "encoder_hash", modalities, count, dimension, factory
        case createdAt = "created_at", subjectIDs = "subject_ids", embeddingsDigest = "embeddings_digest", searchBreadth = "search_breadth"
    }
}
