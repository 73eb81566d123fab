/// One displayed slice: grey levels row by row from the top-left pixel, with what its edges face.
public struct GreySlice: Sendable, Equatable {
    public var plane: SlicePlane
    /// The slice's position along the plane's fixed world axis, counted towards +world (0 = the inferior,
    /// posterior or left-most slice for axial, coronal and sagittal), whatever the storage order.
    public var index: Int
    /// How many slices the plane has.
    public var count: Int
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    public var orientation: SliceOrientation
    public var window: IntensityWindow
}
