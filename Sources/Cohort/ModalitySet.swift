import Foundation

/// A subset of the three modalities, e.g. the ones a query asks for or a case has.
public struct ModalitySet: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue & 0b111 }

    public static let t1 = ModalitySet(rawValue: 1)
    public static let fa = ModalitySet(rawValue: 2)
    public static let clinical = ModalitySet(rawValue: 4)
    public static let all: ModalitySet = [.t1, .fa, .clinical]

    public init(_ modality: Modality) { self.init(rawValue: 1 << modality.index) }

    public init(_ modalities: some Sequence<Modality>) {
        self.init(rawValue: modalities.reduce(0) { $0 | (1 << $1.index) })
    }

    /// Parses a key such as "t1+clinical" (also accepts commas); nil on an unknown name or an empty list.
    public init?(key: String) {
        var set: ModalitySet = []
        for part in key.split(whereSeparator: { $0 == "+" || $0 == "," }) {
            guard let m = Modality(rawValue: part.trimmingCharacters(in: .whitespaces).lowercased()) else { return nil }
            set.insert(ModalitySet(m))
        }
        guard !set.isEmpty else { return nil }
        self = set
    }

    public func contains(_ modality: Modality) -> Bool { contains(ModalitySet(modality)) }

    /// Members in token order.
    public var members: [Modality] { Modality.allCases.filter { contains($0) } }

    /// The canonical spelling, "t1+fa+clinical": how the embedding cache keys a subset.
    public var key: String { members.map(\.rawValue).joined(separator: "+") }

    public var description: String { key.isEmpty ? "none" : key }

    /// What a case can give the encoder: each image it has a path for, and clinical inputs when given
    /// (a record always gives them: absent scores are masked, as in training).
    public static func present(t1Path: String?, faPath: String?, hasClinical: Bool) -> ModalitySet {
        var set = ModalitySet()
        if t1Path != nil { set.insert(.t1) }
        if faPath != nil { set.insert(.fa) }
        if hasClinical { set.insert(.clinical) }
        return set
    }

    /// The 7 non-empty subsets in the order of the reference goldens (itertools.combinations by size):
    /// t1, fa, clinical, t1+fa, t1+clinical, fa+clinical, t1+fa+clinical.
    public static let nonEmptySubsets: [ModalitySet] = [
        .t1, .fa, .clinical, [.t1, .fa], [.t1, .clinical], [.fa, .clinical], .all,
    ]
}
