import ArgumentParser
import Cohort

/// `--modalities t1,fa,clinical` (or `t1+clinical`, or `all` for t1+fa+clinical): one subset of modalities,
/// with the same meaning in every command. Commands that take several subsets repeat the option.
extension ModalitySet: ExpressibleByArgument {
    public init?(argument: String) {
        if argument.lowercased() == "all" { self = .all; return }
        self.init(key: argument)
    }
    public var defaultValueDescription: String { key }
}
