/// A 4×4 homogeneous transform from voxel indices to world millimetres (row-major, last row 0 0 0 1).
public struct AffineTransform: Sendable, Equatable, CustomStringConvertible {
    /// The top three rows, row-major: [r00 r01 r02 t0, r10 r11 r12 t1, r20 r21 r22 t2].
    public var rows: [Double]

    public init(rows: [Double]) {
        precondition(rows.count == 12, "an affine needs 12 values (3 rows of 4)")
        self.rows = rows
    }

    public static let identity = AffineTransform(rows: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])

    /// Diagonal scaling with a translation: the usual shape of a template grid's affine.
    public static func diagonal(_ scale: (Double, Double, Double), origin: (Double, Double, Double)) -> AffineTransform {
        AffineTransform(rows: [scale.0, 0, 0, origin.0, 0, scale.1, 0, origin.1, 0, 0, scale.2, origin.2])
    }

    public func apply(_ x: Double, _ y: Double, _ z: Double) -> (Double, Double, Double) {
        let m = rows
        return (m[0] * x + m[1] * y + m[2] * z + m[3],
                m[4] * x + m[5] * y + m[6] * z + m[7],
                m[8] * x + m[9] * y + m[10] * z + m[11])
    }

    /// self ∘ other: first `other`, then `self`.
    public func composed(with other: AffineTransform) -> AffineTransform {
        let a = rows, b = other.rows
        var out = [Double](repeating: 0, count: 12)
        for i in 0..<3 {
            for j in 0..<4 {
                var s = 0.0
                for k in 0..<3 { s += a[i * 4 + k] * b[k * 4 + j] }
                if j == 3 { s += a[i * 4 + 3] }
                out[i * 4 + j] = s
            }
        }
        return AffineTransform(rows: out)
    }

    public var determinant: Double {
        let m = rows
        return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8])
    }

    /// The inverse transform, or nil when the linear part is singular.
    public func inverted() -> AffineTransform? {
        let m = rows, det = determinant
        guard abs(det) > 1e-12 else { return nil }
        let inv = 1 / det
        let r00 = (m[5] * m[10] - m[6] * m[9]) * inv, r01 = (m[2] * m[9] - m[1] * m[10]) * inv, r02 = (m[1] * m[6] - m[2] * m[5]) * inv
        let r10 = (m[6] * m[8] - m[4] * m[10]) * inv, r11 = (m[0] * m[10] - m[2] * m[8]) * inv, r12 = (m[2] * m[4] - m[0] * m[6]) * inv
        let r20 = (m[4] * m[9] - m[5] * m[8]) * inv, r21 = (m[1] * m[8] - m[0] * m[9]) * inv, r22 = (m[0] * m[5] - m[1] * m[4]) * inv
        let t0 = -(r00 * m[3] + r01 * m[7] + r02 * m[11])
        let t1 = -(r10 * m[3] + r11 * m[7] + r12 * m[11])
        let t2 = -(r20 * m[3] + r21 * m[7] + r22 * m[11])
        return AffineTransform(rows: [r00, r01, r02, t0, r10, r11, r12, t1, r20, r21, r22, t2])
    }

    /// Column lengths of the linear part: the voxel size in millimetres.
    public var voxelSize: (Double, Double, Double) {
        let m = rows
        func norm(_ c: Int) -> Double { (m[c] * m[c] + m[4 + c] * m[4 + c] + m[8 + c] * m[8 + c]).squareRoot() }
        return (norm(0), norm(1), norm(2))
    }

    public func isClose(to other: AffineTransform, tolerance: Double = 1e-4) -> Bool {
        zip(rows, other.rows).allSatisfy { abs($0 - $1) <= tolerance }
    }

    public var description: String {
        (0..<3).map { i in "[" + (0..<4).map { j in String(rows[i * 4 + j]) }.joined(separator: " ") + "]" }.joined(separator: " ")
    }
}
