import Foundation
import Testing
import TestSupport
@testable import Numerics
#if canImport(Glibc)
import Glibc
#endif

/// Regression tests for issue #15: non-regular paths and hostile safetensors headers are typed errors.
@Suite struct HostileFileTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    func safetensors(_ header: String, data: Int = 0) throws -> String {
        var bytes = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(header.utf8) + [UInt8](repeating: 0, count: data))
        let path = dir + "/\(UUID().uuidString).safetensors"
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func nonRegularPathsAreRefusedWithoutBlocking() throws {
        let fifo = dir + "/fifo", loop = dir + "/loop"
        #expect(mkfifo(fifo, 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: loop, withDestinationPath: loop)
        for (path, mention) in [(dir, "directory"), (fifo, "FIFO"), ("/dev/null", "character device"), (loop, "symbolic link loop"),
                                (dir + "/absent", "No such file")] {
            #expect { try RegularFile.contents(path, maxBytes: 1 << 20) } throws: { error in
                guard let e = error as? MappedFileError else { return false }
                return e.path == path && e.reason.contains(mention)
            }
            #expect(throws: MappedFileError.self) { try MappedFile(path: path) }
            #expect(throws: MappedFileError.self) { try SafeTensorsFile(path: path) }
        }
    }

    @Test func oversizedFilesAreRefusedBeforeReading() throws {
        let path = dir + "/big"
        try Data(count: 4096).write(to: URL(fileURLWithPath: path))
        #expect(try RegularFile.contents(path, maxBytes: 4096).count == 4096)
        #expect { try RegularFile.contents(path, maxBytes: 4095) } throws: { ($0 as? MappedFileError)?.reason.contains("limit") == true }
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[1e30],"data_offsets":[0,4]}}"#, "non-negative integers"),
        (#"{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, "non-negative integers"),
        (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, "non-negative integers"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,1e300]}}"#, "data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[4.5,8]}}"#, "data_offsets"),
        (#"{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}"#, "too many"),
        (#"{"w":{"dtype":"F32","shape":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"data_offsets":[0,4]}}"#, "dimensions"),
    ])
    func hostileShapesAndOffsetsAreBadEntries(header: String, mention: String) throws {
        let path = try safetensors(header, data: 4)
        #expect { try SafeTensorsFile(path: path) } throws: { error in
            guard case let SafeTensorsError.badEntry(p, tensor, reason) = error else { return false }
            return p == path && tensor == "w" && reason.contains(mention)
        }
    }

    @Test func longTensorNamesAreClippedInErrors() throws {
        let name = String(repeating: "n", count: 100_000)
        let path = try safetensors(#"{"\#(name)":{"dtype":"XX","shape":[1],"data_offsets":[0,4]}}"#, data: 4)
        #expect { try SafeTensorsFile(path: path) } throws: { "\($0)".count < 400 }
    }

    @Test func errorEchoClipsLongText() {
        #expect(ErrorEcho.clip("short") == "short")
        let clipped = ErrorEcho.clip(String(repeating: "é", count: 1000))
        #expect(clipped.hasPrefix(String(repeating: "é", count: 80)) && clipped.contains("1000 characters") && clipped.count < 120)
    }
}
