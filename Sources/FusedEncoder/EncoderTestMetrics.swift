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

    /// Largest accepted mean absolute error (CDR-SB runs 0–18; anything near this bound is already meaningless).
    public static let maximumMAE = 1_000.0

    /// The directory's metrics, or nil when it has none (an optional file). A file that is there but unreadable,
    /// not this JSON, or holds an error outside 0...`maximumMAE` is an `EncoderError.invalidConfig` naming it
    /// and the field, never silently used (1e300 would be shown as "typical error ±1e300") nor silently dropped.
    public static func load(directory: String) throws -> EncoderTestMetrics? {
        let path = directory + "/" + file
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do { data = try RegularFile.contents(path, maxBytes: 64 << 10) } catch let error as MappedFileError {
            throw EncoderError.invalidConfig(path: path, reason: "cannot read: \(error.reason)")
        }
        let metrics: EncoderTestMetrics
        do { metrics = try JSONDecoder().decode(EncoderTestMetrics.self, from: data) } catch {
            throw EncoderError.invalidConfig(path: path, reason: "not a test-metrics file ({\"source\": ..., \"cdrsb_mae\": {subset: error}}): \(error)")
        }
        try metrics.validate(path: path)
        return metrics
    }

    public func validate(path: String = file) throws {
        for (subset, mae) in cdrsbMAE.sorted(by: { $0.key < $1.key }) where !(0...Self.maximumMAE).contains(mae) {
            throw EncoderError.invalidConfig(path: path, reason: "cdrsb_mae '\(ErrorEcho.clip(subset, limit: 40))' is \(mae), outside 0...\(Self.maximumMAE)")
        }
    }
}
