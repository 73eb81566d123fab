import Numerics

/// A convolution input zero-padded and split by voxel position modulo the stride (a polyphase split):
/// phase (a, b, c) holds padded voxels (s·i + a, s·j + b, s·k + c). A tap (kx, ky, kz) of a stride-s
/// convolution then reads phase (kx mod s, ky mod s, kz mod s) at (o + kx div s, …): for every output line
/// a contiguous, in-range run, so im2col rows are plain copies with no strided gathers and no padding
/// tests. For stride 1 this is just the padded input. Only the phases some tap reads are built: a 1×1×1
/// stride-2 shortcut needs phase (0, 0, 0) alone.
struct StridePhases {
    let stride: Int
    /// Phases per axis: min(stride, kernel).
    let phasesPerAxis: Int
    /// Extent of every phase (the largest one's; shorter phases are zero-filled at the end).
    let size: SpatialShape
    /// [channel][a][b][c][size] with a, b, c < phasesPerAxis, Z fastest.
    var values: [Float]

    init(_ input: FeatureMap, kernel: Int, stride: Int, padding: Int) {
        let (s, channels) = (input.shape, input.channels)
        func extent(_ d: Int) -> Int { (d + 2 * padding + stride - 1) / stride }
        let size = SpatialShape(extent(s.x), extent(s.y), extent(s.z))
        let m = min(stride, kernel), phases = m * m * m, count = channels * phases * size.count
        self.stride = stride
        phasesPerAxis = m
        self.size = size
        values = [Float](repeating: 0, count: count)
        input.values.withUnsafeBufferPointer { source in values.withUnsafeMutableBufferPointer { out in
            let src = SharedBuffer(source.baseAddress!), dst = SharedBuffer(out.baseAddress!)
            Parallel.forEachChunk(count: channels * phases, minimumChunk: max(1, (1 << 15) / max(1, size.count))) { range in
                for index in range {
                    let c = index / phases, phase = index % phases
                    let (a, b, cz) = (phase / (m * m), (phase / m) % m, phase % m)
                    let channel = src.base + c * s.count, target = dst.base + index * size.count
                    // Phase z index k reads input z = s·k + cz − padding: the range of k inside [0, Z).
                    let kLo = max(0, (padding - cz + stride - 1) / stride)
                    let last = s.z - 1 + padding - cz
                    let kHi = last < 0 ? 0 : min(size.z, last / stride + 1)
                    guard kHi > kLo else { continue }
                    for i in 0..<size.x {
                        let x = stride * i + a - padding
                        guard x >= 0, x < s.x else { continue }
                        for j in 0..<size.y {
                            let y = stride * j + b - padding
                            guard y >= 0, y < s.y else { continue }
                            let line = channel + (x * s.y + y) * s.z, row = target + (i * size.y + j) * size.z
                            if stride == 1 {
                                (row + kLo).update(from: line + (kLo - padding), count: kHi - kLo)
                            } else {
                                var z = stride &* kLo &+ cz &- padding
                                for k in kLo..<kHi { row[k] = line[z]; z &+= stride }
                            }
                        }
                    }
                }
            }
        } }
    }

    /// The start of tap (kx, ky, kz)'s source for output line (ox, oy) of input channel `c`: `o.z`
    /// contiguous values, one per output z.
    @inline(__always)
    func source(_ base: UnsafePointer<Float>, channel c: Int, kx: Int, ky: Int, kz: Int, ox: Int, oy: Int) -> UnsafePointer<Float> {
        let (s, m) = (stride, phasesPerAxis)
        let phase = ((kx % s) * m + ky % s) * m + kz % s
        return base + ((c * m * m * m + phase) * size.x + ox + kx / s) * size.y * size.z
            + (oy + ky / s) * size.z + kz / s
    }
}
