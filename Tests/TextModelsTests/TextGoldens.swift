import Foundation
import Testing
import TestSupport
import TextModels

/// The reference outputs in Fixtures/text/ (written by make_text_goldens.py from
/// transformers / sentence-transformers) and the installed model the tests compare against.
enum TextGoldens {
    struct TokenFile: Decodable {
        struct Sentence: Decodable {
            let text: String
            let input_ids: [Int32]
            let token_type_ids: [Int32]
            let tokens: [String]
            let input_ids_512: [Int32]
            let untruncated_length: Int
            let slow_tokenizer_agrees: Bool
        }
        let max_length: Int
        let sentences: [Sentence]
    }

    struct EmbeddingFile: Decodable {
        struct Sentence: Decodable { let text: String; let embedding: [Float] }
        let dimension: Int
        let max_seq_length: Int
        let sentences: [Sentence]
    }

    struct CrossFile: Decodable {
        struct Pair: Decodable {
            let query: String
            let passage: String
            let input_ids: [Int32]
            let token_type_ids: [Int32]
            let score: Double
        }
        let max_length: Int
        let pairs: [Pair]
    }

    static func decode<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("text/" + name)))
        return try JSONDecoder().decode(T.self, from: data)
    }

    static func sentences() throws -> [String] { try decode([String].self, "sentences.json") }
    static func tokens() throws -> TokenFile { try decode(TokenFile.self, "tokens.json") }
    static func embeddings() throws -> EmbeddingFile { try decode(EmbeddingFile.self, "embeddings.json") }
    static func crossScores() throws -> CrossFile { try decode(CrossFile.self, "cross_scores.json") }

    /// The installed all-MiniLM-L6-v2. Parity tests fail (never skip) without it, saying how to install it.
    static func modelDirectory() throws -> String {
        do {
            return try ModelLocator.sentenceModelDirectory()
        } catch {
            Issue.record("all-MiniLM-L6-v2 is required for the text parity tests and is not installed: \(error). Run Scripts/setup.sh (Scripts/test.sh does).")
            throw error
        }
    }

    /// One encoder shared by the suites (loading it is the slow part).
    static let sharedEncoder: Result<SentenceEncoder, any Error> = Result {
        try SentenceEncoder(directory: try ModelLocator.sentenceModelDirectory())
    }

    static func encoder() throws -> SentenceEncoder {
        _ = try modelDirectory()
        return try sharedEncoder.get()
    }

    /// A short, readable form of a text for failure messages.
    static func show(_ text: String) -> String {
        let escaped = text.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : $0.escaped(asASCII: true) }.joined()
        return "\"" + (escaped.count > 60 ? String(escaped.prefix(60)) + "…\" (\(text.unicodeScalars.count) scalars)" : escaped + "\"")
    }

    /// Where two id sequences first differ, for failure messages.
    static func firstDifference(_ a: [Int32], _ b: [Int32]) -> String {
        let i = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        return "lengths \(a.count) vs \(b.count), first difference at \(i): \(a.dropFirst(i).prefix(5)) vs \(b.dropFirst(i).prefix(5))"
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x) * Double(x); nb += Double(y) * Double(y) }
        return na == 0 || nb == 0 ? (na == nb ? 1 : 0) : dot / (na.squareRoot() * nb.squareRoot())
    }
}
