import ArgumentParser
import FusedEncoder

/// A list of modality subsets on the command line: `all` (the 7 non-empty subsets), `complete`
/// (t1+fa+clinical only) or comma-separated keys such as `t1+fa+clinical,t1,fa+clinical`.
struct SubsetList: ExpressibleByArgument {
    var subsets: [ModalitySet]

    init(subsets: [ModalitySet]) { self.subsets = subsets }

    init?(argument: String) {
        switch argument.lowercased() {
        case "all": subsets = ModalitySet.nonEmptySubsets
        case "complete": subsets = [.all]
        default:
            var out: [ModalitySet] = []
            for part in argument.split(separator: ",") {
                guard let set = ModalitySet(key: String(part).replacingOccurrences(of: ",", with: "")) else { return nil }
                if !out.contains(set) { out.append(set) }
            }
            guard !out.isEmpty else { return nil }
            subsets = out
        }
    }

    static var complete: SubsetList { SubsetList(subsets: [.all]) }

    var defaultValueDescription: String { subsets.map(\.key).joined(separator: ",") }
}
