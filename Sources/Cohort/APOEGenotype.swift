import Foundation

/// An APOE genotype: two alleles from ε2, ε3, ε4.
public struct APOEGenotype: Sendable, Equatable, Codable, CustomStringConvertible {
    public let first: Int
    public let second: Int

    public init?(_ a: Int, _ b: Int) {
        guard [2, 3, 4].contains(a), [2, 3, 4].contains(b) else { return nil }
        (first, second) = (min(a, b), max(a, b))
    }

    /// Accepts "3/4", "E3/E4", "ε3/ε4", "e3e4", "34".
    public init?(parsing text: String) {
        let digits = text.compactMap { ch -> Int? in
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            return d
        }
        let letters = text.lowercased().filter { !"0123456789 /-eε".contains($0) }
        guard digits.count == 2, letters.isEmpty else { return nil }
        self.init(digits[0], digits[1])
    }

    public var e4Count: Int { (first == 4 ? 1 : 0) + (second == 4 ? 1 : 0) }
    public var e2Count: Int { (first == 2 ? 1 : 0) + (second == 2 ? 1 : 0) }
    /// The CSV spelling: "3/4".
    public var csvValue: String { "\(first)/\(second)" }
    public var description: String { "ε\(first)/ε\(second)" }
}
