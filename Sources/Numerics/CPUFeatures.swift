import Foundation

/// What the CPU says about itself (Linux `/proc/cpuinfo`): its name and the instruction-set flags the
/// kernel selection reads. Feature flags, never model numbers: a CPU newer than a library's model list
/// still reports what it can do.
public struct CPUFeatures: Sendable, Equatable {
    public let modelName: String
    public let vendor: String
    public let flags: Set<String>

    public init(modelName: String, vendor: String, flags: Set<String>) {
        (self.modelName, self.vendor, self.flags) = (modelName, vendor, flags)
    }

    public func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The flags that matter for dense float kernels, in a fixed order, for reports.
    public var vectorFlags: [String] {
        ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16",
         "avx512_fp16", "amx_tile", "amx_bf16"].filter(has)
    }

    /// The first processor's entry in `/proc/cpuinfo`; an empty record where there is none. procfs files
    /// report size 0, so the first 64 KiB are read (one processor's entry is about 2 KB).
    public static let current: CPUFeatures = {
        guard let handle = FileHandle(forReadingAtPath: "/proc/cpuinfo") else {
            return CPUFeatures(modelName: "unknown", vendor: "unknown", flags: [])
        }
        defer { try? handle.close() }
        var data = Data()
        while data.count < 1 << 16, let chunk = try? handle.read(upToCount: 1 << 16 - data.count), !chunk.isEmpty { data += chunk }
        return parse(String(decoding: data, as: UTF8.self))
    }()

    public static func parse(_ cpuinfo: String) -> CPUFeatures {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).isEmpty, !fields.isEmpty { break }  // first processor only
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        let flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
        return CPUFeatures(modelName: fields["model name"] ?? "unknown", vendor: fields["vendor_id"] ?? "unknown", flags: flags)
    }
}
