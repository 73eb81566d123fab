/// Element-wise inner loops of the convolution epilogue and pooling, written as plain loops without
/// calls so LLVM vectorises them in release builds.
enum Elementwise {
    /// x ← [max(0, ·)](x + bias (+ residual)).
    @inline(__always)
    static func addBias(_ x: UnsafeMutablePointer<Float>, count: Int, bias: Float, residual: UnsafePointer<Float>?, relu: Bool) {
        switch (residual, relu) {
        case let (r?, true): for i in 0..<count { x[i] = max(0, x[i] + bias + r[i]) }
        case let (r?, false): for i in 0..<count { x[i] = x[i] + bias + r[i] }
        case (nil, true): for i in 0..<count { x[i] = max(0, x[i] + bias) }
        case (nil, false): for i in 0..<count { x[i] += bias }
        }
    }
}
