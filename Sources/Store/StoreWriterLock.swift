import Foundation
import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// An advisory `flock` on `<store>.lock`, held for the whole of a long write (encode, index, ingest), so two
/// writers on one store take turns instead of both encoding everything: the second waits (saying so once),
/// then sees the first one's work. SQLite's own locks only cover single transactions. The lock is released when
/// the holder finishes or dies (the kernel drops it with the descriptor), so a `kill -9` never leaves a stale lock;
/// the file itself stays, as removing a lock file races with its next user.
public final class StoreWriterLock: Sendable {
    /// The lock file, or nil for an in-memory store.
    public let path: String?
    private let descriptor: Int32

    private init(path: String?, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { release() }

    public static let timeoutVariable = "MEMOIR_STORE_LOCK_TIMEOUT"
    /// Seconds a writer waits for another by default: longer than most encodes, short of forever.
    public static let defaultTimeout: Double = 1800

    /// `$MEMOIR_STORE_LOCK_TIMEOUT` seconds (0: refuse at once rather than wait), else `defaultTimeout`.
    public static func timeout(environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
        guard let raw = environment[timeoutVariable], let seconds = Double(raw), seconds.isFinite, seconds >= 0 else { return defaultTimeout }
        return seconds
    }

    public static func lockPath(forStore storePath: String) -> String { storePath + ".lock" }

    /// Takes the writer lock of the store at `storePath` for `purpose` (e.g. "memoir encode"). While another
    /// process or thread holds it, `waiting` gets one message naming the holder, and this waits up to `timeout`
    /// seconds before throwing `StoreError.busy`.
    public static func acquire(storePath: String, purpose: String, timeout: Double = timeout(),
                               waiting: (String) -> Void = { _ in }) throws -> StoreWriterLock {
        guard storePath != ":memory:" else { return StoreWriterLock(path: nil, descriptor: -1) }
        let path = lockPath(forStore: storePath)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StoreError.database(path: storePath, message: "cannot open the writer lock \(path): \(String(cString: strerror(errno)))")
        }
        let deadline = Date().addingTimeInterval(timeout)
        var announced = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR else {
                close(descriptor)
                throw StoreError.database(path: storePath, message: "cannot lock \(path): \(String(cString: strerror(reason)))")
            }
            let holder = Self.holder(descriptor)
            guard Date() < deadline else {
                close(descriptor)
                throw StoreError.busy(path: storePath, holder: holder, waited: timeout)
            }
            if !announced {
                waiting("\(holder) is writing to \(storePath); waiting up to \(Int(timeout)) s for it to finish "
                    + "(\(timeoutVariable) sets the wait)")
                announced = true
            }
            usleep(100_000)
        }
        // Who holds it, for the next writer's message: informational only, so a partial write is harmless.
        let note = "pid \(getpid()) (\(purpose))\n"
        _ = ftruncate(descriptor, 0)
        _ = note.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        return StoreWriterLock(path: path, descriptor: descriptor)
    }

    private let released = Locked(false)

    /// Releases the lock (also done when the value goes away). Idempotent.
    public func release() {
        let first = released.withLock { done in
            defer { done = true }
            return !done
        }
        guard descriptor >= 0, first else { return }
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// What the lock file says about its holder, e.g. "pid 123 (memoir encode)".
    private static func holder(_ descriptor: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 200)
        let count = pread(descriptor, &buffer, buffer.count - 1, 0)
        let text = count > 0 ? String(cString: buffer).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another memoir process" : "another writer, \(text),"
    }
}
