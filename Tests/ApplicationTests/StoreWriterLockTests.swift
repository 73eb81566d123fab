import Application
import Cohort
import Foundation
import FusedEncoder
import Numerics
import Store
import Testing
import TestSupport

/// Two writers on one store take turns (issue #15: two `memoir encode` runs both encoded everything).
@Suite struct StoreWriterLockTests {
    let folder: TemporaryFolder
    init() throws { folder = try TemporaryFolder() }

    @Test func aSecondWriterWaitsThenIsRefusedAfterItsTimeout() throws {
        let db = folder.file("m.sqlite")
        let first = try StoreWriterLock.acquire(storePath: db, purpose: "memoir encode")
        #expect(first.path == db + ".lock")
        let notes = Locked<[String]>([])
        let start = Date()
        #expect {
            _ = try StoreWriterLock.acquire(storePath: db, purpose: "memoir index", timeout: 0.5) { m in notes.withLock { $0.append(m) } }
        } throws: { e in
            guard case StoreError.busy = e else { return false }
            return "\(e)".contains("pid \(getpid()) (memoir encode)") && "\(e)".contains("MEMOIR_STORE_LOCK_TIMEOUT")
                && "\(e)".contains(db)
        }
        #expect(Date().timeIntervalSince(start) >= 0.45)
        #expect(notes.current.count == 1 && notes.current.first?.contains("waiting up to 0 s") == true)
        // Released (or its holder died): the next writer gets it at once.
        first.release()
        first.release()
        let second = try StoreWriterLock.acquire(storePath: db, purpose: "memoir index", timeout: 0)
        second.release()
    }

    @Test func waitingWriterProceedsWhenTheFirstFinishes() throws {
        let db = folder.file("m.sqlite")
        let first = try StoreWriterLock.acquire(storePath: db, purpose: "memoir ingest")
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.4) { first.release() }
        let notes = Locked<[String]>([])
        let start = Date()
        let second = try StoreWriterLock.acquire(storePath: db, purpose: "memoir encode", timeout: 10) { m in notes.withLock { $0.append(m) } }
        second.release()
        #expect(Date().timeIntervalSince(start) >= 0.35)
        #expect(notes.current.count == 1 && notes.current.first?.contains("(memoir ingest)") == true)
    }

    @Test func twoEncodersOnOneStoreDoNoDuplicateWork() throws {
        let store = try CaseStore(path: folder.file("m.sqlite"), access: .create)
        let cases = (0..<96).map { n in
            StoredCase(record: CaseRecord(subjectID: "S\(n)", diagnosis: .mci, mmse: Double(20 + n % 10)), split: .train,
                       measures: ImageMeasures(), caption: "")
        }
        try store.replaceCohort(cases, source: "t", splitSeed: 1)
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let summaries = Locked<[EncodeSummary]>([])
        let waits = Locked(0)
        // Both start together (a barrier), so without the lock both would read an empty cache and encode everything.
        let ready = DispatchSemaphore(value: 0), go = DispatchSemaphore(value: 0), finished = DispatchGroup()
        for _ in 0..<2 {
            finished.enter()
            Thread {
                defer { finished.leave() }
                ready.signal()
                go.wait()
                // Each writer opens the store itself, as two processes would.
                guard let own = try? CaseStore(path: store.path),
                      let summary = try? LibraryEncoder(store: own, encoder: encoder)
                          .encodeAll(subsets: [.clinical], batchSize: 4, note: { _ in waits.withLock { $0 += 1 } }) else { return }
                summaries.withLock { $0.append(summary) }
            }.start()
        }
        ready.wait(); ready.wait()
        go.signal(); go.signal()
        finished.wait()
        let done = summaries.current
        #expect(done.count == 2)
        // Every embedding computed once: one encoder did all 96, the other found them cached.
        #expect(done.map(\.encoded).sorted() == [0, 96])
        #expect(done.map(\.alreadyCached).sorted() == [0, 96])
        #expect(try EmbeddingCache(store: store, encoderHash: encoder.weightsHash).count() == 96)
        print("two encoders: \(waits.current) waited for the other")
    }

    @Test func inMemoryStoresNeedNoLockFile() throws {
        let lock = try StoreWriterLock.acquire(storePath: ":memory:", purpose: "test", timeout: 0)
        #expect(lock.path == nil)
        let again = try StoreWriterLock.acquire(storePath: ":memory:", purpose: "test", timeout: 0)
        #expect(again.path == nil)
    }
}
