import Foundation
import Retrieval
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct CaseIndexTests {
    func unit(_ seed: Int, _ d: Int = 32) -> [Float] {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 | 1
        var v = (0..<d).map { _ -> Float in
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Float(Int64(bitPattern: state % 2001) - 1000) / 1000
        }
        let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / n }
        return v
    }

    @Test func searchMatchesBruteForceCosineAndExcludesTheQuery() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let ids = (0..<200).map { "S\($0)" }
        let vectors = (0..<200).map { unit($0) }
        let built = try CaseIndex.build(subjectIDs: ids, vectors: vectors, encoderHash: "abc", modalities: ["clinical"], directory: dir + "/idx")
        let loaded = try CaseIndex(directory: dir + "/idx", expectedHash: "abc", expectedIDs: Set(ids))
        #expect(loaded.manifest == built.manifest)
        let hits = try loaded.search(vectors[17], k: 10, excluding: "S17")
        #expect(hits.count == 10 && !hits.contains { $0.subjectID == "S17" })
        let brute = (0..<200).filter { $0 != 17 }.map { n in (n, zip(vectors[17], vectors[n]).reduce(0) { $0 + $1.0 * $1.1 }) }
            .sorted { $0.1 > $1.1 }.prefix(10)
        #expect(hits.map(\.subjectID) == brute.map { "S\($0.0)" })
        for (h, b) in zip(hits, brute) { #expect(abs(h.score - b.1) < 1e-5) }
    }

    /// The measured defaults (Benchmarks/results/index.md): exact below 10⁴ cases, HNSW above, searched wide
    /// enough for recall@50 ≥ 0.95; the breadth is recorded and applied when the index is loaded.
    @Test func theFactoryAndSearchBreadthFollowTheLibrarySize() throws {
        #expect(CaseIndex.defaultFactory(count: 9_999) == "Flat" && CaseIndex.defaultFactory(count: 10_000) == "HNSW32,Flat")
        #expect(CaseIndex.defaultSearchBreadth(factory: "Flat") == nil && CaseIndex.defaultSearchBreadth(factory: "HNSW32,Flat") == 128)
        #expect(CaseIndex.defaultSearchBreadth(factory: "IVF1024,Flat") == 32)

        let folder = try TemporaryFolder(), dir = folder.path
        let ids = (0..<300).map { "S\($0)" }, vectors = (0..<300).map { unit($0) }
        let flat = try CaseIndex.build(subjectIDs: ids, vectors: vectors, encoderHash: "abc", modalities: ["t1"], directory: dir + "/flat")
        #expect(flat.manifest.factory == "Flat" && flat.manifest.searchBreadth == nil)
        let hnsw = try CaseIndex.build(subjectIDs: ids, vectors: vectors, encoderHash: "abc", modalities: ["t1"], factory: "HNSW32,Flat",
                                       directory: dir + "/hnsw")
        #expect(hnsw.manifest.searchBreadth == 128)
        let loaded = try CaseIndex(directory: dir + "/hnsw", expectedHash: "abc")
        #expect(loaded.manifest.searchBreadth == 128)
        // At efSearch 128 on 300 cases HNSW finds what exact search finds.
        for q in [3, 77, 250] {
            let exact = try flat.search(vectors[q], k: 20, excluding: "S\(q)").map(\.subjectID)
            #expect(try loaded.search(vectors[q], k: 20, excluding: "S\(q)").map(\.subjectID) == exact)
        }

        // A tampered breadth is a corrupt index, named.
        let manifestPath = dir + "/hnsw/manifest.json"
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
        json["search_breadth"] = 0
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: manifestPath))
        #expect { try CaseIndex(directory: dir + "/hnsw") } throws: { e in
            if case CaseIndexError.corrupt = e { return "\(e)".contains("search_breadth") }
            return false
        }
    }

    @Test func manifestMismatchIsAClearError() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        _ = try CaseIndex.build(subjectIDs: ["A", "B"], vectors: [unit(1), unit(2)], encoderHash: "abc", modalities: ["t1"], directory: dir + "/idx")
        #expect { try CaseIndex(directory: dir + "/idx", expectedHash: "def") } throws: { e in
            if case CaseIndexError.mismatch = e { return "\(e)".contains("memoir index") }
            return false
        }
        #expect { try CaseIndex(directory: dir + "/idx", expectedHash: "abc", expectedIDs: ["A", "C"]) } throws: { e in
            if case CaseIndexError.mismatch = e { return true }
            return false
        }
        #expect(throws: CaseIndexError.missing(directory: dir + "/none")) { try CaseIndex(directory: dir + "/none") }
    }

    @Test func nonUnitOrNaNVectorsAreRefused() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        #expect { try CaseIndex.build(subjectIDs: ["A"], vectors: [[Float](repeating: 1, count: 8)], encoderHash: "x", modalities: [], directory: dir + "/i") } throws: { e in
            if case CaseIndexError.badVector("A", _) = e { return true }
            return false
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/i"))
    }

    @Test func rebuildingReplacesTheIndexAtomically() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        _ = try CaseIndex.build(subjectIDs: ["A", "B"], vectors: [unit(1), unit(2)], encoderHash: "h1", modalities: [], directory: dir + "/idx")
        _ = try CaseIndex.build(subjectIDs: ["A", "B", "C"], vectors: [unit(1), unit(2), unit(3)], encoderHash: "h2", modalities: [], directory: dir + "/idx")
        let loaded = try CaseIndex(directory: dir + "/idx")
        #expect(loaded.count == 3 && loaded.manifest.encoderHash == "h2")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "idx" }
        #expect(leftovers.isEmpty)
    }

    @Test func changedOrMissingEmbeddingsMakeTheIndexStale() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let ids = (0..<50).map { "S\($0)" }, vectors = (0..<50).map { unit($0) }
        let index = try CaseIndex.build(subjectIDs: ids, vectors: vectors, encoderHash: "h", modalities: ["t1"], directory: dir + "/idx")
        #expect(index.manifest.embeddingsDigest == CaseIndexManifest.digest(subjectIDs: ids, vectors: vectors))
        var current = Dictionary(uniqueKeysWithValues: zip(ids, vectors))
        current["extra-test-case"] = unit(99) // embeddings of cases outside the index do not matter
        try index.checkCurrent(current)
        var changed = current
        changed["S7"] = unit(700)
        #expect { try index.checkCurrent(changed) } throws: { e in
            guard case CaseIndexError.stale = e else { return false }
            return "\(e)".contains("changed since it was built") && "\(e)".contains("re-run `memoir index")
        }
        var missing = current
        missing["S3"] = nil
        #expect { try index.checkCurrent(missing) } throws: { e in
            guard case CaseIndexError.stale = e else { return false }
            return "\(e)".contains("1 indexed case(s) no longer have an embedding") && "\(e)".contains("S3")
        }
        // An index from before digests existed cannot be vouched for.
        let manifestPath = dir + "/idx/manifest.json"
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
        json["embeddings_digest"] = nil
        json["format_version"] = 1
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: manifestPath))
        let old = try CaseIndex(directory: dir + "/idx")
        #expect { try old.checkCurrent(current) } throws: { "\($0)".contains("built before indexes recorded") }
    }

    @Test func digestDependsOnOrderIdsAndValues() {
        let a = unit(1), b = unit(2)
        let base = CaseIndexManifest.digest(subjectIDs: ["A", "B"], vectors: [a, b])
        #expect(base.count == 64)
        #expect(base == CaseIndexManifest.digest(subjectIDs: ["A", "B"], vectors: [a, b]))
        #expect(base != CaseIndexManifest.digest(subjectIDs: ["B", "A"], vectors: [b, a]))
        #expect(base != CaseIndexManifest.digest(subjectIDs: ["A", "C"], vectors: [a, b]))
        var nudged = b
        nudged[0] = nudged[0].nextUp
        #expect(base != CaseIndexManifest.digest(subjectIDs: ["A", "B"], vectors: [a, nudged]))
    }

    @Test func leftoverStagingFoldersOfDeadBuildsAreRemoved() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        // A PID that was alive a moment ago and is not any more, as after `kill -9` during `memoir index`.
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let fm = FileManager.default
        for name in ["idx.tmp-\(dead)", "idx.old-\(dead)", "idx.old-1", "idx.tmp-abc", "other.tmp-\(dead)"] {
            try fm.createDirectory(atPath: dir + "/" + name, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/" + name + "/index.faiss"))
        }
        _ = try CaseIndex.build(subjectIDs: ["A"], vectors: [unit(1)], encoderHash: "h", modalities: [], directory: dir + "/idx")
        let left = Set(try fm.contentsOfDirectory(atPath: dir))
        // PID 1 is alive (another build may own it), "abc" is no PID, "other" is another index's.
        #expect(left == ["idx", "idx.old-1", "idx.tmp-abc", "other.tmp-\(dead)"])
    }

    /// Issue #15: a manifest edited to list an id twice trapped in `Dictionary(uniqueKeysWithValues:)`; a FIFO
    /// in its place would block the load. Both are corrupt-index errors naming the file.
    @Test func tamperedOrNonRegularManifestIsACorruptIndex() throws {
        let folder = try TemporaryFolder(), dir = folder.path, index = dir + "/idx", manifestPath = index + "/manifest.json"
        _ = try CaseIndex.build(subjectIDs: ["A", "B", "C"], vectors: [unit(1), unit(2), unit(3)], encoderHash: "abc", modalities: ["t1"], directory: index)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifestPath))) as? [String: Any])
        json["subject_ids"] = ["A", "B", "A"]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: manifestPath))
        #expect(throws: CaseIndexError.corrupt(path: manifestPath, reason: "subject id 'A' is listed more than once; rebuild the index with `memoir index --db PATH`")) {
            try CaseIndex(directory: index)
        }
        try FileManager.default.removeItem(atPath: manifestPath)
        #expect(mkfifo(manifestPath, 0o600) == 0)
        #expect { try CaseIndex(directory: index) } throws: { error in
            guard case let CaseIndexError.corrupt(path, reason) = error else { return false }
            return path == manifestPath && reason.contains("FIFO")
        }
        // Building from a list with a repeated id is refused too (one FAISS position per subject).
        #expect(throws: CaseIndexError.badVector(subjectID: "B", reason: "is given more than once")) {
            try CaseIndex.build(subjectIDs: ["A", "B", "B"], vectors: [unit(1), unit(2), unit(3)], encoderHash: "abc", modalities: ["t1"], directory: dir + "/other")
        }
    }
}
