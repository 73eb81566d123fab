import Foundation
import Testing
import TestSupport
@testable import Numerics

@Suite struct SafeTensorsTests {
    let folder: TemporaryFolder
    var directory: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    @Test func roundTripsF32AndF16() throws {
        let a = Tensor(shape: [2, 3], scalars: [1, -2.5, 3.25, 0, 1e-3, 65504])
        let b = Tensor(shape: [4], scalars: [0.1, 0.2, -0.3, 7])
        let f32 = directory + "/f32.safetensors", f16 = directory + "/f16.safetensors"
        try SafeTensorsWriter.write(["a": a, "b": b], to: f32, metadata: ["format": "pt"])
        try SafeTensorsWriter.write(["a": a, "b": b], to: f16, precision: .f16)
        let file = try SafeTensorsFile(path: f32)
        #expect(file.tensorNames == ["a", "b"])
        #expect(file.metadata["format"] == "pt")
        #expect(try file.tensor("a") == a)
        #expect(try file.tensor("b", shape: [4]) == b)
        let half = try SafeTensorsFile(path: f16)
        #expect(half.entries["a"]?.dtype == .f16)
        for (x, y) in zip(try half.tensor("b").scalars, b.scalars) { #expect(abs(x - y) <= abs(y) * 1e-3) }
        #expect(try half.tensor("a").scalars == [1, -2.5, 3.25, 0, Float(Float16(1e-3)), 65504])
    }

    @Test func decodesBFloat16AndHalfSpecialValues() throws {
        #expect(HalfPrecision.floatFromBFloat16(0x3F80) == 1)
        #expect(HalfPrecision.floatFromBFloat16(0xC040) == -3)
        #expect(HalfPrecision.floatFromHalf(0x3C00) == 1)
        #expect(HalfPrecision.floatFromHalf(0x0001) == Float(Float16(bitPattern: 1)))  // smallest subnormal
        #expect(HalfPrecision.floatFromHalf(0x7C00) == .infinity)
        #expect(HalfPrecision.floatFromHalf(0xFE00).isNaN)
        #expect(HalfPrecision.floatFromHalf(0x8000).sign == .minus)
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 97) {
            #expect(HalfPrecision.floatFromHalf(bits) == Float(Float16(bitPattern: bits)))
        }
        let path = try write(header: #"{"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]}}"#, data: [0x80, 0x3F, 0x40, 0xC0])
        #expect(try SafeTensorsFile(path: path).tensor("x").scalars == [1, -3])
    }

    @Test func refusesHeaderThatLiesAboutSizes() throws {
        // 2×3 F32 needs 24 bytes, the offsets span 16.
        let path = try write(header: #"{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}"#, data: [UInt8](repeating: 0, count: 24))
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: path) }
        do { _ = try SafeTensorsFile(path: path) } catch {
            #expect("\(error)".contains("'w'") && "\(error)".contains("24 bytes"))
        }
    }

    @Test func refusesTruncatedData() throws {
        let path = try write(header: #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [UInt8](repeating: 0, count: 10))
        #expect(throws: SafeTensorsError.truncated(path: path, tensor: "w", end: 16, available: 10)) { try SafeTensorsFile(path: path) }
    }

    @Test func refusesHeaderLongerThanFile() throws {
        let path = directory + "/short.safetensors"
        var bytes = [UInt8](repeating: 0, count: 8)
        bytes[0] = 200
        try Data(bytes + Array("{}".utf8)).write(to: URL(fileURLWithPath: path))
        #expect(throws: SafeTensorsError.headerOutOfBounds(path: path, headerLength: 200, fileSize: 10)) { try SafeTensorsFile(path: path) }
    }

    @Test func refusesTinyFileBadJSONOverlapAndUnknownDType() throws {
        let tiny = directory + "/tiny.safetensors"
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: tiny))
        #expect(throws: SafeTensorsError.tooSmall(path: tiny, bytes: 3)) { try SafeTensorsFile(path: tiny) }
        let notJSON = try write(header: "{not json", data: [])
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: notJSON) }
        let overlap = try write(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
                                data: [UInt8](repeating: 0, count: 12))
        #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(path: overlap) }
        let dtype = try write(header: #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,1]}}"#, data: [0])
        do { _ = try SafeTensorsFile(path: dtype); Issue.record("accepted dtype Q4") } catch {
            #expect("\(error)".contains("unsupported dtype Q4"))
        }
    }

    @Test func namesMissingTensorAndWrongShape() throws {
        let path = directory + "/m.safetensors"
        try SafeTensorsWriter.write(["w": Tensor(zeros: [2, 2])], to: path)
        let file = try SafeTensorsFile(path: path)
        #expect(throws: SafeTensorsError.missingTensor(path: path, tensor: "v")) { try file.tensor("v") }
        #expect(throws: SafeTensorsError.shapeMismatch(path: path, tensor: "w", expected: [4], actual: [2, 2])) { try file.tensor("w", shape: [4]) }
    }

    @Test func refusesIntegerTensorsAsFloats() throws {
        let path = try write(header: #"{"ids":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8))
        let file = try SafeTensorsFile(path: path)
        #expect(throws: SafeTensorsError.notFloatingPoint(path: path, tensor: "ids", dtype: "I64")) { try file.tensor("ids") }
    }

    @Test func missingFileIsAClearError() {
        do { _ = try SafeTensorsFile(path: directory + "/absent.safetensors"); Issue.record("opened a missing file") } catch {
            #expect("\(error)".contains("absent.safetensors") && "\(error)".contains("No such file"))
        }
    }

    private func write(header: String, data: [UInt8]) throws -> String {
        let path = directory + "/\(UUID().uuidString).safetensors"
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian, Array.init)
        bytes += Array(header.utf8) + data
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
