import Foundation
import Testing
import TestSupport
@testable import TextModels
#if canImport(Glibc)
import Glibc
#endif

/// Issue #15: every maximum sequence length a file or caller gives is checked before the tokenizer sees it
/// (its preconditions need 2 positions for a text, 3 for a pair), and model files are read only when regular.
/// None of these needs a real model: each is refused before weights are read.
@Suite struct SequenceLengthBoundsTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    func write(_ text: String, _ name: String) throws { try text.write(toFile: folder.file(name), atomically: true, encoding: .utf8) }

    func invalidConfig(_ path: String, _ mention: String) -> (any Error) -> Bool {
        { error in
            guard case let TextModelError.invalidConfig(p, reason) = error else { return false }
            return p == path && reason.contains(mention)
        }
    }

    @Test func sentenceBertMaxSeqLengthIsChecked() throws {
        #expect(try SentenceEncoder.declaredMaxLength(directory: folder.path) == nil)
        let path = folder.file("sentence_bert_config.json")
        try write(#"{"max_seq_length": 256, "do_lower_case": false}"#, "sentence_bert_config.json")
        #expect(try SentenceEncoder.declaredMaxLength(directory: folder.path) == 256)
        for bad in ["1", "0", "-5", "1e30", "2.5", "\"256\"", "null"] {
            try write(#"{"max_seq_length": \#(bad)}"#, "sentence_bert_config.json")
            #expect("max_seq_length \(bad)", performing: { try SentenceEncoder.declaredMaxLength(directory: folder.path) },
                    throws: invalidConfig(path, "'max_seq_length' must be an integer in 3...131072"))
        }
        try write("[1, 2]", "sentence_bert_config.json")
        #expect(performing: { try SentenceEncoder.declaredMaxLength(directory: folder.path) }, throws: invalidConfig(path, "not a JSON object"))
    }

    @Test func overlayManifestMaxLengthIsChecked() throws {
        let path = folder.file(WeightOverlay.manifestName)
        for bad in [0, 1, 2, 10_000_000] {
            try write(#"{"format": "memoir-weight-overlay/1", "base_model": "all-MiniLM-L6-v2", "max_length": \#(bad)}"#, WeightOverlay.manifestName)
            #expect("max_length \(bad)", performing: { try WeightOverlay.load(directory: folder.path) }, throws: invalidConfig(path, "'max_length' \(bad)"))
        }
        try write(#"{"format": "memoir-weight-overlay/1", "base_model": "x", "retrieval_weight": 1e300}"#, WeightOverlay.manifestName)
        #expect(performing: { try WeightOverlay.load(directory: folder.path) }, throws: invalidConfig(path, "'retrieval_weight'"))
    }

    @Test func crossEncoderPairLengthIsCheckedFirst() throws {
        for length in [Int.min, -1, 0, 2, 131_073] {
            #expect("maxLength \(length)", performing: { try CrossEncoder(directory: folder.path, maxLength: length) },
                    throws: invalidConfig(folder.path, "maximum pair length \(length)"))
        }
    }

    /// A FIFO where a small model file belongs is refused at once (reading it would block for ever).
    @Test func fifoModelFilesAreClearErrors() throws {
        for name in ["sentence_bert_config.json", "tokenizer_config.json", "modules.json", WeightOverlay.manifestName, "vocab.txt"] {
            #expect(mkfifo(folder.file(name), 0o600) == 0)
        }
        #expect(performing: { try SentenceEncoder.declaredMaxLength(directory: folder.path) },
                throws: invalidConfig(folder.file("sentence_bert_config.json"), "FIFO"))
        #expect(performing: { try SentenceEncoder.lowercases(directory: folder.path) }, throws: invalidConfig(folder.file("tokenizer_config.json"), "FIFO"))
        #expect(performing: { try WeightOverlay.load(directory: folder.path) }, throws: invalidConfig(folder.file(WeightOverlay.manifestName), "FIFO"))
        #expect(performing: { try Vocabulary(contentsOf: folder.file("vocab.txt")) }, throws: { error in
            guard case let TextModelError.invalidVocabulary(p, reason) = error else { return false }
            return p == folder.file("vocab.txt") && reason.contains("FIFO")
        })
    }
}
