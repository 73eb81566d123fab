import Foundation

/// Writes tensors in safetensors format, atomically (temporary file + rename).
public enum SafeTensorsWriter {
    public enum Precision: Sendable { case f32, f16 }

    public static func write(_ tensors: [String: Tensor], to path: String, precision: Precision = .f32,
                             metadata: [String: String] = [:]) throws {
        let names = tensors.keys.sorted()
        let width = precision == .f32 ? 4 : 2
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for name in names {
            let t = tensors[name]!
            header[name] = [
                "dtype": precision == .f32 ? "F32" : "F16",
                "shape": t.shape,
                "data_offsets": [offset, offset + t.count * width],
            ] as [String: Any]
            offset += t.count * width
        }
        var headerData = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while headerData.count % 8 != 0 { headerData.append(0x20) }

        var out = Data(capacity: 8 + headerData.count + offset)
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(headerData)
        for name in names {
            let scalars = tensors[name]!.scalars
            switch precision {
            case .f32:
                scalars.withUnsafeBytes { out.append(contentsOf: $0) }
            case .f16:
                let halves = scalars.map { HalfPrecision.halfFromFloat($0).littleEndian }
                halves.withUnsafeBytes { out.append(contentsOf: $0) }
            }
        }
        try out.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
