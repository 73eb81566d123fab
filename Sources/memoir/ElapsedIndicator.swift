import Foundation
import Numerics

/// "waiting for the model… 12 s" on standard error while the LLM works (only on a terminal), cleared
/// when the first answer text arrives or the call ends.
final class ElapsedIndicator: Sendable {
    private let label: String
    private let state = Locked((running: true, start: Date()))

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.label = label
        guard enabled else {
            state.withLock { $0.running = false }
            return
        }
        let thread = Thread { [self] in
            while state.withLock({ $0.running }) {
                let seconds = Int(Date().timeIntervalSince(state.withLock { $0.start }))
                FileHandle.standardError.write(Data("\r\(label)… \(seconds) s ".utf8))
                Thread.sleep(forTimeInterval: 0.5)
            }
        }
        thread.start()
    }

    /// Stops the indicator and clears its line (idempotent).
    func stop() {
        let wasRunning = state.withLock { s -> Bool in
            defer { s.running = false }
            return s.running
        }
        if wasRunning { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
