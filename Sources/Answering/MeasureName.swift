import Foundation

/// The case's measures as answers name them, one table for every check that binds a claim to the measure named
/// before it (typicality, rank, cut-off and percentile claims). `measure` is the name the evidence gives
/// (`Evidence.Reading.measure`); bare "ADAS-Cog" and "CDR-SB" are names the evidence places no value under.
struct MeasureName: Sendable {
    let measure: String
    let pattern: NSRegularExpression

    init(_ measure: String, _ alternatives: [String]) {
        self.measure = measure
        pattern = try! NSRegularExpression(pattern: alternatives.joined(separator: "|"), options: [.caseInsensitive])
    }

    /// More specific names first: "ADAS-Cog 13" before bare "ADAS-Cog".
    static let all: [MeasureName] = [
        MeasureName("brain parenchymal fraction", [#"parenchymal"#, #"\bBPF\b"#, #"brain (?:volume|fraction)"#]),
        MeasureName("white-matter FA", [#"\bFA\b"#, #"fractional anisotropy"#]),
        MeasureName("MMSE", [#"\bMMSE\b"#, #"\bMini[- ]Mental\b"#]),
        MeasureName("MoCA", [#"\bMoCA\b"#, #"\bMontreal Cognitive\b"#]),
        MeasureName("ADAS-Cog 13", [#"\bADAS[- ]?(?:Cog[- ]?)?13\b"#]),
        MeasureName("ADAS-Cog 11", [#"\bADAS[- ]?(?:Cog[- ]?)?11\b"#]),
        MeasureName("ADAS-Cog", [#"\bADAS(?:[- ]?Cog)?\b(?![- ]?(?:Cog[- ]?)?1[13]\b)"#]),
        MeasureName("CDR-SB", [#"\bCDR[- ]?SB\b"#]),
    ]

    static let byMeasure = Dictionary(all.map { ($0.measure, $0) }, uniquingKeysWith: { a, _ in a })

    /// Whether `text` names `measure` (a measure without an entry is matched by its own name, escaped).
    static func names(_ measure: String, in text: String) -> Bool {
        lastRange(of: measure, in: text) != nil
    }

    /// Where `measure` is last named in `text` (UTF-16), or nil.
    static func lastRange(of measure: String, in text: String) -> NSRange? {
        let regex = byMeasure[measure]?.pattern
            ?? (try? NSRegularExpression(pattern: NSRegularExpression.escapedPattern(for: measure), options: [.caseInsensitive]))
        return regex?.matches(in: text, range: NSRange(text.startIndex..., in: text)).last?.range
    }

    /// The measure named last in `text`, with the text after its name; nil when none is named.
    static func last(in text: String) -> (measure: String, after: String)? {
        let named = all.compactMap { name in lastRange(of: name.measure, in: text).map { (name.measure, $0) } }
        guard let (measure, range) = named.max(by: { $0.1.location < $1.1.location }) else { return nil }
        return (measure, (text as NSString).substring(from: range.location + range.length))
    }
}
