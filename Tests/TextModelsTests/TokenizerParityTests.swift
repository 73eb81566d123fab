import Foundation
import Testing
import TestSupport
@testable import TextModels

/// Token ids must equal the Hugging Face fast tokenizer's (what sentence-transformers feeds the
/// model) on every golden sentence, at the encoder's 256 and at 512.
@Suite(.tags(.miniLM), .needsMiniLM) struct TokenizerParityTests {
    let tokenizer: WordPieceTokenizer

    init() throws {
        let directory = try TextGoldens.modelDirectory()
        tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt",
                                           lowercase: SentenceEncoder.lowercases(directory: directory))
    }

    @Test func goldenSentencesCoverTheHardCases() throws {
        let golden = try TextGoldens.tokens()
        #expect(golden.sentences.count >= 30)
        #expect(golden.max_length == 256)
        #expect(golden.sentences.map(\.text) == (try TextGoldens.sentences()))
        #expect(golden.sentences.contains { $0.untruncated_length > 512 })
        #expect(golden.sentences.contains { $0.untruncated_length > 256 && $0.untruncated_length <= 512 })
        #expect(golden.sentences.contains { $0.text.isEmpty })
    }

    @Test func idsMatchReferenceAt256() throws {
        var mismatches: [String] = []
        for s in try TextGoldens.tokens().sentences {
            let got = tokenizer.encode(s.text, maxLength: 256)
            if got.ids != s.input_ids || got.typeIDs != s.token_type_ids {
                mismatches.append("\(TextGoldens.show(s.text)): \(TextGoldens.firstDifference(got.ids, s.input_ids)); reference tokens \(s.tokens.prefix(24))")
            }
        }
        #expect(mismatches.isEmpty, "token ids differ from the reference (max 256) on \(mismatches.count) sentence(s):\n\(mismatches.joined(separator: "\n"))")
    }

    @Test func idsMatchReferenceAt512() throws {
        var mismatches: [String] = []
        for s in try TextGoldens.tokens().sentences {
            let got = tokenizer.encode(s.text, maxLength: 512)
            if got.ids != s.input_ids_512 || got.typeIDs != [Int32](repeating: 0, count: s.input_ids_512.count) {
                mismatches.append("\(TextGoldens.show(s.text)): \(TextGoldens.firstDifference(got.ids, s.input_ids_512))")
            }
        }
        #expect(mismatches.isEmpty, "token ids differ from the reference (max 512) on \(mismatches.count) sentence(s):\n\(mismatches.joined(separator: "\n"))")
    }

    @Test func untruncatedLengthsMatch() throws {
        for s in try TextGoldens.tokens().sentences {
            #expect(tokenizer.pieces(s.text).count + 2 == s.untruncated_length, "\(TextGoldens.show(s.text))")
        }
    }

    @Test func pairIdsMatchReferenceAt512() throws {
        let golden = try TextGoldens.crossScores()
        #expect(golden.max_length == 512)
        for p in golden.pairs {
            let got = tokenizer.encode(p.query, p.passage, maxLength: 512)
            #expect(got.ids == p.input_ids, "pair (\(TextGoldens.show(p.query)), \(TextGoldens.show(p.passage))): \(TextGoldens.firstDifference(got.ids, p.input_ids))")
            #expect(got.typeIDs == p.token_type_ids, "pair (\(TextGoldens.show(p.query)), \(TextGoldens.show(p.passage))): token types")
        }
    }

    /// The Rust `LongestFirst` rule: the shorter side is kept when it fits in half the budget;
    /// otherwise halves, with an odd budget's spare piece to the longer side (second on ties).
    @Test func longestFirstTruncation() {
        let cases: [(n1: Int, n2: Int, budget: Int, k1: Int, k2: Int)] = [
            (3, 4, 10, 3, 4),        // fits
            (2, 600, 509, 2, 507),   // only the long side is cut
            (300, 400, 509, 254, 255),
            (400, 300, 509, 255, 254),
            (300, 300, 509, 254, 255),
            (300, 300, 508, 254, 254),
            (600, 700, 509, 254, 255),
            (0, 0, 0, 0, 0),
        ]
        for c in cases {
            let kept = WordPieceTokenizer.longestFirst(c.n1, c.n2, budget: c.budget)
            #expect(kept.0 == c.k1 && kept.1 == c.k2, "(\(c.n1), \(c.n2)) in \(c.budget) kept \(kept), expected (\(c.k1), \(c.k2))")
        }
    }

    @Test func specialTokensInTextStayWhole() {
        let v = tokenizer.vocabulary
        #expect(tokenizer.pieces("a[SEP]b") == [v.id(for: "a")!, v.separatorID, v.id(for: "b")!])
        #expect(tokenizer.pieces("[MASK]") == [v.id(for: "[MASK]")!])
        // Case-sensitive and verbatim: these are ordinary punctuation and words.
        #expect(!tokenizer.pieces("[sep] [ SEP ]").contains(v.separatorID))
        #expect(tokenizer.pieces("[SEP").contains(v.id(for: "[")!))
    }

    @Test func maximumLengthIsRespected() throws {
        let long = String(repeating: "hippocampal atrophy ", count: 400)
        for max in [2, 3, 16, 256, 512] {
            let e = tokenizer.encode(long, maxLength: max)
            #expect(e.count == max)
            #expect(e.ids.first == tokenizer.vocabulary.classifierID && e.ids.last == tokenizer.vocabulary.separatorID)
        }
        for max in [3, 4, 64, 512] {
            #expect(tokenizer.encode(long, long, maxLength: max).count == max)
        }
    }
}
