import Foundation

/// This process's resident memory from /proc (Linux): the peak can be reset, so a test can see what one call added.
public enum ResidentMemory {
    /// Resets the peak (VmHWM) to the current RSS and returns it, in bytes.
    public static func resetPeak() -> Int {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        return peak()
    }

    public static func peak() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kib << 10
    }
}
