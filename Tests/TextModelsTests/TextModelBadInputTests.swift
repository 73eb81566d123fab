import Foundation
import Numerics
import Testing
import TestSupport
@testable import TextModels

/// Broken model directories and weight files must give an error that names the file and the
/// problem, never a crash or a silently wrong model.
@Suite(.tags(.miniLM), .needsMiniLM) struct TextModelBadInputTests {
    let folder: TemporaryFolder
    var directory: String { folder.path }
    let base: String

    init() throws {
        base = try TextGoldens.modelDirectory()
        folder = try TemporaryFolder()
    }

    /// A model directory with the real config and vocabulary, and `weights` as model.safetensors
    /// (a symlink to the real one when nil).
    func makeModelDirectory(weights: Data? = nil, vocabulary: String? = nil) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in ["config.json", "modules.json", "sentence_bert_config.json", "tokenizer_config.json"] {
            try fm.copyItem(atPath: base + "/" + file, toPath: directory + "/" + file)
        }
        try fm.createDirectory(atPath: directory + "/1_Pooling", withIntermediateDirectories: true)
        try fm.copyItem(atPath: base + "/1_Pooling/config.json", toPath: directory + "/1_Pooling/config.json")
        if let vocabulary {
            try vocabulary.write(toFile: directory + "/vocab.txt", atomically: true, encoding: .utf8)
        } else {
            try fm.copyItem(atPath: base + "/vocab.txt", toPath: directory + "/vocab.txt")
        }
        if let weights {
            try weights.write(to: URL(fileURLWithPath: directory + "/model.safetensors"))
        } else {
            try fm.createSymbolicLink(atPath: directory + "/model.safetensors", withDestinationPath: base + "/model.safetensors")
        }
    }

    /// The load error, which must say what is wrong with which file.
    func loadError(_ mentions: String...) -> (any Error)? {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try SentenceEncoder(directory: directory)
            Issue.record("loading \(directory) succeeded")
            return nil
        } catch {
            let text = String(describing: error)
            for m in mentions { #expect(text.contains(m), "error \"\(text)\" should mention \(m)") }
            return error
        }
    }

    static func safetensors(header: String, dataBytes: Int) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8))
        data.append(Data(count: dataBytes))
        return data
    }

    // MARK: Vocabulary

    @Test func vocabularyWithoutUnknownTokenIsAClearError() throws {
        try makeModelDirectory(vocabulary: "[PAD]\n[CLS]\n[SEP]\n[MASK]\nthe\nof\n")
        let error = loadError(directory + "/vocab.txt", "[UNK]")
        #expect(error is TextModelError)
        if case .invalidVocabulary? = error as? TextModelError {} else { Issue.record("expected invalidVocabulary, got \(String(describing: error))") }
    }

    @Test func vocabularyErrorsFromTokensAndFiles() throws {
        #expect(throws: TextModelError.invalidVocabulary(path: "vocabulary", reason: "vocabulary has no [UNK] token; a BERT vocab.txt must define [PAD], [UNK], [CLS] and [SEP]")) {
            try Vocabulary(tokens: ["[PAD]", "[CLS]", "[SEP]"])
        }
        let empty = directory + "-empty-vocab.txt"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(throws: TextModelError.invalidVocabulary(path: empty, reason: "empty vocabulary")) { try Vocabulary(contentsOf: empty) }
        let latin1 = directory + "-latin1.txt"
        try Data([0x5B, 0x55, 0x4E, 0x4B, 0x5D, 0x0A, 0xE9, 0xFF, 0x0A]).write(to: URL(fileURLWithPath: latin1))
        defer { try? FileManager.default.removeItem(atPath: latin1) }
        #expect(throws: TextModelError.invalidVocabulary(path: latin1, reason: "not UTF-8 text")) { try Vocabulary(contentsOf: latin1) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    // MARK: Missing files

    @Test func missingModelFileIsNamed() throws {
        try makeModelDirectory()
        try FileManager.default.removeItem(atPath: directory + "/model.safetensors")
        #expect(throws: TextModelError.missingFile(path: directory + "/model.safetensors", hint: ModelLocator.fetchHint)) {
            try ModelLocator.sentenceModelDirectory(explicit: directory)
        }
        let error = loadError(directory + "/model.safetensors", "Scripts/setup.sh")
        #expect(error as? TextModelError == .missingFile(path: directory + "/model.safetensors", hint: ModelLocator.fetchHint))
    }

    @Test func missingDirectoryAndPoolingConfigAreNamed() throws {
        #expect(throws: TextModelError.self) { try ModelLocator.sentenceModelDirectory(explicit: directory + "/nonexistent") }
        try makeModelDirectory()
        try FileManager.default.removeItem(atPath: directory + "/1_Pooling/config.json")
        _ = loadError(directory + "/1_Pooling/config.json")
    }

    @Test func weightsFileThatIsADirectoryIsAClearError() throws {
        try makeModelDirectory()
        try FileManager.default.removeItem(atPath: directory + "/model.safetensors")
        try FileManager.default.createDirectory(atPath: directory + "/model.safetensors", withIntermediateDirectories: false)
        _ = loadError(directory + "/model.safetensors", "not a regular file")
    }

    // MARK: Damaged weights

    @Test func truncatedWeightsAreRefused() throws {
        let full = try Data(contentsOf: URL(fileURLWithPath: base + "/model.safetensors"), options: .alwaysMapped)
        let headerEnd = 8 + Int(full.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
        // Cut in the data section, in the header, and inside the length prefix.
        for (length, mention) in [(full.count / 2, "truncated"), (full.count - 1, "truncated"), (headerEnd - 10, "header"), (5, "too small"), (0, "too small")] {
            try makeModelDirectory(weights: full.prefix(length))
            let error = loadError(directory + "/model.safetensors", mention)
            #expect(error is SafeTensorsError || error is TextModelError, "\(String(describing: error))")
        }
    }

    @Test func headerThatLiesAboutSizesIsRefused() throws {
        let h = 384
        let lies: [(header: String, data: Int, mention: String)] = [
            // Shape needs more bytes than data_offsets give.
            (#"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[30522,384],"data_offsets":[0,1024]}}"#, 1024, "needs 46881792 bytes"),
            // data_offsets run past the end of the file.
            (#"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[30522,\#(h)],"data_offsets":[0,46881792]}}"#, 4096, "truncated"),
            // A shape whose byte size overflows Int.
            (#"{"x":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,16]}}"#, 16, "too many"),
            // Negative and non-integer sizes.
            (#"{"x":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}"#, 16, "non-negative"),
            (#"{"x":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}"#, 16, "data_offsets"),
            // Two tensors claiming the same bytes.
            (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}"#, 24, "overlap"),
            // Not JSON, and an unknown dtype.
            ("{not json", 0, "malformed"),
            (#"{"x":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#, 16, "F128"),
        ]
        for lie in lies {
            try makeModelDirectory(weights: Self.safetensors(header: lie.header, dataBytes: lie.data))
            let error = loadError(directory + "/model.safetensors", lie.mention)
            #expect(error is SafeTensorsError, "\(String(describing: error))")
        }
        // A header whose length prefix claims more bytes than the file has.
        var data = Self.safetensors(header: "{}", dataBytes: 0)
        data.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Data($0) })
        try makeModelDirectory(weights: data)
        _ = loadError(directory + "/model.safetensors", "header claims")
    }

    @Test func consistentFileWithWrongShapesNamesTheWeight() throws {
        // Self-consistent safetensors, but the embedding matrix is too small for config.json.
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[10,384],"data_offsets":[0,15360]}}"#
        try makeModelDirectory(weights: Self.safetensors(header: header, dataBytes: 15360))
        let error = loadError("embeddings.word_embeddings.weight", "[10, 384]", "[30522, 384]")
        #expect(error is TextModelError)
    }

    @Test func missingTensorIsNamed() throws {
        let header = #"{"unrelated":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        try makeModelDirectory(weights: Self.safetensors(header: header, dataBytes: 4))
        let error = loadError("embeddings.word_embeddings.weight", directory + "/model.safetensors")
        #expect(error is TextModelError)
    }

    @Test func integerWeightsAreRefused() throws {
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"I32","shape":[30522,384],"data_offsets":[0,46881792]}}"#
        try makeModelDirectory(weights: Self.safetensors(header: header, dataBytes: 46_881_792))
        _ = loadError("embeddings.word_embeddings.weight", "I32")
    }

    // MARK: Bad configs and inputs

    @Test func unsupportedConfigsAreNamed() throws {
        for (key, value, mention) in [("hidden_act", "\"gelu_new\"", "gelu_new"), ("model_type", "\"roberta\"", "roberta"),
                                      ("num_attention_heads", "7", "divisible")] {
            try makeModelDirectory()
            let path = directory + "/config.json"
            var config = try String(contentsOfFile: path, encoding: .utf8)
            let pattern = try NSRegularExpression(pattern: "\"\(key)\": [^,\\n]+")
            config = pattern.stringByReplacingMatches(in: config, range: NSRange(config.startIndex..., in: config), withTemplate: "\"\(key)\": \(value)")
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            _ = loadError(path, mention)
        }
        try makeModelDirectory()
        try "[1, 2".write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
        _ = loadError(directory + "/config.json", "not a JSON object")
    }

    @Test func outOfRangeInputsAreErrorsNotCrashes() throws {
        let model = try TextGoldens.encoder().model
        try? FileManager.default.removeItem(atPath: directory)
        #expect(throws: TextModelError.self) { try model.hiddenStates([TokenizedInput(ids: [101, 40_000, 102], typeIDs: [0, 0, 0])]) }
        #expect(throws: TextModelError.self) { try model.hiddenStates([TokenizedInput(ids: [101, -1, 102], typeIDs: [0, 0, 0])]) }
        #expect(throws: TextModelError.self) { try model.hiddenStates([TokenizedInput(ids: [101, 102], typeIDs: [0, 2])]) }
        #expect(throws: TextModelError.self) { try model.hiddenStates([TokenizedInput(ids: [101, 102], typeIDs: [0])]) }
        let tooLong = [Int32](repeating: 1000, count: 513)
        #expect(throws: TextModelError.self) { try model.hiddenStates([TokenizedInput(ids: tooLong, typeIDs: [Int32](repeating: 0, count: 513))]) }
        #expect(try model.hiddenStates([]).sequenceCount == 0)
    }
}
