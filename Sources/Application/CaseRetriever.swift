import Cohort
import Foundation
import FusedEncoder
import Retrieval
import Store
import TextModels

/// `memoir retrieve`: the training cases nearest a stored case (its fused embedding) or a free-text
/// description (MiniLM, then the learned projection into the case space).
public struct CaseRetriever: Sendable {
    public let store: CaseStore
    public let encoder: FusedEncoder
    public let index: CaseIndex

    public init(store: CaseStore, encoder: FusedEncoder, indexDirectory: String?) throws {
        self.store = store
        self.encoder = encoder
        index = try CurrentIndex.load(store: store, encoderHash: encoder.weightsHash, indexDirectory: indexDirectory)
    }

    /// One neighbour with its stored case.
    public struct Neighbour: Sendable {
        public let rank: Int
        public let similarity: Float
        public let stored: StoredCase
    }

    public struct Result: Sendable {
        public let neighbours: [Neighbour]
        public let seconds: Double
    }

    /// Neighbours of a stored case (never the case itself), its embedding cached on first use.
    public func neighbours(ofCase caseID: String, modalities: ModalitySet, k: Int) throws -> Result {
        let start = Date()
        let record = try store.storedCase(caseID).record
        let query = try CachedCaseEmbedder(encoder: encoder, store: store).embedding(of: record, modalities: modalities).vector
        return try result(index.search(query, k: k, excluding: caseID), since: start)
    }

    /// The prognosis of stored case `caseID` read off `neighbours` (from `neighbours(ofCase:)`): its diagnosis group's
    /// nearest neighbours' later courses, its own subject's other visits left out. Nil for dementia (no worse stage).
    public func prognosis(ofCase caseID: String, neighbours: Result, k: Int = 5, horizonMonths: Double = 24) throws -> Prognosis? {
        try PrognosisEstimator.prognosis(of: try store.storedCase(caseID).record, neighbours: neighbours.neighbours.map(\.stored),
                                         store: store, k: k, horizonMonths: horizonMonths)
    }

    /// Neighbours of a free-text description. The projection must have been trained for this encoder.
    public func neighbours(ofText text: String, k: Int, projection: String?, textModel: String?) throws -> Result {
        try neighbours(ofText: text, k: k, query: TextCaseQuery(encoder: encoder, projection: projection, textModel: textModel))
    }

    /// Neighbours of a free-text description through already loaded text models (a server loads them once).
    public func neighbours(ofText text: String, k: Int, query: TextCaseQuery) throws -> Result {
        let start = Date()
        return try result(index.search(try query.vector(for: text), k: k, excluding: nil), since: start)
    }

    private func result(_ hits: [CaseIndex.Hit], since start: Date) throws -> Result {
        let seconds = Date().timeIntervalSince(start)
        return Result(neighbours: try hits.enumerated().map { rank, hit in
            Neighbour(rank: rank + 1, similarity: hit.score, stored: try store.storedCase(hit.subjectID))
        }, seconds: seconds)
    }
}
