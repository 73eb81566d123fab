import Numerics

/// Unfolds a channel-first volume into the im2col matrix of a cubic convolution:
/// row r = ((c·k + kx)·k + ky)·k + kz (the order of a PyTorch weight's trailing dims), column = output
/// voxel (ox, oy, oz) with oz fastest. Reads the input through its `StridePhases`, so every row is
/// a run of contiguous copies and out-of-range taps read the phases' zero padding.
enum Im2Col {
    static func fill(phases: StridePhases, base: UnsafePointer<Float>, channels: Int, kernel k: Int, output o: SpatialShape,
                     columns: UnsafeMutablePointer<Float>) {
        let rows = channels * k * k * k, p = o.count
        let src = SharedBuffer(base), dst = SharedBuffer(columns)
        // Rows are independent and each is a whole output volume: split rows across cores, with at
        // least ~32 K floats per chunk so small layers do not pay thread hand-off for nothing.
        Parallel.forEachChunk(count: rows, minimumChunk: max(1, (1 << 15) / max(p, 1))) { range in
            for r in range {
                fillRow(r, phases: phases, base: src.base, kernel: k, output: o, xs: 0..<o.x, row: dst.base + r * p)
            }
        }
    }

    /// The columns of the output x-slices `xs` only (`xs.count · o.y · o.z` columns per row), on the
    /// calling thread: the tile one worker multiplies while it is still in cache.
    static func fillSlab(phases: StridePhases, base: UnsafePointer<Float>, channels: Int, kernel k: Int, output o: SpatialShape,
                         xs: Range<Int>, columns: UnsafeMutablePointer<Float>) {
        let width = xs.count * o.y * o.z
        for r in 0..<(channels * k * k * k) {
            fillRow(r, phases: phases, base: base, kernel: k, output: o, xs: xs, row: columns + r * width)
        }
    }

    /// One im2col row, output x-slices `xs`: one copy of `o.z` values per output line.
    @inline(__always)
    private static func fillRow(_ r: Int, phases: StridePhases, base: UnsafePointer<Float>, kernel k: Int, output o: SpatialShape,
                                xs: Range<Int>, row: UnsafeMutablePointer<Float>) {
        let kz = r % k, ky = (r / k) % k, kx = (r / (k * k)) % k, c = r / (k * k * k)
        let lineStep = phases.size.z, planeStep = phases.size.y * phases.size.z
        let first = phases.source(base, channel: c, kx: kx, ky: ky, kz: kz, ox: xs.lowerBound, oy: 0)
        var out = row
        for ox in 0..<xs.count {
            var line = first + ox * planeStep
            for _ in 0..<o.y {
                out.update(from: line, count: o.z)
                out += o.z
                line += lineStep
            }
        }
    }
}
