import Crypto
import Foundation
import Numerics

/// A model directory that ships only the tensors fine-tuning changed (`model.safetensors`, any float
/// dtype) plus `manifest.json` naming the base model they overlay. Loading merges the overlay over
/// the base checkpoint; tokenizer files come from the base when the overlay has none.
///
/// The base is found from an explicit directory, then the manifest's `base` (relative paths are
/// relative to the overlay), then `ModelLocator` when the base is all-MiniLM-L6-v2. Its weights must
/// hash to the manifest's `base_weights_sha256`: a different base would silently give other scores.
public struct WeightOverlay: Sendable {
    public static let manifestName = "manifest.json"
    /// Largest manifest read (real ones list a few hundred tensor names: tens of kilobytes).
    static let maximumManifestBytes = 4 << 20

    public struct Manifest: Codable, Sendable, Equatable {
        public var format: String
        public var baseModel: String
        public var baseWeightsSHA256: String?
        public var base: String?
        public var dtype: String?
        public var tensors: [String]?
        /// The pair length the model was trained at; `CrossEncoder` truncates to it.
        public var maxLength: Int?
        /// A reranker's weight w of the retrieval score in its ordering, logit + w · similarity, chosen on
        /// validation queries by the trainer (absent: 0, the cross-encoder alone).
        public var retrievalWeight: Double?

        enum CodingKeys: String, CodingKey {
            case format, base, dtype, tensors
            case baseModel = "base_model", baseWeightsSHA256 = "base_weights_sha256", maxLength = "max_length"
            case retrievalWeight = "retrieval_weight"
        }
    }

    public let directory: String
    public let manifest: Manifest
    /// The base model directory the overlay was merged over.
    public let baseDirectory: String
    public var overlayWeightsPath: String { directory + "/model.safetensors" }
    public var baseWeightsPath: String { baseDirectory + "/model.safetensors" }
    /// Where `vocab.txt` and `tokenizer_config.json` are read: beside the overlay if it has them, else the base.
    public var tokenizerDirectory: String {
        FileManager.default.fileExists(atPath: directory + "/vocab.txt") ? directory : baseDirectory
    }

    /// The overlay in `directory`, or nil when it has no manifest (a complete Hugging Face directory).
    public static func load(directory: String, baseDirectory explicitBase: String? = nil) throws -> WeightOverlay? {
        let manifestPath = directory + "/" + manifestName
        guard FileManager.default.fileExists(atPath: manifestPath) else { return nil }
        let manifest: Manifest
        let data: Data
        do { data = try RegularFile.contents(manifestPath, maxBytes: Self.maximumManifestBytes) } catch let error as MappedFileError {
            throw TextModelError.invalidConfig(path: manifestPath, reason: "cannot read: \(error.reason)")
        }
        do { manifest = try JSONDecoder().decode(Manifest.self, from: data) } catch {
            throw TextModelError.invalidConfig(path: manifestPath, reason: "not a weight-overlay manifest: \(error)")
        }
        if let maxLength = manifest.maxLength, !BertConfig.sequenceLengthRange.contains(maxLength) {
            throw TextModelError.invalidConfig(path: manifestPath, reason: "'max_length' \(maxLength) must be in \(BertConfig.sequenceLengthRange) "
                + "([CLS] query [SEP] passage [SEP] needs at least 3 positions)")
        }
        if let weight = manifest.retrievalWeight, !weight.isFinite || abs(weight) > 1_000 {
            throw TextModelError.invalidConfig(path: manifestPath, reason: "'retrieval_weight' \(weight) must be a finite number within ±1000")
        }
        for file in ["config.json", "model.safetensors"] where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw TextModelError.missingFile(path: directory + "/" + file, hint: "A weight overlay holds config.json, model.safetensors and \(manifestName).")
        }
        let base = try locateBase(manifest: manifest, overlay: directory, explicit: explicitBase)
        return WeightOverlay(directory: directory, manifest: manifest, baseDirectory: base)
    }

    /// Checks the base's hash and that every overlay tensor replaces a base tensor of the same shape
    /// (the classifier head, absent from a sentence-embedding base, is shape-checked at load instead).
    public func validate(overlay: SafeTensorsFile, base: SafeTensorsFile) throws {
        if let expected = manifest.baseWeightsSHA256?.lowercased() {
            let actual = try Self.sha256(ofFile: baseWeightsPath)
            guard actual == expected else {
                throw TextModelError.invalidConfig(path: directory + "/" + Self.manifestName,
                    reason: "the overlay was trained over \(manifest.baseModel) weights with sha256 \(expected), but \(baseWeightsPath) has sha256 \(actual); point it at the right base (--base / manifest 'base')")
            }
        }
        for name in overlay.tensorNames where !name.hasPrefix("classifier.") {
            let bare = name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
            guard let baseEntry = [name, bare, "bert." + bare].lazy.compactMap({ base.entries[$0] }).first else {
                throw TextModelError.invalidConfig(path: overlay.path, reason: "overlay tensor '\(name)' is not in the base model \(base.path)")
            }
            let shape = overlay.entries[name]!.shape
            guard shape == baseEntry.shape else {
                throw TextModelError.weightShape(name: name, path: overlay.path, expected: baseEntry.shape, actual: shape)
            }
        }
    }

    static func locateBase(manifest: Manifest, overlay: String, explicit: String?) throws -> String {
        let hint = "The reranker in \(overlay) holds only fine-tuned tensors over \(manifest.baseModel); install the base (Scripts/setup.sh), set MEMOIR_MINILM_DIR, or name it in \(manifestName) 'base'."
        var candidate: (path: String, origin: String)?
        if let explicit {
            candidate = (explicit, "explicit base")
        } else if let base = manifest.base, !base.isEmpty {
            candidate = (base.hasPrefix("/") ? base : overlay + "/" + base, "\(manifestName) 'base'")
        }
        if let candidate {
            guard FileManager.default.fileExists(atPath: candidate.path + "/model.safetensors") else {
                throw TextModelError.modelNotFound(searched: ["\(candidate.path) (\(candidate.origin))"], hint: hint)
            }
            return candidate.path
        }
        guard manifest.baseModel == "all-MiniLM-L6-v2" else {
            throw TextModelError.modelNotFound(searched: [], hint: hint)
        }
        do {
            return try ModelLocator.sentenceModelDirectory()
        } catch let TextModelError.modelNotFound(searched, _) {
            throw TextModelError.modelNotFound(searched: searched, hint: hint)
        }
    }

    /// Lower-case hex SHA-256 of a string's UTF-8 bytes.
    public static func sha256(of text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Lower-case hex SHA-256, read in chunks so the base is not mapped twice.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TextModelError.missingFile(path: path, hint: "cannot open the base weights")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}
