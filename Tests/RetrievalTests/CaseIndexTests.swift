import Foundation
import Retrieval
import Testing
import TestSupport

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
        let dir = try Fixtures.temporaryDirectory()
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

    @Test func manifestMismatchIsAClearError() throws {
        let dir = try Fixtures.temporaryDirectory()
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
        let dir = try Fixtures.temporaryDirectory()
        #expect { try CaseIndex.build(subjectIDs: ["A"], vectors: [[Float](repeating: 1, count: 8)], encoderHash: "x", modalities: [], directory: dir + "/i") } throws: { e in
            if case CaseIndexError.badVector("A", _) = e { return true }
            return false
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/i"))
    }

    @Test func rebuildingReplacesTheIndexAtomically() throws {
        let dir = try Fixtures.temporaryDirectory()
        _ = try CaseIndex.build(subjectIDs: ["A", "B"], vectors: [unit(1), unit(2)], encoderHash: "h1", modalities: [], directory: dir + "/idx")
        _ = try CaseIndex.build(subjectIDs: ["A", "B", "C"], vectors: [unit(1), unit(2), unit(3)], encoderHash: "h2", modalities: [], directory: dir + "/idx")
        let loaded = try CaseIndex(directory: dir + "/idx")
        #expect(loaded.count == 3 && loaded.manifest.encoderHash == "h2")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "idx" }
        #expect(leftovers.isEmpty)
    }
}
