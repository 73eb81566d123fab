/// A channel-first activation [C, X, Y, Z] with Z fastest in memory, as PyTorch holds one batch item
/// of a [B, C, X, Y, Z] tensor made from a nibabel array.
public struct FeatureMap: Sendable, Equatable {
    public var channels: Int
    public var shape: SpatialShape
    public var values: [Float]

    public init(channels: Int, shape: SpatialShape, values: [Float]) {
        precondition(values.count == channels * shape.count, "\(values.count) values do not fill \(channels)×\(shape)")
        self.channels = channels
        self.shape = shape
        self.values = values
    }

    /// A map whose storage the caller fills completely before reading it (no zeroing pass).
    static func uninitialized(channels: Int, shape: SpatialShape) -> FeatureMap {
        let count = channels * shape.count
        return FeatureMap(channels: channels, shape: shape,
                          values: [Float](unsafeUninitializedCapacity: count) { _, n in n = count })
    }

    /// Element (c, x, y, z).
    public subscript(c: Int, x: Int, y: Int, z: Int) -> Float {
        values[c * shape.count + shape.index(x, y, z)]
    }
}

/// Spatial extent [X, Y, Z] of a volume or feature map; Z varies fastest.
public struct SpatialShape: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var x: Int, y: Int, z: Int

    public init(_ x: Int, _ y: Int, _ z: Int) { (self.x, self.y, self.z) = (x, y, z) }
    public init(_ dims: [Int]) {
        precondition(dims.count == 3, "a spatial shape has three sizes, got \(dims)")
        self.init(dims[0], dims[1], dims[2])
    }

    public var count: Int { x * y * z }
    public var dims: [Int] { [x, y, z] }
    @inline(__always) public func index(_ i: Int, _ j: Int, _ k: Int) -> Int { (i * y + j) * z + k }

    /// PyTorch's output size for a convolution or pooling window: ⌊(d + 2p − k)/s⌋ + 1.
    public func window(kernel: Int, stride: Int, padding: Int) -> SpatialShape {
        func out(_ d: Int) -> Int {
            let span = d + 2 * padding - kernel
            return span < 0 ? 0 : span / stride + 1
        }
        return SpatialShape(out(x), out(y), out(z))
    }

    public var description: String { "\(x)×\(y)×\(z)" }
}
