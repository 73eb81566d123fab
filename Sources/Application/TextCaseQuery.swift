import FusedEncoder
import Retrieval
import TextModels

/// A free-text description turned into a case-space query: all-MiniLM-L6-v2, then the learned projection.
/// Loaded once and reused, since the models take longer to read than a query takes to run.
public struct TextCaseQuery: Sendable {
    public let projection: TextProjection
    public let sentenceEncoder: SentenceEncoder

    /// The projection must have been trained for `encoder` (its config names the encoder's hash).
    public init(encoder: FusedEncoder, projection: String?, textModel: String?) throws {
        let projector = try TextProjection.located(explicit: projection)
        if let hash = projector.config.caseEncoderHash, hash != encoder.weightsHash {
            throw ApplicationError.invalid("the text projection at \(projector.directory) was trained for encoder \(hash.prefix(12)), "
                + "the current encoder is \(encoder.weightsHash.prefix(12))")
        }
        self.projection = projector
        sentenceEncoder = try SentenceEncoder(directory: ModelLocator.sentenceModelDirectory(explicit: textModel))
    }

    public func vector(for text: String) throws -> [Float] { try projection.project(try sentenceEncoder.encode(text)) }
}
