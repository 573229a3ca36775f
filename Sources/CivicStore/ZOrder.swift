/// The store's spatial index for points: each point's cell on a 2²⁴ × 2²⁴ grid over lon/lat (about 2 m), its two
/// coordinates' bits interleaved (a Z-order, or Morton, code), kept in a B-tree index. A box becomes a few ranges of
/// codes (the quadtree cells that cover it), each one index range scan; the exact coordinates are then checked.
///
/// Chosen over SQLite's R*Tree because loading is the bottleneck: an R*Tree insert cost about 11 µs per point, more
/// than reading and validating the record, where an integer index insert costs about 2 µs (`bench/load`); for
/// points, ranges of a Z-order answer a box as well.
enum ZOrder {
    static let bits = 24
    static let side = UInt64(1) << UInt64(bits)

    /// The grid cell of a longitude (x) or latitude (y), clamped to the grid.
    static func cell(x: Double) -> UInt64 { quantize((x + 180) / 360) }
    static func cell(y: Double) -> UInt64 { quantize((y + 90) / 180) }

    private static func quantize(_ unit: Double) -> UInt64 {
        guard unit.isFinite else { return 0 }
        let scaled = (unit * Double(side)).rounded(.down)
        return UInt64(max(0, min(Double(side - 1), scaled)))
    }

    /// The code of a point.
    static func code(x: Double, y: Double) -> Int64 { Int64(bitPattern: interleave(cell(x: x), cell(y: y))) }

    /// x's bits at the even positions, y's at the odd ones.
    static func interleave(_ x: UInt64, _ y: UInt64) -> UInt64 { spread(x) | (spread(y) << 1) }

    private static func spread(_ value: UInt64) -> UInt64 {
        var v = value & 0xFF_FFFF
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        v = (v | (v << 2)) & 0x3333_3333_3333_3333
        v = (v | (v << 1)) & 0x5555_5555_5555_5555
        return v
    }

    /// Ranges of codes (inclusive, ascending, not overlapping) whose cells cover the box (lon/lat, west ≤ east):
    /// every point inside has its code in one of them. At most about `limit` ranges: near the limit the cells are
    /// coarser, so a range may also hold points just outside, which the exact check removes.
    static func ranges(minX: Double, minY: Double, maxX: Double, maxY: Double, limit: Int = 32) -> [ClosedRange<Int64>] {
        let x0 = cell(x: minX), x1 = cell(x: maxX), y0 = cell(y: minY), y1 = cell(y: maxY)
        guard x0 <= x1, y0 <= y1 else { return [] }
        // The level whose cells are about as large as the box; three levels finer at most.
        let extent = max(x1 - x0, y1 - y0) + 1
        var start = 0
        while start < bits && (side >> UInt64(start + 1)) >= extent { start += 1 }
        var ranges: [(UInt64, UInt64)] = []
        var level = min(bits, start + 3)
        // Coarser until the cover fits the limit.
        while true {
            ranges = []
            cover(level: 0, x: 0, y: 0, deepest: level, box: (x0, y0, x1, y1), into: &ranges)
            if ranges.count <= limit || level <= start { break }
            level -= 1
        }
        return ranges.map { Int64(bitPattern: $0.0)...Int64(bitPattern: $0.1) }
    }

    /// The quadtree cell at `level` whose lower corner is (x, y) in grid cells: its codes if it lies in the box (or
    /// is as deep as allowed and touches it), else its children's.
    private static func cover(
        level: Int,
        x: UInt64,
        y: UInt64,
        deepest: Int,
        box: (UInt64, UInt64, UInt64, UInt64),
        into ranges: inout [(UInt64, UInt64)]
    ) {
        let size = side >> UInt64(level)
        let (x0, y0, x1, y1) = box
        guard x + size - 1 >= x0, x <= x1, y + size - 1 >= y0, y <= y1 else { return }
        let inside = x >= x0 && x + size - 1 <= x1 && y >= y0 && y + size - 1 <= y1
        if inside || level == deepest {
            let low = interleave(x, y)
            let high = low + size * size - 1
            if let last = ranges.last, last.1 + 1 == low {
                ranges[ranges.count - 1].1 = high
            } else {
                ranges.append((low, high))
            }
            return
        }
        let half = size / 2
        // Children in Z order: (0,0), (1,0), (0,1), (1,1) — x is the low bit.
        cover(level: level + 1, x: x, y: y, deepest: deepest, box: box, into: &ranges)
        cover(level: level + 1, x: x + half, y: y, deepest: deepest, box: box, into: &ranges)
        cover(level: level + 1, x: x, y: y + half, deepest: deepest, box: box, into: &ranges)
        cover(level: level + 1, x: x + half, y: y + half, deepest: deepest, box: box, into: &ranges)
    }
}
