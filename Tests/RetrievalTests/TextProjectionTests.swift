import Foundation
import Numerics
import Retrieval
import Testing
import TestSupport
import TextModels

/// The shipped text→case projection (Models/text-projection) must give PyTorch's outputs
/// (Fixtures/projection/goldens.json, made by make_projection_goldens.py) within 1e-5, and refuse bad
/// directories and inputs with errors that name the file.
@Suite struct TextProjectionTests {
    static let shipped = Fixtures.repositoryRoot + "/Models/text-projection"

    struct Goldens: Decodable {
        struct Case: Decodable { let text: String; let input: [Float]; let output: [Double] }
        let model_weights_sha256: String
        let cases: [Case]
    }

    static func goldens() throws -> Goldens {
        try JSONDecoder().decode(Goldens.self, from: Data(contentsOf: URL(fileURLWithPath: Fixtures.path("projection/goldens.json"))))
    }

    /// A copy of the shipped projection whose config.json is edited by `edit`.
    static func scratchCopy(_ edit: (inout [String: Any]) -> Void) throws -> TemporaryFolder {
        let folder = try TemporaryFolder(), directory = folder.path
        try FileManager.default.copyItem(atPath: shipped + "/model.safetensors", toPath: directory + "/model.safetensors")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: shipped + "/config.json"))) as! [String: Any]
        edit(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return folder
    }

    @Test func matchesPyTorch() throws {
        let golden = try Self.goldens()
        let projection = try TextProjection(directory: try TextProjectionLocator.directory(explicit: Self.shipped))
        #expect(projection.inputDimension == 384)
        #expect(projection.outputDimension == 512)
        #expect(projection.config.caseEncoderHash?.count == 64)
        #expect(golden.model_weights_sha256 == (try WeightOverlay.sha256(ofFile: Self.shipped + "/model.safetensors")), "goldens.json was made from other weights: rerun make_projection_goldens.py")
        #expect(golden.cases.count >= 5)
        let batch = try projection.project(golden.cases.map(\.input))
        var worst = 0.0
        for (c, out) in zip(golden.cases, batch) {
            let single = try projection.project(c.input)
            // GEMM blocking differs with the batch size, so agreement is to rounding, not bitwise.
            let batchGap = zip(single, out).map { abs($0 - $1) }.max() ?? 0
            #expect(batchGap <= 1e-6, "a batch of one and a batch of many differ by \(batchGap)")
            let norm = out.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-5)
            for (a, b) in zip(out, c.output) { worst = max(worst, abs(Double(a) - b)) }
        }
        #expect(worst <= 1e-5, "max |Δ| \(worst)")
        print("text projection parity: max |Δ| \(worst) over \(golden.cases.count) vectors")
        // Different texts land at different points.
        #expect(VectorOps.cosine(batch[0], batch[1]) < 0.999)
    }

    @Test func wrongInputWidthIsRefused() throws {
        let projection = try TextProjection(directory: Self.shipped)
        let error = #expect(throws: TextProjectionError.self) { try projection.project([Float](repeating: 0.1, count: 512)) }
        #expect(error?.description.contains("512 dimensions, the projection takes 384") == true)
        #expect(throws: TextProjectionError.self) { try projection.project([Float](repeating: .nan, count: 384)) }
        #expect(try projection.project([[Float]]()).isEmpty)
    }

    @Test func missingDirectoryAndFilesAreNamed() throws {
        let missing = NSTemporaryDirectory() + "memoir-no-projection-\(UUID().uuidString)"
        let error = #expect(throws: TextProjectionError.self) { try TextProjectionLocator.directory(explicit: missing) }
        #expect(error?.description.contains(missing + " (--projection)") == true)
        #expect(error?.description.contains("Scripts/setup.sh") == true)
        let emptyFolder = try TemporaryFolder(), empty = emptyFolder.path
        let fileError = #expect(throws: TextProjectionError.self) { try TextProjection(directory: empty) }
        #expect(fileError == .missingFile(path: empty + "/config.json", hint: TextProjectionLocator.fetchHint))
    }

    @Test func layerThatDoesNotFitIsNamed() throws {
        let folder = try Self.scratchCopy { $0["input_dim"] = 768 }, directory = folder.path
        let error = #expect(throws: TextProjectionError.self) { try TextProjection(directory: directory) }
        #expect(error?.description.hasPrefix(directory + "/model.safetensors: layer") == true)
        #expect(error?.description.contains("768-wide input") == true)
    }

    @Test func badConfigIsNamed() throws {
        let unknownFolder = try Self.scratchCopy { $0["layers"] = ["nope"] }, unknown = unknownFolder.path
        let error = #expect(throws: TextProjectionError.self) { try TextProjection(directory: unknown) }
        #expect(error?.description.contains("layer 'nope' needs tensors 'nope.weight' and 'nope.bias'") == true)
        let formatFolder = try Self.scratchCopy { $0["format"] = "something-else" }, format = formatFolder.path
        let formatError = #expect(throws: TextProjectionError.self) { try TextProjection(directory: format) }
        #expect(formatError?.description.hasPrefix(format + "/config.json") == true)
        let activationFolder = try Self.scratchCopy { $0["activation"] = "swish" }, activation = activationFolder.path
        #expect(throws: TextProjectionError.self) { try TextProjection(directory: activation) }
    }
}
