import Foundation
import Testing
import TestSupport
import Numerics
@testable import Retrieval

@Suite struct FaissIndexTests {
    /// Deterministic unit vectors.
    func vectors(_ n: Int, dimension d: Int, seed: UInt64) -> [Float] {
        var state = seed
        var out: [Float] = []
        for _ in 0..<n {
            var v = (0..<d).map { _ -> Float in
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: state >> 11) % 2000) / 1000 - 1
            }
            VectorOps.l2Normalize(&v)
            out += v
        }
        return out
    }

    @Test func flatInnerProductMatchesBruteForce() throws {
        let d = 16, base = vectors(200, dimension: d, seed: 1), queries = vectors(5, dimension: d, seed: 2)
        let index = try FaissIndex(dimension: d)
        try index.add(base)
        #expect(index.count == 200 && index.dimension == d && index.isTrained)
        let results = try index.search(queries, k: 10)
        for q in 0..<5 {
            let query = Array(queries[(q * d)..<((q + 1) * d)])
            let scores = (0..<200).map { VectorOps.dot(query, Array(base[($0 * d)..<(($0 + 1) * d)])) }
            let expected = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(10)
            #expect(results[q].map(\.position) == Array(expected))
            for n in results[q] { #expect(abs(n.score - scores[n.position]) < 1e-5) }
        }
    }

    @Test func fewerVectorsThanKReturnsOnlyRealNeighbours() throws {
        let index = try FaissIndex(dimension: 4)
        try index.add(vectors(3, dimension: 4, seed: 3))
        let result = try index.search(vectors(1, dimension: 4, seed: 4), k: 10)
        #expect(result[0].count == 3)
    }

    @Test func writesAndReadsBack() throws {
        let folder = try TemporaryFolder(), dir = folder.path
        let index = try FaissIndex(dimension: 8)
        let base = vectors(50, dimension: 8, seed: 5)
        try index.add(base)
        try index.write(to: dir + "/i.faiss")
        let loaded = try FaissIndex(readingFrom: dir + "/i.faiss")
        #expect(loaded.count == 50)
        let q = vectors(2, dimension: 8, seed: 6)
        #expect(try loaded.search(q, k: 5) == index.search(q, k: 5))
    }

    @Test func ivfNeedsTrainingAndHonoursNprobe() throws {
        let d = 8, base = vectors(500, dimension: d, seed: 7)
        let index = try FaissIndex(dimension: d, factory: "IVF4,Flat")
        #expect(!index.isTrained)
        #expect(throws: FaissError.self) { try index.add(base) }
        try index.train(base)
        try index.add(base)
        try index.setSearchBreadth(4) // all lists: exact
        let exact = try FaissIndex(dimension: d)
        try exact.add(base)
        let q = vectors(3, dimension: d, seed: 8)
        #expect(try index.search(q, k: 5).map { $0.map(\.position) } == exact.search(q, k: 5).map { $0.map(\.position) })
    }

    @Test func cppExceptionsBecomeSwiftErrors() throws {
        do { _ = try FaissIndex(dimension: 8, factory: "NotAnIndex"); Issue.record("bogus factory accepted") } catch let e as FaissError {
            #expect(e.description.contains("NotAnIndex"))
        }
        do { _ = try FaissIndex(readingFrom: "/nonexistent/x.faiss"); Issue.record("missing file read") } catch let e as FaissError {
            #expect(e.description.contains("/nonexistent/x.faiss"))
        }
        let index = try FaissIndex(dimension: 4)
        #expect(throws: FaissError.self) { try index.add([1, 2, 3]) }
        #expect(throws: FaissError.self) { try index.search([1, 0, 0, 0], k: 0) }
    }
}
