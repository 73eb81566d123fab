import Answering
import Foundation
import FusedEncoder
import Numerics
import Retrieval
import Store
import TextModels

/// What `memoir --version` prints: this build, its store schema, the prompt versions it finds and the
/// models it would load, each with where it resolved from (flags are not read here: defaults only).
public enum VersionReport {
    /// Memoir's own version.
    public static let memoirVersion = "0.14.0"

    public static func text(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        var lines = ["memoir \(memoirVersion)", "store schema \(CaseStore.schemaVersion)"]
        let promptsRoot = PromptTemplate.searchDirectory(environment: environment)
        let versions = promptVersions(in: promptsRoot, environment: environment)
        lines.append("prompts \(versions.isEmpty ? "none found" : versions.joined(separator: ", ")) in \(promptsRoot)")
        let encoder = EncoderLocator.location.resolve(explicit: nil, environment: environment)
        lines.append("fused encoder " + describe(encoder) { dir in
            (try? FusedEncoder(directory: dir)).map { "\($0.weightsHash.prefix(12)) (\(dir))" } ?? "unreadable (\(dir))"
        })
        lines.append("text model " + describe(ModelLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("reranker " + describe(RerankerLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("text projection " + describe(TextProjectionLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("BLAS \(BLASKernelSelection.summary()), \(BLAS.threadCount) thread(s); `memoir doctor` for the CPU, the self-check and a measurement")
        return lines.joined(separator: "\n")
    }

    /// The version directories `PromptTemplate.resolveDirectory` finds in `root`; `root`'s own name when it is a
    /// version directory itself.
    static func promptVersions(in root: String, environment: [String: String]) -> [String] {
        func resolved(_ version: String) -> String? {
            try? PromptTemplate.resolveDirectory(option: root, version: version, environment: environment)
        }
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .filter { resolved($0) == URL(fileURLWithPath: root).appendingPathComponent($0).path }.sorted()
        // Found with no version name: the root holds the templates itself.
        if versions.isEmpty, resolved("") != nil { return [URL(fileURLWithPath: root).lastPathComponent] }
        return versions
    }

    private static func describe(_ result: Result<String, ModelDirectory.Failure>, _ found: (String) -> String) -> String {
        switch result {
        case let .success(dir): found(dir)
        case let .failure(.notFound(candidate, origin)): "not installed (\(origin): \(candidate))"
        case let .failure(.missingFile(path)): "incomplete (\(path) missing)"
        }
    }
}
