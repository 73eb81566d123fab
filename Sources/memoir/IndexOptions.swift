import ArgumentParser

/// `--index DIR`, shared by the commands that build or search the case index.
struct IndexOptions: ParsableArguments {
    @Option(help: "Case index directory. Default: $MEMOIR_INDEX_DIR, else beside the store (memoir.sqlite → memoir.index).")
    var index: String?
}
