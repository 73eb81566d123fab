import FusedEncoder
import Foundation
import Imaging
import Numerics

/// Valid seed inputs per format, built in code so the fuzzers need no fixture files. Mutating valid
/// inputs reaches deep code (header fields, offsets, row fields) that random bytes never would.
public enum FuzzCorpus {
    public static func seeds(_ format: FuzzFormat, scratch: String) throws -> [Data] {
        switch format {
        case .nifti: try niftiSeeds(scratch: scratch, gzip: false)
        case .niftiGzip: try niftiSeeds(scratch: scratch, gzip: true)
        case .safetensors: try safetensorsSeeds(scratch: scratch)
        case .bertConfig: [Data(bertConfig.utf8), Data(crossEncoderConfig.utf8)]
        case .encoderConfig: [try encoderConfig()]
        case .cohortCSV: [Data(cohortCSV.utf8)]
        case .adnimergeCSV: [Data(adnimergeCSV.utf8)]
        case .qaJSONL: [Data(qaJSONL.utf8)]
        }
    }

    /// Small volumes (so each case is fast) in several datatypes, with sform, qform and neither.
    static func niftiSeeds(scratch: String, gzip: Bool) throws -> [Data] {
        let path = scratch + "/seed.nii" + (gzip ? ".gz" : "")
        var seeds: [Data] = []
        let grids = [
            VolumeGrid(shape: (6, 5, 4), affine: .diagonal((-2, 2, 2), origin: (6, -4, -4))),
            VolumeGrid(shape: (3, 4, 5), affine: AffineTransform(rows: [-2, 0.1, 0, 2, 0, 2, 0.2, -3, 0.05, 0, 2, -4])),
        ]
        for (g, grid) in grids.enumerated() {
            let volume = NIfTIVolume(grid: grid, voxels: (0..<grid.voxelCount).map { Float(($0 * 37) % 101) + 1 })
            for type in [NIfTIDataType.float32, .int16, .uint8, .float64] where g == 0 || type == .float32 {
                try volume.write(path: path, as: type, slope: type == .float32 || type == .float64 ? 1 : 0.5, compressionLevel: 1)
                seeds.append(try Data(contentsOf: URL(fileURLWithPath: path)))
            }
        }
        return seeds
    }

    static func safetensorsSeeds(scratch: String) throws -> [Data] {
        let path = scratch + "/seed.safetensors"
        var seeds: [Data] = []
        let tensors = ["a.weight": Tensor(shape: [2, 3], scalars: [1, -2, 3, 0.5, 0, 7]), "b": Tensor(shape: [4], scalars: [1, 2, 3, 4])]
        for precision in [SafeTensorsWriter.Precision.f32, .f16] {
            try SafeTensorsWriter.write(tensors, to: path, precision: precision, metadata: ["format": "pt"])
            seeds.append(try Data(contentsOf: URL(fileURLWithPath: path)))
        }
        // Hand-made: BF16, an integer tensor and an empty one.
        let header = #"{"x":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},"i":{"dtype":"I32","shape":[1,1],"data_offsets":[4,8]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[8,8]}}"#
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: Array(header.utf8) + [0x80, 0x3F, 0x40, 0xC0, 1, 0, 0, 0])
        seeds.append(data)
        return seeds
    }

    static func encoderConfig() throws -> Data {
        var config = EncoderConfig.reference()
        config.inputShape = [32, 40, 32]
        config.width = 8
        config.embedDim = 32
        config.attentionHeads = 4
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(config)
    }

    static let bertConfig = """
        {"architectures": ["BertModel"], "attention_probs_dropout_prob": 0.1, "hidden_act": "gelu", "hidden_size": 384,
         "initializer_range": 0.02, "intermediate_size": 1536, "layer_norm_eps": 1e-12, "max_position_embeddings": 512,
         "model_type": "bert", "num_attention_heads": 12, "num_hidden_layers": 6, "pad_token_id": 0,
         "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": 30522}
        """

    static let crossEncoderConfig = """
        {"architectures": ["BertForSequenceClassification"], "hidden_act": "gelu", "hidden_size": 128, "intermediate_size": 512,
         "max_position_embeddings": 512, "model_type": "bert", "num_attention_heads": 2, "num_hidden_layers": 2,
         "type_vocab_size": 2, "vocab_size": 30522, "id2label": {"0": "LABEL_0"}, "memoir_join_layer": 1}
        """

    static let cohortCSV = """
        PTID,DX,AGE,PTGENDER,PTEDUCAT,MMSE,CDRSB,ADAS11,ADAS13,MOCA,APOE_GENOTYPE,T1_PATH,FA_PATH
        941_S_0001,CN,72.5,F,16,30,0,5.33,8.67,27,3/3,images/941_S_0001_t1.nii.gz,images/941_S_0001_fa.nii.gz
        941_S_0002,MCI,78.1,M,18,27,1.5,9,14,24,3/4,images/941_S_0002_t1.nii.gz,
        941_S_0003,Dementia,81,Female,12,21,4.5,17,26,18,"4/4",/abs/t1.nii,
        941_S_0004,AD,69.9,Male,,NA,,,,,,,

        """

    /// ADNIMERGE-style visits: codes, dates, DX spellings, missing-value codes and an APOE4 count.
    static let adnimergeCSV = """
        RID,PTID,VISCODE,EXAMDATE,DX_bl,DX,AGE,PTGENDER,PTEDUCAT,APOE4,MMSE,CDRSB,ADAS11,ADAS13,MOCA,Month
        1,941_S_0001,bl,2006-09-08,CN,CN,72.5,Female,16,0,30,0,5.33,8.67,27,0
        1,941_S_0001,m06,2007-03-12,CN,CN,72.5,Female,16,0,29,0.5,6,9,-4,6
        2,941_S_0002,bl,9/8/2006,LMCI,MCI,78.1,Male,18,1,27,1.5,9,14,24,0
        2,941_S_0002,m24,2008-09-10,LMCI,Dementia,78.1,Male,18,1,22,4.5,17,26,,24
        3,941_S_0003,bl,2007-01-02,AD,Dementia,81,Female,12,2,21,-1,17,26,18,0

        """

    static let qaJSONL = """
        {"id":"q1","case_id":"941_S_0001","question":"What is the most likely diagnosis?","reference":"CN.","category":"diagnosis","expected_diagnosis":"CN","source":"record"}
        {"id":"q2","case_id":"941_S_0002","question":"Will this subject progress?","reference":"Stable.","category":"prognosis","expected_course":"stable","source":"record"}
        {"id":"q3","case_id":"941_S_0002","question":"How severe is the impairment?","reference":"Mild.","category":"severity","expected_diagnosis":null,"source":"record"}

        """
}
