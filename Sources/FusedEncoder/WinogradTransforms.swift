/// The data transforms of `WinogradConv3D`, F(2, 3) along each axis:
///   input  Bᵀd: (d0 − d2, d1 + d2, d2 − d1, d1 − d3), d = four inputs starting one before the tile;
///   output Aᵀm: (m0 + m1 + m2, m1 − m2 − m3), the tile's two outputs.
/// Every step works on whole runs of tiles along z (the innermost, contiguous tile index), so the
/// loops are plain vector arithmetic that LLVM vectorises. Only additions: no rounding beyond float sums.
enum WinogradTransforms {
    /// Bᵀ d B along z, y and x for channels `channels` of every tile in tile rows `rows`, written as
    /// V[ξ][c][tile] (placed by `layout`) with tile = ((tx − rows.lowerBound)·tiling.y + ty)·tiling.z + tz.
    ///
    /// z goes first, row by row, into a layout that splits the padded rows into even and odd ones: the
    /// four rows a tile column reads (2ty − 1 … 2ty + 2) are then row ty of the even block, of the odd
    /// block, and row ty + 1 of each, so the y and x steps run over whole tile rows (ty, tz) at once.
    static func inputs(channels: Range<Int>, of input: UnsafeMutablePointer<Float>, shape s: SpatialShape,
                       tiling t: WinogradConv3D.Tiling, rows: Range<Int>, into v: UnsafeMutablePointer<Float>,
                       layout: WinogradConv3D.PointLayout) {
        let (ny, nz) = (t.y, t.z), row = ny * nz, half = (ny + 1) * nz, padded = 2 * nz + 2
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 32 * half + 64 * row + padded)
        defer { scratch.deallocate() }
        let zt = scratch, yt = scratch + 32 * half, line = yt + 64 * row
        // line[q] holds input z = q − 1: the zero padding before z = 0 and after the last voxel.
        line.initialize(repeating: 0, count: padded)
        for c in channels {
            let channel = input + c * s.count
            for tx in rows {
                // z: zt[a][ξz][even | odd][padded row / 2][tz] for x offset a and padded row p = iy + 1.
                for a in 0..<4 {
                    let ix = 2 * tx - 1 + a
                    for p in 0..<(2 * ny + 2) {
                        let iy = p - 1
                        let out = zt + ((a * 4 * 2 + (p & 1)) * (ny + 1) + p / 2) * nz, step = 2 * half
                        guard ix >= 0, ix < s.x, iy >= 0, iy < s.y else {
                            for pz in 0..<4 { (out + pz * step).update(repeating: 0, count: nz) }
                            continue
                        }
                        (line + 1).update(from: channel + (ix * s.y + iy) * s.z, count: s.z)
                        let (o0, o1, o2, o3) = (out, out + step, out + 2 * step, out + 3 * step)
                        for tz in 0..<nz {
                            let q = tz &* 2
                            let d0 = line[q], d1 = line[q &+ 1], d2 = line[q &+ 2], d3 = line[q &+ 3]
                            o0[tz] = d0 - d2
                            o1[tz] = d1 + d2
                            o2[tz] = d2 - d1
                            o3[tz] = d1 - d3
                        }
                    }
                }
                // y: rows 2ty − 1 + b are (even ty, odd ty, even ty + 1, odd ty + 1) → yt[a][ξy][ξz][ty][tz].
                for a in 0..<4 {
                    for pz in 0..<4 {
                        let even = zt + (a * 4 + pz) * 2 * half, odd = even + half, o = yt + (a * 16 + pz) * row
                        combineInputs(even, odd, even + nz, odd + nz, into: o, o + 4 * row, o + 8 * row, o + 12 * row, count: row)
                    }
                }
                // x: yt[a][ξy][ξz] → V[ξx][ξy][ξz], one whole tile row straight into the transformed inputs.
                let first = (tx - rows.lowerBound) * row
                for q in 0..<16 {
                    let r = yt + q * row
                    func target(_ px: Int) -> UnsafeMutablePointer<Float> { v + layout.row(px * 16 + q, c) + first }
                    combineInputs(r, r + 16 * row, r + 32 * row, r + 48 * row, into: target(0), target(1), target(2), target(3), count: row)
                }
            }
        }
    }

    /// Aᵀ M A along x, y and z for output channels `channels` of the tile rows `rows`, then bias, the
    /// residual and ReLU, written into the output map (tile overhang past an odd edge dropped).
    static func outputs(channels: Range<Int>, from m: UnsafeMutablePointer<Float>, layout: WinogradConv3D.PointLayout,
                        tiling t: WinogradConv3D.Tiling, rows: Range<Int>, shape o: SpatialShape, bias: [Float],
                        residual: UnsafeMutablePointer<Float>?, relu: Bool, into output: UnsafeMutablePointer<Float>) {
        let (ny, nz) = (t.y, t.z), row = ny * nz, pairs = o.z / 2
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: 48 * row)
        defer { scratch.deallocate() }
        let xt = scratch, yt = scratch + 32 * row
        for c in channels {
            for tx in rows {
                let first = (tx - rows.lowerBound) * row
                // x: M[ξx][ξy][ξz] → xt[i][ξy][ξz], whole tile rows.
                for q in 0..<16 {
                    func point(_ px: Int) -> UnsafeMutablePointer<Float> { m + layout.row(px * 16 + q, c) + first }
                    combineOutputs(point(0), point(1), point(2), point(3), into: xt + q * row, xt + (16 + q) * row, count: row)
                }
                // y: xt[i][ξy][ξz] → yt[i][j][ξz].
                for i in 0..<2 {
                    for pz in 0..<4 {
                        let r = xt + (i * 16 + pz) * row
                        combineOutputs(r, r + 4 * row, r + 8 * row, r + 12 * row, into: yt + (i * 8 + pz) * row, yt + (i * 8 + 4 + pz) * row, count: row)
                    }
                }
                // z: each tile's two outputs per tz, interleaved into the output line (2tx + i, 2ty + j).
                for i in 0..<2 where 2 * tx + i < o.x {
                    for j in 0..<2 {
                        let r = yt + (i * 2 + j) * 4 * row
                        for ty in 0..<ny where 2 * ty + j < o.y {
                            let m0 = r + ty * nz, m1 = m0 + row, m2 = m1 + row, m3 = m2 + row
                            let offset = c * o.count + ((2 * tx + i) * o.y + 2 * ty + j) * o.z
                            let line = output + offset
                            for tz in 0..<pairs {
                                line[tz &* 2] = m0[tz] + m1[tz] + m2[tz]
                                line[tz &* 2 &+ 1] = m1[tz] - m2[tz] - m3[tz]
                            }
                            if o.z % 2 == 1 { line[o.z - 1] = m0[pairs] + m1[pairs] + m2[pairs] }
                            Elementwise.addBias(line, count: o.z, bias: bias[c], residual: residual.map { UnsafePointer($0 + offset) }, relu: relu)
                        }
                    }
                }
            }
        }
    }

    /// (r0 − r2, r1 + r2, r2 − r1, r1 − r3) element-wise over `count` values.
    @inline(__always)
    private static func combineInputs(_ r0: UnsafeMutablePointer<Float>, _ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>,
                                      _ r3: UnsafeMutablePointer<Float>, into o0: UnsafeMutablePointer<Float>, _ o1: UnsafeMutablePointer<Float>,
                                      _ o2: UnsafeMutablePointer<Float>, _ o3: UnsafeMutablePointer<Float>, count: Int) {
        for k in 0..<count {
            let (a, b, c, d) = (r0[k], r1[k], r2[k], r3[k])
            o0[k] = a - c
            o1[k] = b + c
            o2[k] = c - b
            o3[k] = b - d
        }
    }

    /// (r0 + r1 + r2, r1 − r2 − r3) element-wise over `count` values.
    @inline(__always)
    private static func combineOutputs(_ r0: UnsafeMutablePointer<Float>, _ r1: UnsafeMutablePointer<Float>, _ r2: UnsafeMutablePointer<Float>,
                                       _ r3: UnsafeMutablePointer<Float>, into o0: UnsafeMutablePointer<Float>, _ o1: UnsafeMutablePointer<Float>,
                                       count: Int) {
        for k in 0..<count {
            let (a, b, c, d) = (r0[k], r1[k], r2[k], r3[k])
            o0[k] = a + b + c
            o1[k] = b - c - d
        }
    }
}
