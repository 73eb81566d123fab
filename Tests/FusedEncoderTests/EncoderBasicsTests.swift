import Cohort
import Crypto
import Foundation
import FusedEncoder
import TestSupport
import Testing

/// The weights hash, modality subsets, config decoding and the FLOP count.
@Suite struct EncoderBasicsTests {
    @Test func weightsHashCoversCheckpointThenConfig() throws {
        let directory = EncoderGoldens.modelDirectory
        let encoder = try FusedEncoder(directory: directory)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/model.safetensors"))
        bytes.append(try Data(contentsOf: URL(fileURLWithPath: directory + "/config.json")))
        #expect(encoder.weightsHash == SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        #expect(encoder.weightsHash.count == 64)
    }

    @Test func modalitySubsets() {
        let subsets = FusedEncoder.modalitySubsets
        #expect(subsets.map(\.key) == ["t1", "fa", "clinical", "t1+fa", "t1+clinical", "fa+clinical", "t1+fa+clinical"])
        #expect(Set(subsets).count == 7 && !subsets.contains([]))
        #expect(ModalitySet(key: "clinical, t1") == [.t1, .clinical])
        #expect(ModalitySet(key: "t1+dwi") == nil && ModalitySet(key: "") == nil)
        #expect(ModalitySet.all.members == [.t1, .fa, .clinical])
    }

    @Test func configDecodesEveryKeyAndCountsFlops() throws {
        let config = try EncoderConfig.load(path: EncoderGoldens.modelDirectory + "/config.json")
        #expect(config.inputShape == [21, 26, 22] && config.width == 4 && config.embedDim == 64 && config.attentionHeads == 8)
        #expect(config.clinicalFeatures == ["ADAS11", "ADAS13", "MMSE", "MOCA"] && config.apoeDim == 8)
        #expect(config.layerNormEps == 1e-5 && config.t1Normalization == "zscore_nonzero")
        // Round trip through JSON keeps every key.
        let again = try JSONDecoder().decode(EncoderConfig.self, from: try JSONEncoder().encode(config))
        #expect(again == config)
        // model.py: gflops_per_volume(default_config()) and with width 16, input_pool 2.
        let full = EncoderConfig.reference()
        var small = full
        small.width = 16
        small.inputPool = 2
        #expect(abs(full.gflopsPerVolume - 29.420913152) < 1e-6, "\(full.gflopsPerVolume)")
        #expect(abs(small.gflopsPerVolume - 0.370196384) < 1e-6, "\(small.gflopsPerVolume)")
    }
}
