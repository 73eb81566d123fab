import Evaluation
import Foundation
import Testing
import TestSupport

/// Memoir's BERTScore against the bert-score package (Fixtures/bertscore/goldens.json, written
/// by make_goldens.py from bert-score 0.3.13 on the same model directory).
@Suite(.tags(.miniLM), .needsMiniLM)
struct BERTScoreParityTests {
    struct Goldens: Decodable {
        struct Pair: Decodable { let candidate: String, reference: String, candidate_ids: [Int32], reference_ids: [Int32] }
        struct Setting: Decodable { let layer: Int, idf: Bool, hash: String, P: [Double], R: [Double], F: [Double] }
        let model: String
        let pairs: [Pair]
        let configs: [Setting]
    }

    static let goldens: Goldens = {
        let data = try! Data(contentsOf: URL(fileURLWithPath: Fixtures.path("bertscore/goldens.json")))
        return try! JSONDecoder().decode(Goldens.self, from: data)
    }()

    @Test func encodingsMatchThePackage() throws {
        let scorer = try BERTScorer(modelDirectory: #require(Fixtures.miniLMDirectory), layer: 5)
        for (i, pair) in Self.goldens.pairs.enumerated() {
            #expect(scorer.encode(pair.candidate).ids == pair.candidate_ids, "pair \(i) candidate")
            #expect(scorer.encode(pair.reference).ids == pair.reference_ids, "pair \(i) reference")
        }
        #expect(Self.goldens.pairs.contains { $0.candidate_ids.count == 512 }, "the goldens include a text truncated at 512")
    }

    @Test(arguments: 0..<4) func scoresMatchThePackage(setting index: Int) throws {
        let setting = Self.goldens.configs[index]
        let scorer = try BERTScorer(modelDirectory: #require(Fixtures.miniLMDirectory), layer: setting.layer)
        let scores = try scorer.score(candidates: Self.goldens.pairs.map(\.candidate),
                                      references: Self.goldens.pairs.map(\.reference), idf: setting.idf)
        #expect(scores.count == setting.F.count)
        var worst = 0.0
        for (i, s) in scores.enumerated() {
            for (ours, theirs) in [(s.precision, setting.P[i]), (s.recall, setting.R[i]), (s.f1, setting.F[i])] {
                worst = max(worst, abs(ours - theirs))
                #expect(abs(ours - theirs) < 1e-4, "layer \(setting.layer) idf \(setting.idf) pair \(i): \(ours) vs \(theirs)")
            }
        }
        print("BERTScore layer \(setting.layer) idf \(setting.idf): largest difference from bert-score \(worst)")
        // Same hash up to the implementation part in parentheses.
        let ours = scorer.hashCode(idf: setting.idf)
        #expect(ours.prefix { $0 != "(" } == setting.hash.prefix { $0 != "(" }, "\(ours) vs \(setting.hash)")
    }

    @Test func defaultLayerForMiniLMIsFive() throws {
        let scorer = try BERTScorer(modelDirectory: #require(Fixtures.miniLMDirectory))
        #expect(scorer.layer == 5)
        #expect(scorer.hashCode(idf: false) == "all-MiniLM-L6-v2_L5_no-idf_version=0.3.12(memoir-swift=1)")
    }

    @Test func identicalTextsScoreOneAndEmptyTextsScoreZero() throws {
        let scorer = try BERTScorer(modelDirectory: #require(Fixtures.miniLMDirectory))
        let scores = try scorer.score(candidates: ["MMSE is 24 of 30.", "   ", "CDR-SB is 2."],
                                      references: ["MMSE is 24 of 30.", "Diagnosis: MCI.", ""], idf: false)
        #expect(abs(scores[0].f1 - 1) < 1e-5 && abs(scores[0].precision - 1) < 1e-5)
        #expect(scores[1] == BERTScore(precision: 0, recall: 0, f1: 0))
        #expect(scores[2] == BERTScore(precision: 0, recall: 0, f1: 0))
    }

    @Test func badLayerAndCountMismatchAreClearErrors() throws {
        let directory = try #require(Fixtures.miniLMDirectory)
        #expect { try BERTScorer(modelDirectory: directory, layer: 7) } throws: { "\($0)".contains("layer 7 outside 0...6") }
        let scorer = try BERTScorer(modelDirectory: directory, layer: 1)
        #expect { try scorer.score(candidates: ["a", "b"], references: ["a"], idf: true) } throws: {
            "\($0)".contains("2 candidates but 1 references")
        }
    }
}
