import Testing
@testable import Numerics

/// The single-threaded sections, on a stand-in library count (so nothing process-wide changes)
/// and, for what holds whatever other tests do meanwhile, on OpenBLAS itself.
@Suite struct BLASThreadTests {
    private static func library(_ count: Int) -> (Locked<Int>, ThreadCountSections) {
        let library = Locked(count)
        let sections = ThreadCountSections(read: { library.current }, write: { n in library.withLock { $0 = n } })
        return (library, sections)
    }

    @Test func sectionsHoldOneThreadAndRestoreTheCount() {
        let (library, sections) = Self.library(4)
        sections.withSingleThreaded {
            #expect(library.current == 1)
            sections.withSingleThreaded { #expect(library.current == 1) }
            #expect(library.current == 1)  // the inner section must not restore early
            #expect(sections.configured == 4)
        }
        #expect(library.current == 4)
        #expect(sections.openSections == 0)
    }

    @Test func aCountSetDuringASectionAppliesAfterIt() {
        let (library, sections) = Self.library(4)
        sections.withSingleThreaded {
            sections.set(6)
            #expect(library.current == 1)
            #expect(sections.configured == 6)
        }
        #expect(library.current == 6)
        sections.set(0)
        #expect(library.current == 1)
    }

    @Test func aThrowingSectionStillRestores() {
        struct Stop: Error {}
        let (library, sections) = Self.library(3)
        #expect(throws: Stop.self) { try sections.withSingleThreaded { () throws(Stop) in throw Stop() } }
        #expect(library.current == 3)
    }

    @Test func concurrentSectionsShareOneSaveAndRestore() {
        let (library, sections) = Self.library(5)
        let violations = Locked(0)
        Parallel.withThreadLimit(4) {
            Parallel.forEachWorker(4) { _ in
                for _ in 0..<300 {
                    sections.withSingleThreaded {
                        if library.current != 1 { violations.withLock { $0 += 1 } }
                    }
                }
            }
        }
        #expect(violations.current == 0)
        #expect(library.current == 5)
        #expect(sections.openSections == 0)
    }

    /// On OpenBLAS itself: other suites may hold sections of their own, but inside ours the count is
    /// one and the configured count is what it was before (no test sets it).
    @Test func openBLASSectionsKeepTheConfiguredCount() {
        let configured = BLAS.configuredThreadCount
        BLAS.withSingleThreadedCalls {
            #expect(BLAS.threadCount == 1)
            #expect(BLAS.configuredThreadCount == configured)
        }
        #expect(BLAS.configuredThreadCount == configured)
        #expect(!BLAS.coreName.isEmpty)
    }
}
