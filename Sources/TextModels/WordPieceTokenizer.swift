import Foundation

/// An encoded input: token ids with their segment (token type) ids.
public struct TokenizedInput: Sendable, Equatable {
    public var ids: [Int32]
    public var typeIDs: [Int32]
    public var count: Int { ids.count }
}

/// BERT's uncased WordPiece tokenizer: `BasicTokenizer` words split greedily into the longest
/// vocabulary pieces (continuations prefixed `##`); a word with no split, or longer than
/// 100 characters, becomes `[UNK]`. Encoding adds `[CLS]`/`[SEP]` and truncates like the
/// Hugging Face fast tokenizer (`longest_first` for pairs).
public struct WordPieceTokenizer: Sendable {
    public let vocabulary: Vocabulary
    public let basic: BasicTokenizer
    public var maxCharactersPerWord = 100

    public init(vocabulary: Vocabulary, basic: BasicTokenizer = BasicTokenizer()) {
        self.vocabulary = vocabulary
        self.basic = basic
    }

    public init(vocabularyFile: String, lowercase: Bool = true) throws {
        self.init(vocabulary: try Vocabulary(contentsOf: vocabularyFile), basic: BasicTokenizer(lowercase: lowercase))
    }

    /// Word-piece ids of `text`, without special tokens or truncation.
    public func pieces(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for word in basic.words(text) { appendPieces(of: word, to: &ids) }
        return ids
    }

    /// Word-piece strings of `text` (for display and debugging).
    public func pieceStrings(_ text: String) -> [String] {
        pieces(text).map { vocabulary.token(for: $0) ?? "[UNK]" }
    }

    private func appendPieces(of word: String, to ids: inout [Int32]) {
        let scalars = Array(word.unicodeScalars)
        guard scalars.count <= maxCharactersPerWord else { ids.append(vocabulary.unknownID); return }
        var start = 0
        var wordIDs: [Int32] = []
        while start < scalars.count {
            var end = scalars.count
            var found: Int32?
            while start < end {
                var piece = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { piece = "##" + piece }
                if let id = vocabulary.id(for: piece) { found = id; break }
                end -= 1
            }
            guard let id = found else { ids.append(vocabulary.unknownID); return }
            wordIDs.append(id)
            start = end
        }
        ids.append(contentsOf: wordIDs)
    }

    /// `[CLS] text [SEP]`, truncated to `maxLength` tokens in all.
    public func encode(_ text: String, maxLength: Int) -> TokenizedInput {
        precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
        let body = pieces(text).prefix(maxLength - 2)
        let ids = [vocabulary.classifierID] + body + [vocabulary.separatorID]
        return TokenizedInput(ids: ids, typeIDs: [Int32](repeating: 0, count: ids.count))
    }

    /// `[CLS] first [SEP] second [SEP]` with token types 0/1, truncated `longest_first`:
    /// one token at a time from the longer side (the second on ties) until it fits.
    public func encode(_ first: String, _ second: String, maxLength: Int) -> TokenizedInput {
        precondition(maxLength >= 3, "maxLength must leave room for [CLS] and two [SEP]")
        let a = pieces(first), b = pieces(second)
        var (na, nb) = (a.count, b.count)
        var excess = na + nb + 3 - maxLength
        while excess > 0 {
            if na > nb { na -= 1 } else { nb -= 1 }
            excess -= 1
        }
        let ids = [vocabulary.classifierID] + a.prefix(na) + [vocabulary.separatorID] + b.prefix(nb) + [vocabulary.separatorID]
        let types = [Int32](repeating: 0, count: na + 2) + [Int32](repeating: 1, count: nb + 1)
        return TokenizedInput(ids: ids, typeIDs: types)
    }
}
