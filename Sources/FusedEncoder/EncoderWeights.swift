import Numerics

/// The encoder checkpoint (model.safetensors, F32 or F16), looked up by the exact PyTorch state-dict
/// names with their shapes checked, so a checkpoint that does not fit config.json fails at load with
/// the tensor named rather than producing wrong numbers.
public struct EncoderWeights: Sendable {
    public let file: SafeTensorsFile
    public var path: String { file.path }

    public init(file: SafeTensorsFile) { self.file = file }

    public init(path: String) throws {
        do { file = try SafeTensorsFile(path: path) } catch let error as MappedFileError {
            throw EncoderError.missingFile(path: path, hint: error.reason)
        }
    }

    public func contains(_ name: String) -> Bool { file.contains(name) }

    /// The tensor `name` decoded to Float32, required to have exactly `shape`.
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let entry = file.entries[name] else { throw EncoderError.missingTensor(name: name, path: path) }
        guard entry.shape == shape else { throw EncoderError.tensorShape(name: name, path: path, expected: shape, actual: entry.shape) }
        guard entry.dtype.isFloatingPoint else { throw EncoderError.tensorType(name: name, path: path, dtype: entry.dtype.rawValue) }
        return try file.tensor(name, shape: shape)
    }

    /// `prefix.weight` [out, in] and `prefix.bias` [out] as a `LinearLayer`.
    func linear(_ prefix: String, out: Int, in input: Int) throws -> LinearLayer {
        LinearLayer(weight: try tensor(prefix + ".weight", shape: [out, input]), bias: try tensor(prefix + ".bias", shape: [out]))
    }

    /// A LayerNorm's `prefix.weight` and `prefix.bias`.
    func layerNorm(_ prefix: String, width: Int, epsilon: Double) throws -> LayerNormParameters {
        LayerNormParameters(gamma: try tensor(prefix + ".weight", shape: [width]).scalars,
                            beta: try tensor(prefix + ".bias", shape: [width]).scalars, epsilon: Float(epsilon))
    }

    /// A BatchNorm3d's affine parameters and running statistics.
    func batchNorm(_ prefix: String, channels: Int, epsilon: Double) throws -> BatchNormParameters {
        BatchNormParameters(
            gamma: try tensor(prefix + ".weight", shape: [channels]).scalars,
            beta: try tensor(prefix + ".bias", shape: [channels]).scalars,
            mean: try tensor(prefix + ".running_mean", shape: [channels]).scalars,
            variance: try tensor(prefix + ".running_var", shape: [channels]).scalars,
            epsilon: epsilon)
    }

    /// A bias-free Conv3d `prefix.weight` [out, in, k, k, k] with the BatchNorm3d `bn` folded in.
    func foldedConv(_ prefix: String, bn: String, in input: Int, out: Int, kernel: Int, stride: Int, padding: Int,
                    epsilon: Double) throws -> Conv3D {
        let weight = try tensor(prefix + ".weight", shape: [out, input, kernel, kernel, kernel])
        let norm = try batchNorm(bn, channels: out, epsilon: epsilon)
        return Conv3D(folding: weight, batchNorm: norm, stride: stride, padding: padding)
    }
}
