import Numerics

/// Looks tensors up across one or more safetensors files, first file first, so that a small
/// file of changed tensors (a fine-tuned head) can overlay a base checkpoint. Names are tried
/// as given and with/without the `bert.` prefix, since `BertModel` checkpoints omit it and
/// `BertFor…` checkpoints include it.
public struct WeightStore: Sendable {
    public let files: [SafeTensorsFile]

    public init(files: [SafeTensorsFile]) { self.files = files }

    public init(paths: [String]) throws {
        self.files = try paths.map { path in
            do { return try SafeTensorsFile(path: path) } catch let error as MappedFileError {
                throw TextModelError.missingFile(path: path, hint: error.reason)
            }
        }
    }

    public func contains(_ name: String) -> Bool { locate(name) != nil }

    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let (file, key) = locate(name) else {
            throw TextModelError.missingWeight(name: name, searched: files.map(\.path))
        }
        do {
            return try file.tensor(key, shape: shape)
        } catch let SafeTensorsError.shapeMismatch(path, _, expected, actual) {
            throw TextModelError.weightShape(name: key, path: path, expected: expected, actual: actual)
        }
    }

    private func locate(_ name: String) -> (SafeTensorsFile, String)? {
        let bare = name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
        for file in files {
            for candidate in [name, "bert." + bare, bare] where file.contains(candidate) {
                return (file, candidate)
            }
        }
        return nil
    }
}
