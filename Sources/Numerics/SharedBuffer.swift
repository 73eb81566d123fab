/// A Float buffer address handed to parallel workers. Each worker must touch a disjoint
/// range; that discipline, not the type system, keeps it race-free.
public struct SharedBuffer: @unchecked Sendable {
    public let base: UnsafeMutablePointer<Float>
    public init(_ base: UnsafeMutablePointer<Float>) { self.base = base }
    public init(_ base: UnsafePointer<Float>) { self.base = UnsafeMutablePointer(mutating: base) }
}
