import Foundation
import FusedEncoder
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for issue #15: absurd encoder config.json sizes are refused before any arithmetic
/// or allocation that depends on them (blocks 1e12 exhausted memory, input_shape 2^40 overflowed).
@Suite struct EncoderConfigBoundsTests {
    let dir: String
    init() throws { dir = try Fixtures.temporaryDirectory() }

    func write(_ edit: (inout [String: Any]) -> Void) throws -> String {
        var json = try #require(try Fixtures.json("encoder/model/config.json") as? [String: Any])
        edit(&json)
        let path = dir + "/config-\(UUID().uuidString).json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(arguments: [
        ("blocks", "[1e12, 2, 2, 2]", "blocks"), ("input_shape", "[1099511627776, 109, 91]", "input_shape"),
        ("input_shape", "[91, 109]", "input_shape"), ("width", "1e12", "width"), ("embed_dim", "1e12", "embed_dim"),
        ("clinical_hidden", "0", "clinical_hidden"), ("input_pool", "1e12", "input_pool"), ("layer_norm_eps", "1e300", "layer_norm_eps"),
        ("age_std", "-1", "age_std"), ("blocks", "[2, 2, 2, 1e30]", "blocks"),
    ])
    func absurdSizesAreNamedErrors(key: String, json: String, mention: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let path = try write { $0[key] = value }
        #expect { try EncoderConfig.load(path: path) } throws: { error in
            guard case let EncoderError.invalidConfig(p, reason) = error else { return false }
            return p == path && reason.contains(mention)
        }
    }

    @Test func theFixtureConfigStillLoads() throws {
        _ = try EncoderConfig.load(path: try write { _ in })
    }

    @Test func nonRegularConfigPathsAreClearErrors() throws {
        let fifo = dir + "/config.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        for (path, mention) in [(fifo, "FIFO"), (dir, "directory")] {
            #expect { try EncoderConfig.load(path: path) } throws: { error in
                guard case let EncoderError.invalidConfig(p, reason) = error else { return false }
                return p == path && reason.contains(mention)
            }
        }
    }
}
