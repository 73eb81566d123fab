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
        let promptsRoot = environment["MEMOIR_PROMPTS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? ModelDirectory.memoirHome(environment) + "/prompts"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: promptsRoot)) ?? [])
            .filter { (try? PromptTemplate.resolveDirectory(option: promptsRoot, version: $0, environment: environment)) != nil }.sorted()
        lines.append("prompts \(versions.isEmpty ? "none found" : versions.joined(separator: ", ")) in \(promptsRoot)")
        let encoder = EncoderLocator.location.resolve(explicit: nil, environment: environment)
        lines.append("fused encoder " + describe(encoder) { dir in
            (try? FusedEncoder(directory: dir)).map { "\($0.weightsHash.prefix(12)) (\(dir))" } ?? "unreadable (\(dir))"
        })
        lines.append("text model " + describe(ModelLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("reranker " + describe(RerankerLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("text projection " + describe(TextProjectionLocator.location.resolve(explicit: nil, environment: environment)) { $0 })
        lines.append("BLAS \(BLAS.coreName), \(BLAS.threadCount) thread(s)")
        return lines.joined(separator: "\n")
    }

    private static func describe(_ result: Result<String, ModelDirectory.Failure>, _ found: (String) -> String) -> String {
        switch result {
        case let .success(dir): found(dir)
        case let .failure(.notFound(candidate, origin)): "not installed (\(origin): \(candidate))"
        case let .failure(.missingFile(path)): "incomplete (\(path) missing)"
        }
    }
}
