import Foundation

/// Whether a point is in Japan: within `margin` metres of the box of some municipality (`MunicipalityExtent`, the
/// 気象庁's polygons). Unlike the rough range 緯度 20–46 / 経度 122–154 (which `CoordinateCheck` uses to tell a
/// swapped pair), this leaves out Seoul, Busan, Vladivostok, Taipei and the sea between.
///
/// The boxes are indexed by a grid of `cellSize`° cells: a cell that one box (grown by the margin) covers answers at
/// once; any other holds the boxes that touch it, and a point is tested against those few — nanoseconds per point,
/// nothing next to parsing a row.
enum JapanExtent {
    /// A point this close to a municipality's box is in Japan: a pier, a breakwater, a lighthouse on a reef, or the
    /// coarseness of the 気象庁 polygons near the coast.
    static let margin = 5_000.0
    static let cellSize = 0.05

    /// A box grown by the margin, in degrees.
    private struct Box {
        var south: Double, west: Double, north: Double, east: Double

        func contains(longitude: Double, latitude: Double) -> Bool {
            latitude >= south && latitude <= north && longitude >= west && longitude <= east
        }
    }

    private struct Grid {
        var south: Double, west: Double
        var rows: Int, columns: Int
        /// Per cell: true when one box covers all of it (the point is in Japan without a box test).
        var covered: [Bool]
        /// The boxes touching cell `i` are `boxes[starts[i]..<starts[i + 1]]`.
        var starts: [Int32]
        var boxes: [Box]
    }

    private static let grid: Grid = {
        let metresPerDegree = 2 * Double.pi * 6_371_008.8 / 360
        let grown = MunicipalityExtent.all.keys.sorted().compactMap { MunicipalityExtent.all[$0] }.map { extent -> Box in
            let latitudeMargin = margin / metresPerDegree
            // The widest longitude margin the box needs: at its latitude farthest from the equator.
            let longitudeMargin = margin / (metresPerDegree * cos(max(abs(extent.north), abs(extent.south)) * Double.pi / 180))
            return Box(
                south: extent.south - latitudeMargin,
                west: extent.west - longitudeMargin,
                north: extent.north + latitudeMargin,
                east: extent.east + longitudeMargin
            )
        }
        let south = (grown.map(\.south).min() ?? 0).rounded(.down)
        let west = (grown.map(\.west).min() ?? 0).rounded(.down)
        let north = (grown.map(\.north).max() ?? 0).rounded(.up)
        let east = (grown.map(\.east).max() ?? 0).rounded(.up)
        let rows = Int(((north - south) / cellSize).rounded(.up))
        let columns = Int(((east - west) / cellSize).rounded(.up))
        var cells = [[Int]](repeating: [], count: rows * columns)
        var covered = [Bool](repeating: false, count: rows * columns)
        for (index, box) in grown.enumerated() {
            let firstRow = Int((box.south - south) / cellSize)
            let lastRow = min(rows - 1, Int((box.north - south) / cellSize))
            let firstColumn = Int((box.west - west) / cellSize)
            let lastColumn = min(columns - 1, Int((box.east - west) / cellSize))
            for row in firstRow...lastRow {
                for column in firstColumn...lastColumn {
                    let cell = row * columns + column
                    let cellSouth = south + Double(row) * cellSize
                    let cellWest = west + Double(column) * cellSize
                    if box.south <= cellSouth && box.north >= cellSouth + cellSize && box.west <= cellWest && box.east >= cellWest + cellSize {
                        covered[cell] = true
                    }
                    cells[cell].append(index)
                }
            }
        }
        var starts: [Int32] = [0]
        var boxes: [Box] = []
        for (cell, members) in cells.enumerated() {
            if !covered[cell] { boxes += members.map { grown[$0] } }
            starts.append(Int32(boxes.count))
        }
        return Grid(south: south, west: west, rows: rows, columns: columns, covered: covered, starts: starts, boxes: boxes)
    }()

    /// True when the point (JGD2011/WGS 84 degrees) is within `margin` of a municipality of Japan.
    static func contains(longitude: Double, latitude: Double) -> Bool {
        let grid = grid
        let rowPosition = (latitude - grid.south) / cellSize
        let columnPosition = (longitude - grid.west) / cellSize
        guard rowPosition >= 0, columnPosition >= 0, rowPosition < Double(grid.rows), columnPosition < Double(grid.columns) else {
            return false
        }
        let cell = Int(rowPosition) * grid.columns + Int(columnPosition)
        if grid.covered[cell] { return true }
        for index in Int(grid.starts[cell])..<Int(grid.starts[cell + 1]) where grid.boxes[index].contains(longitude: longitude, latitude: latitude) {
            return true
        }
        return false
    }
}
