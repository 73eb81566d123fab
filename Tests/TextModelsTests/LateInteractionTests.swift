import Foundation
import Numerics
import Testing
import TestSupport
import TextModels

/// The late-interaction cross-encoder's own arithmetic: the [CLS]-only last layer against the full layer,
/// joins below the last layer, cached (half-precision) states, and a bad join layer.
@Suite(.tags(.miniLM), .needsMiniLM) struct LateInteractionTests {
    static let shipped = Fixtures.repositoryRoot + "/Models/reranker-minilm-adni"
    static let texts = [
        "What is the most likely diagnosis? A 74-year-old woman, MMSE 24 of 30, ADAS-Cog 13 is 31 of 85.",
        "Subject 002_S_0295 is a 68-year-old man. Diagnosis: cognitively normal (CN). MMSE is 29 of 30.",
        "Carries two APOE ε4 alleles.",
        "Diagnosis: Alzheimer's dementia (Dementia). MoCA is 15 of 30. T1 MRI brain parenchymal fraction is 0.701.",
    ]

    /// The [CLS]-only last layer equals that layer computed for every row, on stacked segments of several lengths.
    @Test func firstRowOfLastLayerEqualsTheFullLayer() throws {
        let model = try SentenceEncoder(directory: try TextGoldens.modelDirectory()).model
        let tokenizer = try SentenceEncoder(directory: try TextGoldens.modelDirectory()).tokenizer
        let fourLayers = model.truncated(toLayers: 4)
        let segments = SegmentStates.split(try model.truncated(toLayers: 3).hiddenStates(Self.texts.map { tokenizer.encode($0, maxLength: 128) }))
        let sequences = [[segments[0], segments[1]], [segments[2]], [segments[0], segments[3], segments[2]], [segments[3], segments[0]]]
        let fast = fourLayers.lastLayerFirstRows(sequences)
        let full = fourLayers.continuing(SegmentStates.pack(sequences, width: 384), layers: 3..<4)
        var worst: Float = 0
        for s in 0..<sequences.count {
            let reference = Array(full.vector(sequence: s, token: 0))
            for j in 0..<384 { worst = max(worst, abs(fast[s * 384 + j] - reference[j])) }
        }
        print("[CLS]-only last layer vs full layer: max |Δ| \(worst)")
        #expect(worst < 1e-4)
        #expect(fourLayers.lastLayerFirstRows([]).isEmpty)
    }

    /// A join below the last layer runs the middle layers over the stacked rows; scores by text and by
    /// precomputed states agree, and half-precision states move scores by little.
    @Test func joinsBelowTheLastLayerAndCachedStatesScoreAlike() throws {
        let folder = try TemporaryFolder(), directory = folder.path
        for file in ["model.safetensors", "manifest.json"] {
            try FileManager.default.copyItem(atPath: Self.shipped + "/" + file, toPath: directory + "/" + file)
        }
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.shipped + "/config.json"))) as! [String: Any]
        config["memoir_join_layer"] = 3
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        let shipped = try CrossEncoder(directory: Self.shipped)
        let early = try CrossEncoder(directory: directory)
        #expect(early.joinLayer == 3 && early.interactionKey != shipped.interactionKey)
        for encoder in [shipped, early] {
            let byText = try encoder.logits(query: Self.texts[0], passages: Array(Self.texts[1...]))
            let states = try encoder.segmentStates(Self.texts)
            let byStates = try encoder.logits(query: states[0], passages: Array(states[1...]))
            let halved = try encoder.logits(query: states[0], passages: states[1...].map { $0.roundedToHalfPrecision() })
            for i in 0..<byText.count {
                #expect(abs(byText[i][0] - byStates[i][0]) < 1e-4)
                #expect(abs(byText[i][0] - halved[i][0]) < 2e-2, "half precision moved a score by \(abs(byText[i][0] - halved[i][0]))")
            }
            // Round trip of the cache format.
            let restored = SegmentStates(halfPrecisionData: states[1].halfPrecisionData(), rows: states[1].rows, width: states[1].width)
            #expect(restored == states[1].roundedToHalfPrecision())
            #expect(SegmentStates(halfPrecisionData: Data(count: 7), rows: 1, width: 384) == nil)
        }
        #expect(abs((try shipped.logits(query: Self.texts[0], passages: [Self.texts[1]]))[0][0] - (try early.logits(query: Self.texts[0], passages: [Self.texts[1]]))[0][0]) > 1e-3,
                "a different join is a different model")
    }

    @Test func joinLayerOutsideTheModelIsRefused() throws {
        let folder = try TemporaryFolder(), directory = folder.path
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.shipped + "/config.json"))) as! [String: Any]
        config["memoir_join_layer"] = 6
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: directory + "/config.json"))
        #expect { try BertConfig(contentsOf: directory + "/config.json") } throws: { "\($0)".contains("memoir_join_layer 6") }
    }
}
