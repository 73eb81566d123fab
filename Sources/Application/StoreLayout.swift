import Foundation
import Numerics
import Store

/// Where a store's companions live when no flag names them: resolved from flags, then the environment,
/// then the store's own location — never from the working directory.
public enum StoreLayout {
    /// --db, then `$MEMOIR_DB`, then `$MEMOIR_HOME/memoir.sqlite`.
    public static func storePath(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        explicit.flatMap { $0.isEmpty ? nil : $0 } ?? CaseStore.defaultPath(environment: environment)
    }

    /// --index, then `$MEMOIR_INDEX_DIR`, then beside the store: `memoir.sqlite` → `memoir.index/`, so two stores
    /// never share an index.
    public static func indexDirectory(explicit: String?, storePath: String,
                                      environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["MEMOIR_INDEX_DIR"], !fromEnvironment.isEmpty { return fromEnvironment }
        let absolute = URL(fileURLWithPath: storePath).standardizedFileURL
        return absolute.deletingPathExtension().path + ".index"
    }
}
