import Foundation
import Testing

extension Tag {
    /// Reads the installed all-MiniLM-L6-v2 (Scripts/setup.sh), or the reranker merged over it.
    @Tag public static var miniLM: Tag
    /// Talks to a real local LLM server (Scripts/llm.sh).
    @Tag public static var localLLM: Tag
}

/// One policy for tests that need installed models or the local LLM: a missing model or server fails the
/// test (never a silent skip). Two switches, each said out loud in the skip reason:
/// - `MEMOIR_UNIT_TESTS_ONLY=1` is the fast path: every test tagged `.miniLM` or `.localLLM` is skipped.
/// - `MEMOIR_SKIP_LLM_TESTS=1` skips only the `.localLLM` tests.
public enum TestPolicy {
    public static var unitTestsOnly: Bool { ProcessInfo.processInfo.environment["MEMOIR_UNIT_TESTS_ONLY"] == "1" }
    public static var skipLLMTests: Bool { unitTestsOnly || ProcessInfo.processInfo.environment["MEMOIR_SKIP_LLM_TESTS"] == "1" }
}

extension Trait where Self == ConditionTrait {
    /// Put with `.tags(.miniLM)` on a test or suite that loads all-MiniLM-L6-v2.
    public static var needsMiniLM: Self {
        .disabled(if: TestPolicy.unitTestsOnly, "MEMOIR_UNIT_TESTS_ONLY=1 (needs all-MiniLM-L6-v2)")
    }

    /// Put with `.tags(.localLLM)` on a test or suite that asks the real local LLM.
    public static var needsLocalLLM: Self {
        .disabled(if: TestPolicy.skipLLMTests, "MEMOIR_SKIP_LLM_TESTS=1 or MEMOIR_UNIT_TESTS_ONLY=1 (needs the local LLM)")
    }
}
