import Application
import Cohort
import Foundation
import FusedEncoder
import Numerics
import Store
import Testing
import TestSupport

/// The embeddings table in a temporary case store, filled by `LibraryEncoder`.
@Suite struct LibraryEncoderTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    /// A store holding the two golden cases (case0 train, case1 test).
    func goldenStore() throws -> (CaseStore, EncoderGoldens) {
        let goldens = try EncoderGoldens.load()
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        let cases = goldens.cases.enumerated().map { n, c in
            StoredCase(record: EncoderGoldens.record(c), split: n == 0 ? .train : .test, measures: ImageMeasures(), caption: "case \(n)")
        }
        try store.replaceCohort(cases, source: "goldens", splitSeed: 1)
        return (store, goldens)
    }

    @Test func storeAndReadBack() throws {
        let (store, _) = try goldenStore()
        let cache = EmbeddingCache(store: store, encoderHash: "abc")
        let vector: [Float] = [0.25, -1.5, .pi, 0]
        #expect(try cache.embedding(for: "case0", modalities: .all) == nil)
        try cache.store(vector, for: "case0", modalities: .all)
        #expect(try cache.embedding(for: "case0", modalities: .all) == vector)
        #expect(try cache.embedding(for: "case0", modalities: [.t1, .clinical]) == nil)
        // Another encoder sees nothing; reopening the table keeps the rows.
        #expect(try EmbeddingCache(store: store, encoderHash: "other").embedding(for: "case0", modalities: .all) == nil)
        let reopened = EmbeddingCache(store: try CaseStore(path: store.path), encoderHash: "abc")
        #expect(try reopened.embedding(for: "case0", modalities: .all) == vector)
        try reopened.store([0, 1], for: "case0", modalities: .all)
        #expect(try reopened.embedding(for: "case0", modalities: .all) == [0, 1])
        #expect(try reopened.count() == 1)
    }

    @Test func changedInputsOrRemovedSubjectsDropTheirEmbeddings() throws {
        let (store, _) = try goldenStore()
        let cache = EmbeddingCache(store: store, encoderHash: "abc")
        try cache.store([EmbeddingCache.Entry(subjectID: "case0", modalities: .all, vector: [1]),
                         EmbeddingCache.Entry(subjectID: "case1", modalities: .fa, vector: [2])])
        var cases = try store.allCases()
        // Same inputs, new caption: kept.
        cases[0].caption = "recaptioned"
        try store.replaceCohort(cases, source: "goldens", splitSeed: 1)
        #expect(try cache.embedding(for: "case0", modalities: .all) == [1])
        // A changed score: dropped. A subject removed: dropped.
        cases[0].record.mmse = 12
        try store.replaceCohort([cases[0]], source: "goldens", splitSeed: 1)
        #expect(try cache.embedding(for: "case0", modalities: .all) == nil)
        #expect(try cache.embedding(for: "case1", modalities: .fa) == nil)
    }

    @Test func encodeAllComputesOnlyMissingEmbeddingsAndMatchesTheReference() throws {
        let (store, goldens) = try goldenStore()
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let cache = EmbeddingCache(store: store, encoderHash: encoder.weightsHash)
        try cache.store([9], for: "case1", modalities: .fa)  // pre-existing: must be left alone
        let reports = ProgressLog()
        let summary = try LibraryEncoder(store: store, encoder: encoder).encodeAll(subsets: FusedEncoder.modalitySubsets,
                                                   batchSize: 1, progress: { reports.append($0) })
        #expect(summary.encoded == 13 && summary.alreadyCached == 1 && summary.skipped == 0 && summary.failures.isEmpty)
        #expect(reports.all == [EncodeProgress(done: 1, total: 2), EncodeProgress(done: 2, total: 2)])
        #expect(try cache.embedding(for: "case1", modalities: .fa) == [9])
        for golden in goldens.results where !(golden.case == "case1" && golden.modalities == ["fa"]) {
            let subset = try #require(ModalitySet(key: golden.modalities.joined(separator: "+")))
            let z = try #require(try cache.embedding(for: golden.case, modalities: subset))
            let worst = worstDifference(z, golden.z)
            #expect(worst.value <= 1e-4, "\(golden.case) [\(subset)] cached z: worst |Δ| \(worst.value)")
        }
        // A second run finds everything cached; a split restricts the cases.
        let again = try LibraryEncoder(store: store, encoder: encoder).encodeAll(subsets: FusedEncoder.modalitySubsets)
        #expect(again.encoded == 0 && again.alreadyCached == 14)
        #expect(try cache.embeddings(modalities: .all).keys.sorted() == ["case0", "case1"])
        let onlyTest = try LibraryEncoder(store: store, encoder: encoder).encodeAll(split: .test)
        #expect(onlyTest.alreadyCached == 1 && onlyTest.encoded == 0)
    }

    @Test func unreadableImagesAndAbsentModalitiesAreReportedNotFatal() throws {
        let store = try CaseStore(path: dir + "/m.sqlite", access: .create)
        let ok = CaseRecord(subjectID: "A", diagnosis: .cn, mmse: 29)
        let broken = CaseRecord(subjectID: "B", diagnosis: .cn, mmse: 28, t1Path: dir + "/missing.nii.gz")
        try store.replaceCohort([ok, broken].map { StoredCase(record: $0, split: .train, measures: ImageMeasures(), caption: "") },
                                source: "t", splitSeed: 1)
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let summary = try LibraryEncoder(store: store, encoder: encoder).encodeAll(subsets: [.all, .fa])
        // A: .all → clinical only; .fa → nothing to encode. B: its T1 cannot be read.
        #expect(summary.encoded == 1 && summary.skipped == 1)
        #expect(summary.failures.map(\.subjectID) == ["B"])
        #expect(summary.failures.first?.message.contains("missing.nii.gz") == true)
    }
}

/// Progress reports, collected from whichever thread sends them.
struct ProgressLog: Sendable {
    private let reports = Locked<[EncodeProgress]>([])
    func append(_ p: EncodeProgress) { reports.withLock { $0.append(p) } }
    var all: [EncodeProgress] { reports.withLock { $0 } }
}
