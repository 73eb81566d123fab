import ArgumentParser
import Cohort

/// Several modality subsets, for the commands that work on more than one: `--modalities` repeated (each
/// one subset, as everywhere), or `--every-subset` for the 7 non-empty ones.
struct SubsetOptions: ParsableArguments {
    @Option(name: .customLong("modalities"),
            help: "A modality subset such as t1+fa+clinical or t1,clinical; repeat for several. Default: t1+fa+clinical.")
    var modalities: [ModalitySet] = []

    @Flag(help: "All 7 non-empty subsets (t1, fa, clinical, t1+fa, t1+clinical, fa+clinical, t1+fa+clinical).")
    var everySubset = false

    @OptionGroup var renamed: RenamedSubsetsOption

    func validate() throws {
        if everySubset && !modalities.isEmpty { throw ValidationError("give --modalities or --every-subset, not both") }
    }

    var subsets: [ModalitySet] {
        if everySubset { return ModalitySet.nonEmptySubsets }
        var out: [ModalitySet] = []
        for s in modalities where !out.contains(s) { out.append(s) }
        return out.isEmpty ? [.all] : out
    }
}
