import Cohort
import Foundation
import FusedEncoder
import Numerics
import Testing
import TestSupport

/// Swift's forward pass against PyTorch's (Fixtures/encoder/goldens.json): z and every decoded head
/// within 1e-4 per element, for both cases and all 7 modality subsets.
@Suite struct FusedEncoderParityTests {
    static let tolerance = 1e-4

    @Test func everySubsetMatchesTheReference() throws {
        let goldens = try EncoderGoldens.load()
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let prep = encoder.preprocessor
        #expect(goldens.results.count == 14)
        var overall = 0.0
        for c in goldens.cases {
            let full = CaseInputs(subjectID: c.id,
                                  t1: try prep.volume(path: Fixtures.path("encoder/" + c.t1), modality: .t1),
                                  fa: try prep.volume(path: Fixtures.path("encoder/" + c.fa), modality: .fa),
                                  clinical: EncoderGoldens.clinical(c, features: encoder.config.clinicalFeatures))
            for golden in goldens.results where golden.case == c.id {
                let subset = try #require(ModalitySet(key: golden.modalities.joined(separator: "+")))
                let out = try encoder.encode(full.restricted(to: subset))
                #expect(out.modalities == subset)
                #expect(Set(out.modalityEmbeddings.keys) == Set(subset.members))
                let label = "\(c.id) [\(subset)]"
                let checks: [(String, [Float], [Double])] = [
                    ("z", out.z, golden.z), ("dx3", out.heads.dx3, golden.dx3), ("dx_binary", out.heads.dxBinary, golden.dx_binary),
                    ("sex", out.heads.sex, golden.sex), ("age", [out.heads.age], [golden.age]), ("cdrsb", [out.heads.cdrsb], [golden.cdrsb]),
                ]
                for (name, swift, reference) in checks {
                    let worst = worstDifference(swift, reference)
                    overall = max(overall, worst.value)
                    #expect(worst.value <= Self.tolerance,
                            "\(label) \(name): worst |Δ| \(worst.value) at index \(worst.index) (Swift \(swift.count > max(worst.index, 0) ? swift[max(worst.index, 0)] : .nan))")
                }
                // Each modality embedding is a unit vector.
                for (m, e) in out.modalityEmbeddings {
                    let norm = e.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
                    #expect(abs(norm - 1) < 1e-5, "\(label) \(m) embedding norm \(norm)")
                }
            }
        }
        print("fused encoder parity: worst |Δ| \(overall) over z and heads of \(goldens.results.count) golden results (torch \(goldens.torch))")
    }

    /// Encoding all subsets at once (ResNets run once) gives what encoding each subset alone gives.
    @Test func sharedTokenSubsetsMatchSeparateEncodes() throws {
        let goldens = try EncoderGoldens.load()
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        let c = goldens.cases[0]
        let inputs = try encoder.preprocessor.inputs(for: EncoderGoldens.record(c))
        let together = try encoder.encode(inputs, subsets: FusedEncoder.modalitySubsets)
        #expect(together.count == 7)
        for subset in FusedEncoder.modalitySubsets {
            let alone = try encoder.encode(inputs.restricted(to: subset))
            // Equal up to float rounding, not bit for bit: OpenBLAS's thread count is process-wide and any
            // single-threaded section running meanwhile (encodeAll, BertModel, Conv3D in other tests) puts the
            // multi-threaded sgemms here on one thread, which rounds differently (Cooperlake kernels: |Δz| up to
            // 6e-8 between 1 and 2 threads). The worker count no longer changes (it is task-local), and alone
            // it leaves z bit-identical.
            let shared = try #require(together[subset])
            #expect(shared.modalities == alone.modalities && shared.modalityEmbeddings.keys == alone.modalityEmbeddings.keys)
            let heads = { (h: HeadPredictions) in h.dx3 + h.dxBinary + h.sex + [h.age / 100, h.cdrsb / 18] }
            #expect(worstDifference(shared.z, alone.z.map(Double.init)).value < 1e-6, "\(subset) z")
            #expect(worstDifference(heads(shared.heads), heads(alone.heads).map(Double.init)).value < 1e-6, "\(subset) heads")
            let golden = try #require(goldens.results.first { $0.case == c.id && $0.modalities.joined(separator: "+") == subset.key })
            #expect(worstDifference(alone.z, golden.z).value <= Self.tolerance)
        }
    }

    /// A case record goes through the same preprocessing (paths, scores by name, APOE genotype).
    @Test func caseRecordInputsMatchTheReference() throws {
        let goldens = try EncoderGoldens.load()
        let encoder = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        for c in goldens.cases {
            let out = try encoder.encode(EncoderGoldens.record(c), modalities: .all)
            let golden = try #require(goldens.results.first { $0.case == c.id && $0.modalities.count == 3 })
            let worst = worstDifference(out.z, golden.z)
            #expect(worst.value <= Self.tolerance, "\(c.id): worst |Δ z| \(worst.value)")
        }
    }

    /// A float16 export of the same checkpoint loads and stays close (half precision costs ~1e-3).
    @Test func halfPrecisionCheckpointLoads() throws {
        let folder = try TemporaryFolder(), directory = folder.path
        let source = try SafeTensorsFile(path: EncoderGoldens.modelDirectory + "/model.safetensors")
        var tensors: [String: Tensor] = [:]
        for name in source.tensorNames { tensors[name] = try source.tensor(name) }
        try SafeTensorsWriter.write(tensors, to: directory + "/model.safetensors", precision: .f16)
        try FileManager.default.copyItem(atPath: EncoderGoldens.modelDirectory + "/config.json", toPath: directory + "/config.json")
        let half = try FusedEncoder(directory: directory)
        let full = try FusedEncoder(directory: EncoderGoldens.modelDirectory)
        #expect(half.weightsHash != full.weightsHash)
        let c = try EncoderGoldens.load().cases[1]
        let inputs = try full.preprocessor.inputs(for: EncoderGoldens.record(c))
        let a = try full.encode(inputs).z, b = try half.encode(inputs).z
        #expect(VectorOps.cosine(a, b) > 0.999)
    }
}
