import Foundation
import Numerics

/// A sentence-transformers BERT model (e.g. all-MiniLM-L6-v2): tokenise, encode, pool over all
/// tokens, and L2-normalise when the model's `modules.json` ends with `Normalize`.
public struct SentenceEncoder: Sendable {
    public enum Pooling: String, Sendable { case mean, cls }

    public let directory: String
    public let model: BertModel
    public let tokenizer: WordPieceTokenizer
    public let maxLength: Int
    public let pooling: Pooling
    public let normalizes: Bool

    public var dimension: Int { model.config.hiddenSize }

    public init(directory: String) throws {
        try ModelLocator.checkModelFiles(in: directory)
        let config = try BertConfig(contentsOf: directory + "/config.json")
        self.directory = directory
        self.model = try BertModel(config: config, weights: WeightStore(paths: [directory + "/model.safetensors"]))
        self.tokenizer = try WordPieceTokenizer(vocabularyFile: directory + "/vocab.txt",
                                                lowercase: try Self.lowercases(directory: directory))
        self.maxLength = min(try Self.declaredMaxLength(directory: directory) ?? config.maxPositions, config.maxPositions)
        (pooling, normalizes) = try Self.pipeline(directory: directory)
    }

    /// Embeddings of `texts`, in order. Texts are grouped by length into batches of
    /// `batchSize`, as sentence-transformers does.
    public func encode(_ texts: [String], batchSize: Int = 32) throws -> [[Float]] {
        let inputs = texts.map { tokenizer.encode($0, maxLength: maxLength) }
        let order = inputs.indices.sorted { inputs[$0].count > inputs[$1].count }
        var result = [[Float]](repeating: [], count: texts.count)
        for batchStart in stride(from: 0, to: order.count, by: max(1, batchSize)) {
            let batch = Array(order[batchStart..<min(batchStart + max(1, batchSize), order.count)])
            let states = try model.hiddenStates(batch.map { inputs[$0] })
            for (position, index) in batch.enumerated() {
                var vector = pooling == .mean ? states.meanPooled(sequence: position)
                                              : Array(states.vector(sequence: position, token: 0))
                if normalizes { VectorOps.l2Normalize(&vector) }
                result[index] = vector
            }
        }
        return result
    }

    public func encode(_ text: String) throws -> [Float] { try encode([text], batchSize: 1)[0] }

    // MARK: Reading the sentence-transformers module files

    /// Largest module JSON file read (real ones are a few kilobytes).
    static let maximumJSONBytes = 4 << 20

    /// A module file's bytes, or nil when there is none; a directory, FIFO or oversized file is an error naming it.
    static func contents(_ path: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return try RegularFile.contents(path, maxBytes: maximumJSONBytes) } catch let error as MappedFileError {
            throw TextModelError.invalidConfig(path: path, reason: "cannot read: \(error.reason)")
        }
    }

    /// A module file's JSON object, or nil when there is none; anything else there is an error naming it.
    static func json(_ path: String) throws -> [String: Any]? {
        guard let data = try contents(path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw TextModelError.invalidConfig(path: path, reason: "not a JSON object")
        }
        return object
    }

    static func lowercases(directory: String) throws -> Bool {
        try json(directory + "/tokenizer_config.json")?["do_lower_case"] as? Bool ?? true
    }

    /// sentence_bert_config.json's `max_seq_length`: nil when absent, an error unless a whole number the tokenizer
    /// can use (at least [CLS] and [SEP] and one piece, at most `BertConfig.sequenceLengthRange`).
    static func declaredMaxLength(directory: String) throws -> Int? {
        let path = directory + "/sentence_bert_config.json"
        guard let raw = try json(path)?["max_seq_length"] else { return nil }
        let range = BertConfig.sequenceLengthRange
        guard let number = raw as? NSNumber, number.doubleValue == number.doubleValue.rounded(),
              Double(range.lowerBound)...Double(range.upperBound) ~= number.doubleValue else {
            throw TextModelError.invalidConfig(path: path, reason: "'max_seq_length' must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return Int(number.doubleValue)
    }

    private static func pipeline(directory: String) throws -> (Pooling, Bool) {
        let modulesPath = directory + "/modules.json"
        guard let data = try contents(modulesPath) else { return (.mean, false) }
        guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw TextModelError.invalidConfig(path: modulesPath, reason: "not a JSON array of modules")
        }
        let types = modules.compactMap { $0["type"] as? String }
        var pooling = Pooling.mean
        if let poolingModule = modules.first(where: { ($0["type"] as? String)?.hasSuffix("Pooling") == true }) {
            let path = directory + "/" + (poolingModule["path"] as? String ?? "1_Pooling") + "/config.json"
            guard let config = try json(path) else { throw TextModelError.missingFile(path: path, hint: "The Pooling module needs its config.json.") }
            if config["pooling_mode_mean_tokens"] as? Bool == true {
                pooling = .mean
            } else if config["pooling_mode_cls_token"] as? Bool == true {
                pooling = .cls
            } else {
                throw TextModelError.unsupported(path: path, reason: "only mean or CLS pooling is implemented")
            }
        }
        if let unknown = types.first(where: { !$0.hasSuffix("Transformer") && !$0.hasSuffix("Pooling") && !$0.hasSuffix("Normalize") }) {
            throw TextModelError.unsupported(path: modulesPath, reason: "module \(unknown)")
        }
        return (pooling, types.contains { $0.hasSuffix("Normalize") })
    }
}
