import ArgumentParser
import Foundation

/// `--index DIR`, shared by the commands that build or search the case index.
struct IndexOptions: ParsableArguments {
    @Option(help: "Case index directory. Default: $MEMOIR_INDEX_DIR, else Indexes/<store file name without extension> under the current directory.")
    var index: String?

    func directory(forStore storePath: String) -> String {
        if let index { return index }
        if let env = ProcessInfo.processInfo.environment["MEMOIR_INDEX_DIR"], !env.isEmpty { return env }
        let stem = ((storePath as NSString).lastPathComponent as NSString).deletingPathExtension
        return "Indexes/" + stem
    }
}
