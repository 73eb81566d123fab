import Foundation
import Numerics

/// Smoothing and connected components on volumes (the generator's anatomy tools).
public enum VolumeFilters {
    /// Separable Gaussian blur with `sigma` in voxels (kernel truncated at 3σ, edges clamped).
    public static func gaussianSmooth(_ values: [Float], shape: (Int, Int, Int), sigma: Double) -> [Float] {
        guard sigma > 0 else { return values }
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var a = values
        var b = [Float](repeating: 0, count: values.count)
        let (nx, ny, nz) = shape
        let strides = [1, nx, nx * ny], lengths = [nx, ny, nz]
        for axis in 0..<3 {
            let stride = strides[axis], length = lengths[axis]
            let k = kernel
            a.withUnsafeBufferPointer { src in b.withUnsafeMutableBufferPointer { dst in
                let s = SharedBuffer(src.baseAddress!), d = SharedBuffer(dst.baseAddress!)
                Parallel.forEachChunk(count: nz) { slices in
                    for z in slices {
                        for y in 0..<ny {
                            for x in 0..<nx {
                                let position = [x, y, z][axis]
                                let base = x + nx * (y + ny * z) - position * stride
                                var acc: Float = 0
                                for t in -radius...radius {
                                    let p = min(max(position + t, 0), length - 1)
                                    acc += k[t + radius] * s.base[base + p * stride]
                                }
                                d.base[base + position * stride] = acc
                            }
                        }
                    }
                }
            } }
            swap(&a, &b)
        }
        return a
    }

    /// 6-connected components of `mask`: a label per voxel (0 = background) and each label's size.
    public static func connectedComponents(_ mask: [Bool], shape: (Int, Int, Int)) -> (labels: [Int32], sizes: [Int]) {
        let (nx, ny, nz) = shape
        var labels = [Int32](repeating: 0, count: mask.count)
        var sizes = [0]
        var stack: [Int] = []
        for start in mask.indices where mask[start] && labels[start] == 0 {
            let label = Int32(sizes.count)
            var size = 0
            labels[start] = label
            stack.append(start)
            while let v = stack.popLast() {
                size += 1
                let x = v % nx, y = (v / nx) % ny, z = v / (nx * ny)
                for (ok, n) in [(x > 0, v - 1), (x < nx - 1, v + 1), (y > 0, v - nx), (y < ny - 1, v + nx),
                                (z > 0, v - nx * ny), (z < nz - 1, v + nx * ny)] where ok && mask[n] && labels[n] == 0 {
                    labels[n] = label
                    stack.append(n)
                }
            }
            sizes.append(size)
        }
        return (labels, sizes)
    }
}
