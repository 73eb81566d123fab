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

    /// `vocabulary.specialTokens` as scalars, for matching in raw text.
    private let specialScalars: [([Unicode.Scalar], Int32)]

    public init(vocabulary: Vocabulary, basic: BasicTokenizer = BasicTokenizer()) {
        self.vocabulary = vocabulary
        self.basic = basic
        self.specialScalars = vocabulary.specialTokens.map { (Array($0.token.unicodeScalars), $0.id) }
    }

    public init(vocabularyFile: String, lowercase: Bool = true) throws {
        self.init(vocabulary: try Vocabulary(contentsOf: vocabularyFile), basic: BasicTokenizer(lowercase: lowercase))
    }

    /// Word-piece ids of `text`, without added [CLS]/[SEP] or truncation. Special tokens written
    /// in the text itself ("[SEP]", "[MASK]", case-sensitive) are kept whole, as the Hugging Face
    /// tokenizer does, and the text between them is tokenised piece by piece.
    public func pieces(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for segment in Self.splitOnSpecialTokens(text, specials: specialScalars) {
            switch segment {
            case let .special(id): ids.append(id)
            case let .text(part): for word in basic.words(part) { appendPieces(of: word, to: &ids) }
            }
        }
        return ids
    }

    enum Segment: Equatable { case text(String), special(Int32) }


    /// Splits raw text around verbatim special tokens (leftmost, then longest match), on
    /// Unicode scalars so that a following combining mark does not hide a match.
    static func splitOnSpecialTokens(_ text: String, specials: [([Unicode.Scalar], Int32)]) -> [Segment] {
        guard !specials.isEmpty, text.unicodeScalars.contains("[") || specials.contains(where: { $0.0.first != "[" }) else {
            return [.text(text)]
        }
        let scalars = Array(text.unicodeScalars)
        var segments: [Segment] = []
        var pending = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            var best: ([Unicode.Scalar], Int32)?
            for special in specials where special.0.count <= scalars.count - i && special.0.count > (best?.0.count ?? 0) {
                if scalars[i..<(i + special.0.count)].elementsEqual(special.0) { best = special }
            }
            if let (token, id) = best {
                if !pending.isEmpty { segments.append(.text(String(pending))); pending = String.UnicodeScalarView() }
                segments.append(.special(id))
                i += token.count
            } else {
                pending.append(scalars[i])
                i += 1
            }
        }
        if !pending.isEmpty { segments.append(.text(String(pending))) }
        return segments
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

    /// `[CLS] first [SEP] second [SEP]` with token types 0/1, truncated `longest_first` as the
    /// Hugging Face fast tokenizer does it (see `longestFirst`).
    public func encode(_ first: String, _ second: String, maxLength: Int) -> TokenizedInput {
        precondition(maxLength >= 3, "maxLength must leave room for [CLS] and two [SEP]")
        let a = pieces(first), b = pieces(second)
        let (na, nb) = Self.longestFirst(a.count, b.count, budget: maxLength - 3)
        let ids = [vocabulary.classifierID] + a.prefix(na) + [vocabulary.separatorID] + b.prefix(nb) + [vocabulary.separatorID]
        let types = [Int32](repeating: 0, count: na + 2) + [Int32](repeating: 1, count: nb + 1)
        return TokenizedInput(ids: ids, typeIDs: types)
    }

    /// The lengths `tokenizers`' `LongestFirst` strategy keeps of a pair of `n1` and `n2`
    /// pieces with `budget` pieces in all: the shorter side is kept whole when it fits in half
    /// the budget and the longer takes the rest; otherwise each gets half, and an odd budget's
    /// spare piece goes to the side that was longer (to the second on a tie). This differs from
    /// the Python tokenizer's one-piece-at-a-time loop, which gives the spare piece to the first.
    static func longestFirst(_ n1: Int, _ n2: Int, budget: Int) -> (Int, Int) {
        guard n1 + n2 > budget else { return (n1, n2) }
        let swap = n1 > n2
        var (short, long) = swap ? (n2, n1) : (n1, n2)
        long = short > budget ? short : max(short, budget - short)
        if short + long > budget {
            short = budget / 2
            long = short + budget % 2
        }
        let (k1, k2) = swap ? (long, short) : (short, long)
        return (min(k1, n1), min(k2, n2))
    }
}
