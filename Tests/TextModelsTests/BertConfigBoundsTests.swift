import Foundation
import Testing
import TestSupport
import TextModels
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for issue #15: absurd BERT config.json sizes are refused before anything is allocated.
@Suite struct BertConfigBoundsTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    static var valid: [String: Any] { [
        "model_type": "bert", "hidden_act": "gelu", "hidden_size": 384, "num_hidden_layers": 6, "num_attention_heads": 12,
        "intermediate_size": 1536, "vocab_size": 30522, "max_position_embeddings": 512, "type_vocab_size": 2,
    ] }

    func write(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var json = Self.valid
        edit(&json)
        let path = dir + "/config-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func theValidConfigLoads() throws {
        let config = try BertConfig(contentsOf: try write { _ in })
        #expect(config.layerCount == 6 && config.headSize == 32)
    }

    @Test(arguments: [
        ("num_hidden_layers", 1e12), ("num_hidden_layers", 0), ("vocab_size", 1e30), ("hidden_size", -384),
        ("intermediate_size", 1099511627776), ("max_position_embeddings", 1e12), ("type_vocab_size", 0),
        ("num_labels", 1e9), ("num_hidden_layers", 6.5), ("memoir_join_layer", 1e19),
        // Fewer than 3 positions cannot hold [CLS] a [SEP] b [SEP] (the tokenizer's precondition).
        ("max_position_embeddings", 1), ("max_position_embeddings", 2),
    ] as [(String, Double)])
    func absurdSizesAreNamedErrors(key: String, value: Double) throws {
        let path = try write { $0[key] = value }
        #expect { try BertConfig(contentsOf: path) } throws: { error in
            guard case let TextModelError.invalidConfig(p, reason) = error else { return false }
            return p == path && (reason.contains(key) || key == "memoir_join_layer" && reason.contains("memoir_join_layer"))
        }
    }

    @Test func nonRegularConfigPathsAreClearErrors() throws {
        let fifo = dir + "/fifo.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, mention) in [(fifo, "FIFO"), (dir, "directory")] {
            #expect { try BertConfig(contentsOf: path) } throws: { error in
                guard case let TextModelError.invalidConfig(p, reason) = error else { return false }
                return p == path && reason.contains(mention)
            }
        }
        #expect { try BertConfig(contentsOf: dir + "/absent.json") } throws: { error in
            if case TextModelError.missingFile = error { return true }
            return false
        }
    }
}
