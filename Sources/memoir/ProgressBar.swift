import Foundation
import Numerics

/// A one-line progress bar on standard error (only when it is a terminal or `force` is set), so
/// long jobs show progress without polluting `--json` output on stdout.
final class ProgressBar: Sendable {
    private let label: String
    private let enabled: Bool
    private let start = Date()
    /// When the bar was last drawn; also serialises drawing.
    private let lastDraw = Locked(Date.distantPast)

    init(label: String, enabled: Bool = isatty(STDERR_FILENO) != 0 || ProcessInfo.processInfo.environment["MEMOIR_PROGRESS"] == "1") {
        self.label = label
        self.enabled = enabled
    }

    func update(_ done: Int, _ total: Int) {
        guard enabled else { return }
        lastDraw.withLock { lastDraw in
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) > 0.2 else { return }
            lastDraw = now
            let width = 30, filled = total > 0 ? width * done / total : width
            let elapsed = now.timeIntervalSince(start)
            let rate = elapsed > 0 ? Double(done) / elapsed : 0
            let eta = rate > 0 ? Double(total - done) / rate : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            let line = String(format: "\r%@ [%@] %d/%d  %.1f/s  %@ left ", label, bar, done, total, rate, Self.clock(eta))
            FileHandle.standardError.write(Data(line.utf8))
            if done == total { FileHandle.standardError.write(Data(String(format: "  done in %@\n", Self.clock(elapsed)).utf8)) }
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 60 ? "\(s / 60)m\(String(format: "%02d", s % 60))s" : "\(s)s"
    }
}
