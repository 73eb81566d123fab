/// A ResNet BasicBlock with batch norm folded: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)),
/// where the shortcut is the identity or, when the stride or width changes, MONAI's type B
/// (1×1×1 conv + BN).
struct BasicBlock: Sendable {
    let conv1: Conv3D
    let conv2: Conv3D
    let downsample: Conv3D?

    /// `outputShape` is the block's output size, which picks the faster algorithm for its stride-1 convolutions.
    init(weights: EncoderWeights, prefix: String, input: Int, output: Int, stride: Int, outputShape: SpatialShape, epsilon: Double) throws {
        conv1 = try weights.foldedConv(prefix + ".conv1", bn: prefix + ".bn1", in: input, out: output, kernel: 3, stride: stride,
                                       padding: 1, epsilon: epsilon)
            .usingWinograd(whenFasterFor: outputShape)
        conv2 = try weights.foldedConv(prefix + ".conv2", bn: prefix + ".bn2", in: output, out: output, kernel: 3, stride: 1,
                                       padding: 1, epsilon: epsilon)
            .usingWinograd(whenFasterFor: outputShape)
        downsample = stride != 1 || input != output
            ? try weights.foldedConv(prefix + ".downsample.conv", bn: prefix + ".downsample.bn", in: input, out: output, kernel: 1,
                                     stride: stride, padding: 0, epsilon: epsilon)
            : nil
    }

    func apply(_ x: FeatureMap, workspace: ConvWorkspace) -> FeatureMap {
        let hidden = conv1.apply(x, relu: true, workspace: workspace)
        let shortcut = downsample?.apply(x, relu: false, workspace: workspace) ?? x
        return conv2.apply(hidden, residual: shortcut, relu: true, workspace: workspace)
    }

    func flops(_ input: SpatialShape) -> Double {
        let mid = conv1.outputShape(input)
        return conv1.flops(input) + conv2.flops(mid) + (downsample?.flops(input) ?? 0)
    }
}
