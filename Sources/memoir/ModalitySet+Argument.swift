import ArgumentParser
import FusedEncoder

/// `--modalities t1,fa,clinical` (or `t1+clinical`): the modalities the encoder may use.
extension ModalitySet: ExpressibleByArgument {
    public init?(argument: String) { self.init(key: argument) }
    public var defaultValueDescription: String { key.replacingOccurrences(of: "+", with: ",") }
}
