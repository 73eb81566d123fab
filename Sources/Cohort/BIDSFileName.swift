/// A BIDS file name taken apart: `sub-01_ses-M00_space-MNI152NLin2009cAsym_desc-preproc_T1w.nii.gz` has the
/// entities sub, ses, space and desc, the suffix `T1w` and the extension `.nii.gz`.
public struct BIDSFileName: Sendable, Equatable {
    public var entities: [String: String]
    /// Entity keys in file order (BIDS fixes the order; kept for messages).
    public var keys: [String]
    public var suffix: String
    public var fileExtension: String

    static let imageExtensions = [".nii.gz", ".nii"]

    /// Nil for a name that is not `key-value_…_suffix.ext` with alphanumeric keys, values and suffix.
    public init?(_ name: String) {
        guard let ext = Self.imageExtensions.first(where: { name.hasSuffix($0) }) else { return nil }
        let parts = name.dropLast(ext.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 2, let last = parts.last, Self.isLabel(last) else { return nil }
        var entities: [String: String] = [:], keys: [String] = []
        for part in parts.dropLast() {
            let kv = part.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, Self.isLabel(kv[0]), Self.isLabel(kv[1]), entities[String(kv[0])] == nil else { return nil }
            entities[String(kv[0])] = String(kv[1])
            keys.append(String(kv[0]))
        }
        guard keys.first == "sub" else { return nil }
        self.entities = entities
        self.keys = keys
        suffix = String(last)
        fileExtension = ext
    }

    static func isLabel(_ s: Substring) -> Bool { !s.isEmpty && s.count <= 64 && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }

    /// The `run` entity as a number (absent: 0), to take the first run when several were acquired.
    public var run: Int { entities["run"].flatMap { Int($0) } ?? 0 }

    /// In an MNI152 template space (`space-MNI152NLin2009cAsym`, `space-MNI152NLin6Asym`, ...).
    public var isMNISpace: Bool { entities["space"]?.uppercased().hasPrefix("MNI152") == true }

    /// A fractional-anisotropy map: `param-fa` (BIDS-Derivatives diffusion), `desc-FA`, or the suffix `FA`.
    public var isFA: Bool {
        entities["param"]?.lowercased() == "fa" || entities["desc"]?.lowercased() == "fa" || suffix.lowercased() == "fa"
    }
}
