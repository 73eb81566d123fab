import Foundation

/// FAISS inner-product search over L2-normalised case embeddings (cosine similarity), with an id map.
/// Built indexes live in a directory holding `index.faiss` and `manifest.json`, replaced atomically.
public final class CaseIndex: @unchecked Sendable {
    public let manifest: CaseIndexManifest
    public let directory: String
    private let index: FaissIndex
    private let positionOf: [String: Int]

    public struct Hit: Sendable, Equatable, Codable {
        public let subjectID: String
        public let score: Float
    }

    /// Builds an index over `vectors` (one unit vector per subject) and writes it to `directory`.
    public static func build(subjectIDs: [String], vectors: [[Float]], encoderHash: String, modalities: [String],
                             factory: String = "Flat", directory: String) throws -> CaseIndex {
        guard let dimension = vectors.first?.count, !subjectIDs.isEmpty else { throw CaseIndexError.empty }
        precondition(subjectIDs.count == vectors.count, "one vector per subject")
        for (id, v) in zip(subjectIDs, vectors) {
            guard v.count == dimension else { throw CaseIndexError.badVector(subjectID: id, reason: "has \(v.count) dimensions, expected \(dimension)") }
            guard v.allSatisfy(\.isFinite) else { throw CaseIndexError.badVector(subjectID: id, reason: "holds NaN or infinity") }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard abs(norm - 1) < 1e-3 else { throw CaseIndexError.badVector(subjectID: id, reason: "norm \(norm), expected a unit vector") }
        }
        let index = try FaissIndex(dimension: dimension, factory: factory, metric: .innerProduct)
        let flat = vectors.flatMap { $0 }
        if !index.isTrained { try index.train(flat) }
        try index.add(flat)
        let manifest = CaseIndexManifest(encoderHash: encoderHash, modalities: modalities, dimension: dimension,
                                         factory: factory, subjectIDs: subjectIDs)
        try write(index: index, manifest: manifest, to: directory)
        return CaseIndex(manifest: manifest, directory: directory, index: index)
    }

    /// Loads an index; `expectedHash`/`expectedIDs` (the store's current encoder and training split) must match.
    public convenience init(directory: String, expectedHash: String? = nil, expectedIDs: Set<String>? = nil) throws {
        let manifestPath = directory + "/manifest.json", indexPath = directory + "/index.faiss"
        guard FileManager.default.fileExists(atPath: manifestPath), FileManager.default.fileExists(atPath: indexPath) else {
            throw CaseIndexError.missing(directory: directory)
        }
        let manifest: CaseIndexManifest
        do { manifest = try JSONDecoder().decode(CaseIndexManifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath))) } catch {
            throw CaseIndexError.corrupt(path: manifestPath, reason: "unreadable manifest: \(error)")
        }
        let index: FaissIndex
        do { index = try FaissIndex(readingFrom: indexPath) } catch {
            throw CaseIndexError.corrupt(path: indexPath, reason: "\(error)")
        }
        guard index.count == manifest.count, manifest.subjectIDs.count == manifest.count, index.dimension == manifest.dimension else {
            throw CaseIndexError.corrupt(path: directory, reason: "index holds \(index.count)×\(index.dimension) vectors, manifest says \(manifest.count)×\(manifest.dimension)")
        }
        if let expectedHash, expectedHash != manifest.encoderHash {
            throw CaseIndexError.mismatch(directory: directory, reason: "built with encoder \(manifest.encoderHash.prefix(12)), the current encoder is \(expectedHash.prefix(12))")
        }
        if let expectedIDs, expectedIDs != Set(manifest.subjectIDs) {
            let missing = expectedIDs.subtracting(manifest.subjectIDs).count, extra = Set(manifest.subjectIDs).subtracting(expectedIDs).count
            throw CaseIndexError.mismatch(directory: directory, reason: "\(missing) training case(s) missing from the index and \(extra) unknown to the store")
        }
        self.init(manifest: manifest, directory: directory, index: index)
    }

    private init(manifest: CaseIndexManifest, directory: String, index: FaissIndex) {
        self.manifest = manifest
        self.directory = directory
        self.index = index
        positionOf = Dictionary(uniqueKeysWithValues: manifest.subjectIDs.enumerated().map { ($1, $0) })
    }

    public var count: Int { manifest.count }

    /// Top-`k` neighbours of `query` by cosine, excluding `excluding` (the query case itself).
    public func search(_ query: [Float], k: Int, excluding: String? = nil) throws -> [Hit] {
        guard query.count == manifest.dimension else {
            throw CaseIndexError.badVector(subjectID: excluding ?? "query", reason: "has \(query.count) dimensions, the index \(manifest.dimension)")
        }
        let extra = excluding.flatMap { positionOf[$0] } == nil ? 0 : 1
        let found = try index.search(query, k: min(k + extra, count))[0]
        return found.compactMap { n in
            let id = manifest.subjectIDs[n.position]
            return id == excluding ? nil : Hit(subjectID: id, score: n.score)
        }.prefix(k).map { $0 }
    }

    public func setSearchBreadth(_ breadth: Int) throws { try index.setSearchBreadth(breadth) }

    /// Writes into a temporary sibling directory, then swaps it in, so readers never see a half-written index.
    static func write(index: FaissIndex, manifest: CaseIndexManifest, to directory: String) throws {
        let fm = FileManager.default
        let parent = (directory as NSString).deletingLastPathComponent
        try fm.createDirectory(atPath: parent.isEmpty ? "." : parent, withIntermediateDirectories: true)
        let staging = directory + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        try? fm.removeItem(atPath: staging)
        try fm.createDirectory(atPath: staging, withIntermediateDirectories: true)
        try index.write(to: staging + "/index.faiss")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(manifest).write(to: URL(fileURLWithPath: staging + "/manifest.json"))
        let old = directory + ".old-\(ProcessInfo.processInfo.processIdentifier)"
        if fm.fileExists(atPath: directory) { try fm.moveItem(atPath: directory, toPath: old) }
        try fm.moveItem(atPath: staging, toPath: directory)
        try? fm.removeItem(atPath: old)
    }
}
