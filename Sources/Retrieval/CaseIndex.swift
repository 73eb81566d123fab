import Foundation
import Numerics

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

    /// The factory for a library of `count` cases, from `memoir-bench index` (Benchmarks/results/index.md):
    /// exact search below 10⁴ cases (a few ms against an ask that takes seconds, nothing to tune); above, HNSW,
    /// whose batch-1 p99 stayed under 1.5 ms up to 10⁶ cases with recall@50 ≥ 0.99, where exact search took
    /// 61 ms at 10⁵ and 511 ms at 10⁶.
    public static func defaultFactory(count: Int) -> String { count < 10_000 ? "Flat" : "HNSW32,Flat" }

    /// nprobe / efSearch for an approximate factory: HNSW efSearch 128 (recall@50 0.9997 at 10⁵ from the encoder's
    /// embedding distribution, 0.990 under the harder all-dimension noise where FAISS's default 16 gave 0.78);
    /// IVF nprobe 32 (≥ 0.95 in both). Nil for exact factories.
    public static func defaultSearchBreadth(factory: String) -> Int? {
        let f = factory.uppercased()
        if f.hasPrefix("HNSW") || f.contains(",HNSW") { return 128 }
        if f.hasPrefix("IVF") || f.contains(",IVF") { return 32 }
        return nil
    }

    static let searchBreadthRange = 1...65_536

    /// Builds an index over `vectors` (one unit vector per subject) and writes it to `directory`. `factory` nil
    /// chooses by library size; `searchBreadth` nil takes the factory's default.
    public static func build(subjectIDs: [String], vectors: [[Float]], encoderHash: String, modalities: [String],
                             factory: String? = nil, searchBreadth: Int? = nil, directory: String) throws -> CaseIndex {
        guard let dimension = vectors.first?.count, !subjectIDs.isEmpty else { throw CaseIndexError.empty }
        if let repeated = firstRepeat(subjectIDs) {
            throw CaseIndexError.badVector(subjectID: repeated, reason: "is given more than once")
        }
        precondition(subjectIDs.count == vectors.count, "one vector per subject")
        for (id, v) in zip(subjectIDs, vectors) {
            guard v.count == dimension else { throw CaseIndexError.badVector(subjectID: id, reason: "has \(v.count) dimensions, expected \(dimension)") }
            guard v.allSatisfy(\.isFinite) else { throw CaseIndexError.badVector(subjectID: id, reason: "holds NaN or infinity") }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard abs(norm - 1) < 1e-3 else { throw CaseIndexError.badVector(subjectID: id, reason: "norm \(norm), expected a unit vector") }
        }
        let factory = factory ?? defaultFactory(count: subjectIDs.count)
        let breadth = searchBreadth ?? defaultSearchBreadth(factory: factory)
        if let breadth, !searchBreadthRange.contains(breadth) {
            throw CaseIndexError.badVector(subjectID: "-", reason: "search breadth \(breadth) is outside \(searchBreadthRange)")
        }
        let index = try FaissIndex(dimension: dimension, factory: factory, metric: .innerProduct)
        let flat = vectors.flatMap { $0 }
        if !index.isTrained { try index.train(flat) }
        try index.add(flat)
        if let breadth { try index.setSearchBreadth(breadth) }
        let manifest = CaseIndexManifest(encoderHash: encoderHash, modalities: modalities, dimension: dimension, factory: factory,
                                         subjectIDs: subjectIDs, embeddingsDigest: CaseIndexManifest.digest(subjectIDs: subjectIDs, vectors: vectors),
                                         searchBreadth: breadth)
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
        do {
            let data = try RegularFile.contents(manifestPath, maxBytes: Self.maximumManifestBytes)
            manifest = try JSONDecoder().decode(CaseIndexManifest.self, from: data)
        } catch let error as MappedFileError {
            throw CaseIndexError.corrupt(path: manifestPath, reason: "unreadable manifest: \(error.reason)")
        } catch {
            throw CaseIndexError.corrupt(path: manifestPath, reason: "unreadable manifest: \(error)")
        }
        if let repeated = Self.firstRepeat(manifest.subjectIDs) {
            throw CaseIndexError.corrupt(path: manifestPath, reason: "subject id '\(ErrorEcho.clip(repeated))' is listed more than once; "
                + "rebuild the index with `memoir index --db PATH`")
        }
        let index: FaissIndex
        do { index = try FaissIndex(readingFrom: indexPath) } catch {
            throw CaseIndexError.corrupt(path: indexPath, reason: "\(error)")
        }
        guard index.count == manifest.count, manifest.subjectIDs.count == manifest.count, index.dimension == manifest.dimension else {
            throw CaseIndexError.corrupt(path: directory, reason: "index holds \(index.count)×\(index.dimension) vectors, manifest says \(manifest.count)×\(manifest.dimension)")
        }
        if let breadth = manifest.searchBreadth ?? Self.defaultSearchBreadth(factory: manifest.factory) {
            guard Self.searchBreadthRange.contains(breadth) else {
                throw CaseIndexError.corrupt(path: manifestPath, reason: "search_breadth \(breadth) is outside \(Self.searchBreadthRange)")
            }
            do { try index.setSearchBreadth(breadth) } catch {
                throw CaseIndexError.corrupt(path: indexPath, reason: "cannot set the search breadth: \(error)")
            }
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

    /// Largest manifest.json read: about 20 bytes per indexed case, so 64 MiB is millions of cases.
    static let maximumManifestBytes = 64 << 20

    /// The first id that occurs twice (one FAISS position per subject; the id map needs them unique).
    static func firstRepeat(_ ids: [String]) -> String? {
        var seen = Set<String>()
        seen.reserveCapacity(ids.count)
        return ids.first { !seen.insert($0).inserted }
    }

    private init(manifest: CaseIndexManifest, directory: String, index: FaissIndex) {
        self.manifest = manifest
        self.directory = directory
        self.index = index
        positionOf = Dictionary(uniqueKeysWithValues: manifest.subjectIDs.enumerated().map { ($1, $0) })
    }

    public var count: Int { manifest.count }

    /// Throws `stale` unless `current` (the store's embeddings now, by subject) holds every indexed case with the
    /// very vector indexed.
    public func checkCurrent(_ current: [String: [Float]]) throws {
        guard manifest.embeddingsDigest != nil else {
            throw CaseIndexError.stale(directory: directory, reason: "it was built before indexes recorded which embeddings they hold")
        }
        var vectors: [[Float]] = []
        vectors.reserveCapacity(count)
        var missing: [String] = []
        for id in manifest.subjectIDs {
            if let vector = current[id] { vectors.append(vector) } else { missing.append(id) }
        }
        guard missing.isEmpty else {
            throw CaseIndexError.stale(directory: directory, reason: "\(missing.count) indexed case(s) no longer have an embedding in the store "
                + "(changed or removed since the index was built; first: \(missing[0]))")
        }
        try checkCurrent(digest: CaseIndexManifest.digest(subjectIDs: manifest.subjectIDs, vectors: vectors))
    }

    /// The same check from the digest of the indexed cases' current embeddings, in the manifest's order.
    public func checkCurrent(digest: String) throws {
        guard let recorded = manifest.embeddingsDigest else {
            throw CaseIndexError.stale(directory: directory, reason: "it was built before indexes recorded which embeddings they hold")
        }
        guard digest == recorded else {
            throw CaseIndexError.stale(directory: directory, reason: "the store's embeddings of the indexed cases changed since it was built")
        }
    }

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
        removeLeftovers(beside: directory)
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

    /// Removes the `.tmp-PID` / `.old-PID` siblings of `directory` that a build killed mid-write (kill -9, power
    /// loss) left behind, when that PID is no longer alive; a live PID's may be another build at work. Returns their paths.
    @discardableResult
    public static func removeLeftovers(beside directory: String) -> [String] {
        let parent = (directory as NSString).deletingLastPathComponent, name = (directory as NSString).lastPathComponent
        let folder = parent.isEmpty ? "." : parent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var removed: [String] = []
        for entry in entries {
            guard let pid = leftoverPID(entry, of: name), !isAlive(pid) else { continue }
            let path = (parent.isEmpty ? "" : parent + "/") + entry
            if (try? FileManager.default.removeItem(atPath: path)) != nil { removed.append(path) }
        }
        return removed
    }

    /// The PID in "NAME.tmp-PID" or "NAME.old-PID", or nil for any other entry.
    private static func leftoverPID(_ entry: String, of name: String) -> pid_t? {
        for marker in [".tmp-", ".old-"] where entry.hasPrefix(name + marker) {
            let digits = entry.dropFirst(name.count + marker.count)
            guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
            return pid_t(digits).flatMap { $0 > 0 ? $0 : nil }
        }
        return nil
    }

    /// kill(pid, 0): EPERM means alive (another user's), ESRCH means gone.
    private static func isAlive(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
