import Foundation
import Numerics

/// What the encoder's own directory reports about its test-split errors (`test-metrics.json`, written from
/// `memoir eval encoder`), so a prediction can be shown with the error it is known to carry.
public struct EncoderTestMetrics: Sendable, Codable, Equatable {
    /// Where the numbers come from (command, split, cohort).
    public var source: String
    /// Mean absolute error of the CDR-SB head on the test split, by modality subset key ("t1+fa+clinical").
    public var cdrsbMAE: [String: Double]

    enum CodingKeys: String, CodingKey { case source, cdrsbMAE = "cdrsb_mae" }

    public static let file = "test-metrics.json"

    /// The directory's metrics, or nil when it has none (an optional file: no error).
    public static func load(directory: String) -> EncoderTestMetrics? {
        let path = directory + "/" + file
        guard let data = try? RegularFile.contents(path, maxBytes: 64 << 10) else { return nil }
        return try? JSONDecoder().decode(EncoderTestMetrics.self, from: data)
    }
}
