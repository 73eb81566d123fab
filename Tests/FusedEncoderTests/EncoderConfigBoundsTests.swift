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
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

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
        // Normalisation constants: finite is not enough (cdrsb_mean 1e300 made every CDR-SB estimate 1e300).
        ("cdrsb_mean", "1e300", "cdrsb_mean"), ("age_mean", "-1e300", "age_mean"), ("cdrsb_std", "1e300", "cdrsb_std"),
        ("age_std", "0", "age_std"), ("clinical_mean", "[10, 17, 1e300, 23]", "clinical_mean[2]"),
        ("clinical_std", "[6, 9, 4.5, 1e9]", "clinical_std[3]"),
    ])
    func absurdSizesAreNamedErrors(key: String, json: String, mention: String) throws {
        let value = try JSONSerialization.jsonObject(with: Data(json.utf8), options: .fragmentsAllowed)
        let path = try write { $0[key] = value }
        #expect { try EncoderConfig.load(path: path) } throws: { error in
            guard case let EncoderError.invalidConfig(p, reason) = error else { return false }
            return p == path && reason.contains(mention)
        }
    }

    /// test-metrics.json (optional): absent is nil; present, it must be readable and its errors plausible.
    @Test func testMetricsAreBoundedOrAClearError() throws {
        #expect(try EncoderTestMetrics.load(directory: dir) == nil)
        let path = dir + "/" + EncoderTestMetrics.file
        try #"{"source": "eval", "cdrsb_mae": {"t1": 1.5, "clinical": 1.19}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try EncoderTestMetrics.load(directory: dir)?.cdrsbMAE["t1"] == 1.5)
        for (json, mention) in [(#"{"source": "x", "cdrsb_mae": {"t1": 1e300}}"#, "cdrsb_mae 't1' is 1e+300"),
                                (#"{"source": "x", "cdrsb_mae": {"fa": -0.5}}"#, "cdrsb_mae 'fa' is -0.5"),
                                (#"{"source": "x", "cdrsb_mae": [1]}"#, "not a test-metrics file")] {
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            #expect { try EncoderTestMetrics.load(directory: dir) } throws: { error in
                guard case let EncoderError.invalidConfig(p, reason) = error else { return false }
                return p == path && reason.contains(mention)
            }
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect { try EncoderTestMetrics.load(directory: dir) } throws: { "\($0)".contains("FIFO") }
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
