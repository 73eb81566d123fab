import Foundation
import Numerics

/// A WordPiece vocabulary (`vocab.txt`: one token per line, the line number is the id).
public struct Vocabulary: Sendable {
    public let tokens: [String]
    private let ids: [String: Int32]

    public let unknownID: Int32
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    /// The special tokens the Hugging Face tokenizer registers as added tokens ([PAD], [UNK],
    /// [CLS], [SEP], [MASK], those the vocabulary has): they are matched verbatim in the raw
    /// text, before normalisation, and kept whole.
    public let specialTokens: [(token: String, id: Int32)]

    public init(tokens: [String], source: String = "vocabulary") throws {
        var ids: [String: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (i, t) in tokens.enumerated() where ids[t] == nil { ids[t] = Int32(i) }
        func required(_ token: String) throws -> Int32 {
            guard let id = ids[token] else {
                throw TextModelError.invalidVocabulary(path: source, reason: "vocabulary has no \(token) token; a BERT vocab.txt must define [PAD], [UNK], [CLS] and [SEP]")
            }
            return id
        }
        self.tokens = tokens
        self.ids = ids
        unknownID = try required("[UNK]")
        classifierID = try required("[CLS]")
        separatorID = try required("[SEP]")
        paddingID = try required("[PAD]")
        specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { t in ids[t].map { (t, $0) } }
    }

    /// Largest vocab.txt read: BERT's are ~230 KB, multilingual ones a few MB.
    static let maximumFileBytes = 64 << 20

    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TextModelError.missingFile(path: path, hint: "A BERT model directory needs vocab.txt.")
        }
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: Self.maximumFileBytes) } catch let error as MappedFileError {
            throw TextModelError.invalidVocabulary(path: path, reason: "cannot read: \(error.reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TextModelError.invalidVocabulary(path: path, reason: "not UTF-8 text")
        }
        var lines = text.components(separatedBy: "\n").map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw TextModelError.invalidVocabulary(path: path, reason: "empty vocabulary") }
        try self.init(tokens: lines, source: path)
    }

    public var count: Int { tokens.count }

    public func id(for token: String) -> Int32? { ids[token] }

    public func token(for id: Int32) -> String? {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
    }
}
