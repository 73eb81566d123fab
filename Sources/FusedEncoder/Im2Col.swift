import Numerics

/// Unfolds a channel-first volume into the im2col matrix of a cubic convolution:
/// row r = ((c·k + kx)·k + ky)·k + kz (the order of a PyTorch weight's trailing dims), column = output
/// voxel (ox, oy, oz) with oz fastest. Out-of-range taps read the zero padding.
enum Im2Col {
    static func fill(input: UnsafePointer<Float>, channels: Int, shape s: SpatialShape, kernel k: Int, stride: Int,
                     padding pad: Int, output o: SpatialShape, columns: UnsafeMutablePointer<Float>) {
        let rows = channels * k * k * k, p = o.count
        let src = SharedBuffer(input), dst = SharedBuffer(columns)
        // Rows are independent and each is a whole output volume: split rows across cores, with at
        // least ~32 K floats per chunk so small layers do not pay thread hand-off for nothing.
        Parallel.forEachChunk(count: rows, minimumChunk: max(1, (1 << 15) / max(p, 1))) { range in
            for r in range {
                let kz = r % k, ky = (r / k) % k, kx = (r / (k * k)) % k, c = r / (k * k * k)
                fillRow(channel: src.base + c * s.count, shape: s, kx: kx, ky: ky, kz: kz, stride: stride, padding: pad,
                        output: o, xs: 0..<o.x, row: dst.base + r * p)
            }
        }
    }

    /// The columns of the output x-slices `xs` only (`xs.count · o.y · o.z` columns per row), on the
    /// calling thread: the tile one worker multiplies while it is still in cache.
    static func fillSlab(input: UnsafePointer<Float>, channels: Int, shape s: SpatialShape, kernel k: Int, stride: Int,
                         padding pad: Int, output o: SpatialShape, xs: Range<Int>, columns: UnsafeMutablePointer<Float>) {
        let width = xs.count * o.y * o.z
        for r in 0..<(channels * k * k * k) {
            let kz = r % k, ky = (r / k) % k, kx = (r / (k * k)) % k, c = r / (k * k * k)
            fillRow(channel: UnsafeMutablePointer(mutating: input) + c * s.count, shape: s, kx: kx, ky: ky, kz: kz, stride: stride,
                    padding: pad, output: o, xs: xs, row: columns + r * width)
        }
    }

    /// One im2col row: the input shifted by (kx, ky, kz) − padding and sampled every `stride` voxels.
    @inline(__always)
    private static func fillRow(channel: UnsafeMutablePointer<Float>, shape s: SpatialShape, kx: Int, ky: Int, kz: Int,
                                stride: Int, padding: Int, output o: SpatialShape, xs: Range<Int>, row: UnsafeMutablePointer<Float>) {
        // Output z range whose tap iz = oz·stride − padding + kz lies inside [0, Z).
        let lead = padding - kz
        let zLo = min(o.z, lead <= 0 ? 0 : (lead + stride - 1) / stride)
        let last = s.z - 1 + padding - kz
        let zHi = max(zLo, last < 0 ? 0 : min(o.z, last / stride + 1))
        let plane = o.y * o.z
        for ox in xs {
            let ix = ox * stride - padding + kx
            let planeOut = row + (ox - xs.lowerBound) * plane
            guard ix >= 0, ix < s.x else { planeOut.initialize(repeating: 0, count: plane); continue }
            for oy in 0..<o.y {
                let iy = oy * stride - padding + ky
                let line = planeOut + oy * o.z
                guard iy >= 0, iy < s.y else { line.initialize(repeating: 0, count: o.z); continue }
                let input = channel + (ix * s.y + iy) * s.z
                if zLo > 0 { line.initialize(repeating: 0, count: zLo) }
                if stride == 1 {
                    if zHi > zLo { (line + zLo).update(from: input + (zLo - lead), count: zHi - zLo) }
                } else {
                    var iz = zLo * stride - lead
                    for oz in zLo..<zHi { line[oz] = input[iz]; iz += stride }
                }
                if zHi < o.z { (line + zHi).initialize(repeating: 0, count: o.z - zHi) }
            }
        }
    }
}
