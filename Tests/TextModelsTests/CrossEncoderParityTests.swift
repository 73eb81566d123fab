import Foundation
import Numerics
import Testing
import TestSupport
import TextModels

/// The cross-encoder (BertForSequenceClassification: all-MiniLM-L6-v2 encoder and pooler plus
/// the classifier head in Fixtures/text/cross-encoder-head) must give transformers' raw logits
/// within 1e-4.
@Suite(.tags(.miniLM), .needsMiniLM) struct CrossEncoderParityTests {
    static let tolerance = 1e-4

    /// A model directory as `CrossEncoder` loads it: the fixture head (config.json and a
    /// model.safetensors holding only classifier.*) with the base model's tokenizer files; the
    /// encoder and pooler weights come from the base model.safetensors via `baseWeights`.
    static func headDirectory(base: String) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(), directory = folder.path
        let fm = FileManager.default
        for file in ["config.json", "model.safetensors"] {
            try fm.copyItem(atPath: Fixtures.path("text/cross-encoder-head/" + file), toPath: directory + "/" + file)
        }
        for file in ["vocab.txt", "tokenizer_config.json"] {
            try fm.copyItem(atPath: base + "/" + file, toPath: directory + "/" + file)
        }
        return folder
    }

    @Test func headFixtureHoldsOnlyTheClassifier() throws {
        let head = try SafeTensorsFile(path: Fixtures.path("text/cross-encoder-head/model.safetensors"))
        #expect(head.tensorNames == ["classifier.bias", "classifier.weight"])
        #expect(head.entries["classifier.weight"]?.shape == [1, 384])
        #expect(try head.tensor("classifier.bias").scalars == [0.1])
    }

    @Test func scoresMatchReference() throws {
        let base = try TextGoldens.modelDirectory()
        let folder = try Self.headDirectory(base: base), directory = folder.path
        let encoder = try CrossEncoder(directory: directory, baseWeights: [base + "/model.safetensors"])
        #expect(encoder.labelCount == 1)
        #expect(encoder.maxLength == 512)
        let golden = try TextGoldens.crossScores().pairs
        #expect(golden.count >= 10)
        #expect(golden.contains { $0.input_ids.count == 512 })
        for batchSize in [32, 1] {
            let scores = try encoder.logits(pairs: golden.map { ($0.query, $0.passage) }, batchSize: batchSize)
            var worst = 0.0
            for (pair, logits) in zip(golden, scores) {
                #expect(logits.count == 1)
                let diff = abs(Double(logits[0]) - pair.score)
                worst = max(worst, diff)
                #expect(diff <= Self.tolerance, "(\(TextGoldens.show(pair.query)), \(TextGoldens.show(pair.passage))): score \(logits[0]) vs reference \(pair.score)")
            }
            print("cross-encoder parity, batch \(batchSize): max |Δ score| \(worst) over \(golden.count) pairs")
        }
        let byQuery = try encoder.scores(query: golden[0].query, passages: [golden[0].passage, golden[1].passage])
        #expect(abs(Double(byQuery[0]) - golden[0].score) <= Self.tolerance)
        #expect(abs(Double(byQuery[1]) - golden[1].score) <= Self.tolerance)
    }

    @Test func headWithoutBaseWeightsNamesTheMissingWeight() throws {
        let base = try TextGoldens.modelDirectory()
        let folder = try Self.headDirectory(base: base), directory = folder.path
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: directory) }
        guard case let .missingWeight(name, searched)? = error else {
            Issue.record("expected missingWeight, got \(String(describing: error))"); return
        }
        #expect(name.contains("embeddings"))
        #expect(searched == [directory + "/model.safetensors"])
    }

    @Test func sentenceEncoderDirectoryIsNotACrossEncoder() throws {
        let base = try TextGoldens.modelDirectory()
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: base) }
        #expect(error?.description.contains("BertForSequenceClassification") == true)
    }
}
