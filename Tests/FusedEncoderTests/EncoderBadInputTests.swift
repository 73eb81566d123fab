import Cohort
import Foundation
import FusedEncoder
import Imaging
import Numerics
import Testing
import TestSupport

/// Broken checkpoints, configs, inputs and grids fail with errors that name what is wrong.
@Suite struct EncoderBadInputTests {
    let folder: TemporaryFolder
    var dir: String { folder.path }
    init() throws { folder = try TemporaryFolder() }

    /// A copy of the fixture model with its tensors edited by `edit` and its config by `config`.
    func modelCopy(edit: (inout [String: Tensor]) -> Void = { _ in },
                   config: (inout [String: Any]) -> Void = { _ in }) throws -> String {
        let directory = dir + "/model-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let source = try SafeTensorsFile(path: EncoderGoldens.modelDirectory + "/model.safetensors")
        var tensors: [String: Tensor] = [:]
        for name in source.tensorNames { tensors[name] = try source.tensor(name) }
        edit(&tensors)
        try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors")
        var json = try #require(try Fixtures.json("encoder/model/config.json") as? [String: Any])
        config(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: directory + "/config.json"))
        return directory
    }

    @Test func aMissingTensorIsNamed() throws {
        for name in ["t1_encoder.layers.1.0.downsample.conv.weight", "fusion.attn.in_proj_weight", "heads.dx3.2.bias",
                     "fa_encoder.layers.0.1.bn2.running_var"] {
            let directory = try modelCopy(edit: { $0[name] = nil })
            #expect { try FusedEncoder(directory: directory) } throws: { error in
                guard case let EncoderError.missingTensor(tensor, path) = error else { return false }
                return tensor == name && path == directory + "/model.safetensors" && "\(error)".contains(name)
            }
        }
    }

    @Test func aWrongShapeNamesTensorAndBothShapes() throws {
        let name = "clinical_encoder.mlp.0.weight"
        let directory = try modelCopy(edit: { $0[name] = Tensor(zeros: [32, 15]) })
        #expect { try FusedEncoder(directory: directory) } throws: { error in
            guard case let EncoderError.tensorShape(tensor, path, expected, actual) = error else { return false }
            let text = "\(error)"
            return tensor == name && path.hasSuffix("model.safetensors") && expected == [32, 16] && actual == [32, 15]
                && text.contains(name) && text.contains("[32, 16]") && text.contains("[32, 15]")
        }
    }

    @Test func aConfigThatDoesNotFitTheCheckpointFailsOnTheFirstTensor() throws {
        let directory = try modelCopy(config: { $0["width"] = 8 })
        #expect(throws: EncoderError.tensorShape(name: "t1_encoder.stem.conv.weight", path: directory + "/model.safetensors",
                                                 expected: [8, 1, 7, 7, 7], actual: [4, 1, 7, 7, 7])) {
            try FusedEncoder(directory: directory)
        }
    }

    @Test func invalidConfigsAreRefused() throws {
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("architecture", { $0["architecture"] = "ResNet" }),
            ("divisible", { $0["attention_heads"] = 5 }),
            ("4 stages", { $0["blocks"] = [2, 2, 2] }),
            ("missing key 'apoe_dim'", { $0["apoe_dim"] = nil }),
            ("unknown", { $0["clinical_features"] = ["ADAS11", "ADAS13", "MMSE", "CDRSB"] }),
            ("too small", { $0["input_pool"] = 32 }),
        ]
        for (needle, edit) in cases {
            let directory = try modelCopy(config: edit)
            #expect { try FusedEncoder(directory: directory) } throws: { error in
                guard case let EncoderError.invalidConfig(path, reason) = error else { return false }
                return path == directory + "/config.json" && reason.contains(needle)
            }
        }
    }

    @Test func aMissingDirectoryNamesTheFile() {
        #expect { try FusedEncoder(directory: dir + "/nowhere") } throws: { error in
            guard case let EncoderError.missingFile(path, _) = error else { return false }
            return path == dir + "/nowhere/config.json"
        }
    }

    @Test func aCaseWithNoModalityIsAClearError() throws {
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let record = CaseRecord(subjectID: "S1", diagnosis: .cn, mmse: 29)
        #expect { try encoder.encode(record, modalities: [.t1, .fa]) } throws: { error in
            guard case let EncoderError.noModality(subject, requested, reason) = error else { return false }
            return subject == "S1" && requested == "t1+fa" && reason.contains("no T1 image") && reason.contains("no FA image")
        }
        #expect { try encoder.encode(CaseInputs(subjectID: "S2")) } throws: { error in
            if case EncoderError.noModality(subject: "S2", _, _) = error { return true }
            return false
        }
        // The clinical modality alone is always available for a record (absent scores are flagged).
        #expect(try encoder.encode(record, modalities: .clinical).modalities == .clinical)
    }

    @Test func aVolumeOnADisjointGridIsRefused() throws {
        var config = EncoderConfig.reference()
        config.width = 4
        let prep = VolumePreprocessor(config: config)
        #expect(prep.acceptsMNIResampling)
        let path = dir + "/far.nii.gz"
        let far = VolumeGrid(shape: (20, 20, 20), affine: .diagonal((2, 2, 2), origin: (5000, 5000, 5000)))
        try NIfTIVolume(grid: far, voxels: [Float](repeating: 1, count: far.voxelCount)).write(path: path)
        #expect { try prep.volume(path: path, modality: .t1) } throws: { error in
            guard case let NIfTIError.wrongGrid(p, reason) = error else { return false }
            return p == path && reason.contains("MNI")
        }
        // An overlapping 1.5 mm image is resampled onto the MNI 2 mm grid.
        let near = VolumeGrid(shape: (100, 120, 100), affine: .diagonal((1.5, 1.5, 1.5), origin: (-75, -110, -60)))
        let nearPath = dir + "/near.nii.gz"
        try NIfTIVolume(grid: near, voxels: (0..<near.voxelCount).map { Float($0 % 97) + 1 }).write(path: nearPath)
        let volume = try prep.volume(path: nearPath, modality: .t1)
        #expect(volume.shape == SpatialShape(91, 109, 91))
    }

    @Test func aWrongShapeForANonMNIConfigNamesFileAndShapes() throws {
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        #expect(!encoder.preprocessor.acceptsMNIResampling)
        let path = dir + "/small.nii.gz"
        let grid = VolumeGrid(shape: (20, 26, 22), affine: .diagonal((-2, 2, 2), origin: (0, 0, 0)))
        try NIfTIVolume(grid: grid, voxels: [Float](repeating: 0.3, count: grid.voxelCount)).write(path: path)
        #expect(throws: EncoderError.volumeShape(path: path, shape: [20, 26, 22], expected: [21, 26, 22])) {
            try encoder.preprocessor.volume(path: path, modality: .fa)
        }
        let text = "\(EncoderError.volumeShape(path: path, shape: [20, 26, 22], expected: [21, 26, 22]))"
        #expect(text.contains(path) && text.contains("[20, 26, 22]") && text.contains("[21, 26, 22]"))
        // A hand-built volume of the wrong shape is refused by the network itself.
        let bad = CaseInputs(t1: EncoderVolume(shape: SpatialShape(3, 3, 3), values: [Float](repeating: 0, count: 27), source: "mem"))
        #expect(throws: EncoderError.volumeShape(path: "mem", shape: [3, 3, 3], expected: [21, 26, 22])) { try encoder.encode(bad) }
    }

    @Test func t1IsZScoredOverPositiveVoxelsAndTransposed() {
        var v: [Float] = [0, 2, 4, 0, 6, -1]
        VolumePreprocessor.zScorePositive(&v)
        // Positive voxels 2, 4, 6: mean 4, population SD √(8/3).
        let sd = Float((8.0 / 3).squareRoot())
        #expect(v[0] == 0 && v[3] == 0 && v[5] == 0)
        #expect(abs(v[1] + 2 / sd) < 1e-6 && abs(v[2]) < 1e-6 && abs(v[4] - 2 / sd) < 1e-6)
        // NIfTI order (x fastest) → Z fastest.
        let s = SpatialShape(2, 3, 4)
        let nifti = (0..<24).map { Float($0) }  // value = x + 2y + 6z
        let t = VolumePreprocessor.transposed(nifti, shape: s)
        for x in 0..<2 { for y in 0..<3 { for z in 0..<4 { #expect(t[s.index(x, y, z)] == Float(x + 2 * y + 6 * z)) } } }
    }
}
