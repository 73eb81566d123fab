/// A numeric clinical column with its valid range, used by validation and captions.
public struct ClinicalField: Sendable, Hashable {
    /// The cohort CSV column, which is also the encoder config's feature name.
    public let column: String
    public let range: ClosedRange<Double>
    public let label: String

    /// The case store's column.
    public var storeColumn: String { column == "PTEDUCAT" ? "education" : column.lowercased() }

    /// The scores the fused encoder reads, in one place for the encoder, the store's stale-embedding trigger
    /// and captions. Diagnosis, CDR-SB, age and sex are targets and are never inputs.
    public static let encoderInputs: [ClinicalField] = [.adas11, .adas13, .mmse, .moca]

    public static let age = ClinicalField(column: "AGE", range: 18...110, label: "age")
    public static let education = ClinicalField(column: "PTEDUCAT", range: 0...30, label: "years of education")
    public static let mmse = ClinicalField(column: "MMSE", range: 0...30, label: "MMSE")
    public static let cdrsb = ClinicalField(column: "CDRSB", range: 0...18, label: "CDR-SB")
    public static let adas11 = ClinicalField(column: "ADAS11", range: 0...70, label: "ADAS-Cog 11")
    public static let adas13 = ClinicalField(column: "ADAS13", range: 0...85, label: "ADAS-Cog 13")
    public static let moca = ClinicalField(column: "MOCA", range: 0...30, label: "MoCA")
}
