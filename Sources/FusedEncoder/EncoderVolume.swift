/// One preprocessed volume as the ResNet takes it: [X, Y, Z] with Z fastest (the memory order of a
/// nibabel array turned into a torch tensor), already normalised.
public struct EncoderVolume: Sendable, Equatable {
    public var shape: SpatialShape
    public var values: [Float]
    /// Where it came from (a file path), for error messages.
    public var source: String

    public init(shape: SpatialShape, values: [Float], source: String = "volume") {
        precondition(values.count == shape.count, "\(values.count) values do not fill a \(shape) volume")
        self.shape = shape
        self.values = values
        self.source = source
    }
}
