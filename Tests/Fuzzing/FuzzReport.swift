import Foundation

/// Counts from one fuzz run; `failures` holds the case indices (and messages) of untyped errors.
public struct FuzzReport: Sendable, CustomStringConvertible {
    public var format: FuzzFormat
    public var seed: UInt64
    public var cases = 0
    public var accepted = 0
    public var refused = 0
    public var failures: [(index: Int, message: String)] = []
    public var seconds = 0.0

    public init(format: FuzzFormat, seed: UInt64) {
        self.format = format
        self.seed = seed
    }

    public var description: String {
        "\(format.rawValue): \(cases) cases (seed \(seed)) in \(String(format: "%.1f", seconds)) s: \(accepted) accepted, "
            + "\(refused) refused with typed errors, \(failures.count) untyped errors, 0 crashes"
    }
}
