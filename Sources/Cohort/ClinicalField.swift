/// A numeric clinical column with its valid range, used by validation and captions.
public struct ClinicalField: Sendable, Hashable {
    public let column: String
    public let range: ClosedRange<Double>
    public let label: String

    public static let age = ClinicalField(column: "AGE", range: 18...110, label: "age")
    public static let education = ClinicalField(column: "PTEDUCAT", range: 0...30, label: "years of education")
    public static let mmse = ClinicalField(column: "MMSE", range: 0...30, label: "MMSE")
    public static let cdrsb = ClinicalField(column: "CDRSB", range: 0...18, label: "CDR-SB")
    public static let adas11 = ClinicalField(column: "ADAS11", range: 0...70, label: "ADAS-Cog 11")
    public static let adas13 = ClinicalField(column: "ADAS13", range: 0...85, label: "ADAS-Cog 13")
    public static let moca = ClinicalField(column: "MOCA", range: 0...30, label: "MoCA")
}
