import Foundation
import Numerics
import Testing
import TestSupport
import TextModels

/// A reranker that ships only its fine-tuned tensors (Models/reranker-minilm-adni: float16, with a manifest
/// naming all-MiniLM-L6-v2 and its sha256) must load by merging over the base and give transformers' logits
/// (Fixtures/reranker/scores.json, made by make_reranker_goldens.py) within 1e-4; broken overlays must say why.
@Suite(.tags(.miniLM), .needsMiniLM) struct WeightOverlayTests {
    static let tolerance = 1e-4
    static let shipped = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"

    struct Goldens: Decodable {
        struct Pair: Decodable { let query: String; let passage: String; let query_ids: [Int32]; let passage_ids: [Int32]; let score: Double }
        let model_weights_sha256: String
        let base_weights_sha256: String
        let max_length: Int
        let join_layer: Int
        let pairs: [Pair]
    }

    static func goldens() throws -> Goldens {
        try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("reranker/scores.json"))))
    }

    /// A scratch overlay: the shipped config and manifest (edited by `manifest`) with the given tensors.
    static func scratchOverlay(tensors: [String: Tensor], manifest edit: (inout [String: Any]) -> Void = { _ in }) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(), directory = folder.path
        try FileManager.default.copyItem(atPath: shipped + "/config.json", toPath: directory + "/config.json")
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shipped + "/manifest.json"))) as! [String: Any]
        manifest["tensors"] = tensors.keys.sorted()
        edit(&manifest)
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors", precision: .f16)
        return folder
    }

    static func head() throws -> [String: Tensor] {
        let file = try SafeTensorsFile(path: shipped + "/model.safetensors")
        return ["classifier.weight": try file.tensor("classifier.weight"), "classifier.bias": try file.tensor("classifier.bias")]
    }

    @Test func shippedOverlayHoldsOnlyChangedTensorsInHalfPrecision() throws {
        let file = try SafeTensorsFile(path: Self.shipped + "/model.safetensors")
        #expect(file.entries.values.allSatisfy { $0.dtype == .f16 })
        #expect(!file.tensorNames.contains { $0.contains("embeddings") }, "the embeddings are unchanged and must come from the base")
        #expect(file.tensorNames.contains("classifier.weight"))
        let manifest = try JSONDecoder().decode(WeightOverlay.Manifest.self,
                                                from: Data(contentsOf: URL(fileURLWithPath: Self.shipped + "/manifest.json")))
        #expect(manifest.baseModel == "all-MiniLM-L6-v2")
        #expect(manifest.tensors == file.tensorNames)
        #expect(!FileManager.default.fileExists(atPath: Self.shipped + "/vocab.txt"), "the tokenizer comes from the base")
    }

    @Test func shippedRerankerMatchesTransformers() throws {
        let base = try TextGoldens.modelDirectory()
        let golden = try Self.goldens()
        #expect(golden.model_weights_sha256 == (try WeightOverlay.sha256(ofFile: Self.shipped + "/model.safetensors")),
                "Fixtures/reranker/scores.json was made from other weights: rerun make_reranker_goldens.py")
        let encoder = try CrossEncoder(directory: Self.shipped)
        #expect(encoder.maxLength == golden.max_length)
        #expect(encoder.joinLayer == golden.join_layer && encoder.isLateInteraction && encoder.interactionKey != nil)
        #expect(golden.pairs.count >= 20)
        #expect(golden.pairs.contains { $0.query_ids.count == golden.max_length }, "one query must be truncated")
        for pair in golden.pairs {
            #expect(encoder.tokenizer.encode(pair.query, maxLength: encoder.maxLength).ids == pair.query_ids, "token ids of \(TextGoldens.show(pair.query))")
            #expect(encoder.tokenizer.encode(pair.passage, maxLength: encoder.maxLength).ids == pair.passage_ids, "token ids of \(TextGoldens.show(pair.passage))")
        }
        let logits = try encoder.logits(pairs: golden.pairs.map { ($0.query, $0.passage) }, batchSize: 8)
        var worst = 0.0
        for (pair, l) in zip(golden.pairs, logits) {
            let diff = abs(Double(l[0]) - pair.score)
            worst = max(worst, diff)
            #expect(diff <= Self.tolerance, "\(TextGoldens.show(pair.passage)): \(l[0]) vs reference \(pair.score)")
        }
        print("reranker overlay parity: max |Δ logit| \(worst) over \(golden.pairs.count) pairs (base \(base))")
        // The same overlay with the base named explicitly loads the same model.
        let explicit = try CrossEncoder(directory: Self.shipped, baseDirectory: base)
        let again = try explicit.logits(pairs: [(golden.pairs[0].query, golden.pairs[0].passage)])
        #expect(abs(again[0][0] - logits[0][0]) <= 1e-5, "batch of 1 vs batch of 8")
    }

    @Test func missingBaseIsNamed() throws {
        let folder = try Self.scratchOverlay(tensors: try Self.head()) { $0["base"] = "no-such-base" }, directory = folder.path
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: directory) }
        guard case let .modelNotFound(searched, hint)? = error else { Issue.record("expected modelNotFound, got \(String(describing: error))"); return }
        #expect(searched.first?.contains(directory + "/no-such-base") == true)
        #expect(hint.contains("all-MiniLM-L6-v2"))
    }

    @Test func tensorWithWrongShapeIsNamed() throws {
        var tensors = try Self.head()
        tensors["bert.encoder.layer.5.output.dense.weight"] = Tensor(zeros: [384, 100])
        let folder = try Self.scratchOverlay(tensors: tensors), directory = folder.path
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: directory) }
        #expect(error == .weightShape(name: "bert.encoder.layer.5.output.dense.weight", path: directory + "/model.safetensors",
                                      expected: [384, 1536], actual: [384, 100]))
        #expect(error?.description.contains("bert.encoder.layer.5.output.dense.weight") == true)
    }

    @Test func tensorUnknownToTheBaseIsNamed() throws {
        var tensors = try Self.head()
        tensors["bert.encoder.layer.9.output.dense.bias"] = Tensor(zeros: [384])
        let folder = try Self.scratchOverlay(tensors: tensors), directory = folder.path
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: directory) }
        #expect(error?.description.contains("'bert.encoder.layer.9.output.dense.bias' is not in the base model") == true)
    }

    @Test func baseWithOtherWeightsIsRefused() throws {
        let folder = try Self.scratchOverlay(tensors: try Self.head()) { $0["base_weights_sha256"] = String(repeating: "0", count: 64) }, directory = folder.path
        let error = #expect(throws: TextModelError.self) { try CrossEncoder(directory: directory) }
        #expect(error?.description.contains("sha256 " + String(repeating: "0", count: 64)) == true)
    }

    @Test func headOnlyOverlayTakesEverythingElseFromTheBase() throws {
        let base = try TextGoldens.modelDirectory()
        let folder = try Self.scratchOverlay(tensors: try Self.head()), directory = folder.path
        let encoder = try CrossEncoder(directory: directory)
        // The base pooler and encoder with the shipped head: what `baseWeights:` gives for a plain head directory.
        let plainFolder = try TemporaryFolder(), plain = plainFolder.path
        for file in ["config.json", "model.safetensors"] { try FileManager.default.copyItem(atPath: directory + "/" + file, toPath: plain + "/" + file) }
        for file in ["vocab.txt", "tokenizer_config.json"] { try FileManager.default.copyItem(atPath: base + "/" + file, toPath: plain + "/" + file) }
        let reference = try CrossEncoder(directory: plain, baseWeights: [base + "/model.safetensors"])
        let pair = ("Is this subject's profile consistent with Alzheimer's disease?", "MMSE is 21 of 30. Diagnosis: dementia (Dementia).")
        #expect(try encoder.logits(pairs: [pair]) == reference.logits(pairs: [pair]))
    }

    /// A complete Hugging Face BertForSequenceClassification directory (ms-marco-MiniLM-L-6-v2 layout: every
    /// tensor under `bert.`, its own vocab, no manifest) still loads as before and matches the text goldens.
    @Test func plainHuggingFaceDirectoryStillLoads() throws {
        let base = try TextGoldens.modelDirectory()
        let folder = try TemporaryFolder(), directory = folder.path
        let baseFile = try SafeTensorsFile(path: base + "/model.safetensors")
        var tensors: [String: Tensor] = [:]
        for name in baseFile.tensorNames where baseFile.entries[name]!.dtype.isFloatingPoint { tensors["bert." + name] = try baseFile.tensor(name) }
        let head = try SafeTensorsFile(path: Fixtures.path("text/cross-encoder-head/model.safetensors"))
        for name in head.tensorNames { tensors[name] = try head.tensor(name) }
        try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors")
        try FileManager.default.copyItem(atPath: Fixtures.path("text/cross-encoder-head/config.json"), toPath: directory + "/config.json")
        for file in ["vocab.txt", "tokenizer_config.json"] { try FileManager.default.copyItem(atPath: base + "/" + file, toPath: directory + "/" + file) }
        let encoder = try CrossEncoder(directory: directory)
        #expect(encoder.maxLength == 512)
        let golden = try TextGoldens.crossScores().pairs.prefix(4)
        let logits = try encoder.logits(pairs: golden.map { ($0.query, $0.passage) })
        for (pair, l) in zip(golden, logits) { #expect(abs(Double(l[0]) - pair.score) <= Self.tolerance) }
    }
}
