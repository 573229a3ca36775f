import Foundation

/// Whether a point is in Japan: within `margin` metres of the box of some municipality (`MunicipalityExtent`, the
/// 気象庁's polygons). Unlike the rough range 緯度 20–46 / 経度 122–154 (which `CoordinateCheck` uses to tell a
/// swapped pair), this leaves out Seoul, Busan, Vladivostok, Taipei and the sea between.
///
/// The boxes are indexed by a grid of `cellSize`° cells: a cell holds the boxes (grown by the margin) that touch it,
/// so a point is tested against the few boxes of its cell — tens of nanoseconds, nothing next to parsing a row.
enum JapanExtent {
    /// A point this close to a municipality's box is in Japan: a pier, a breakwater, a lighthouse on a reef, or the
    /// coarseness of the 気象庁 polygons near the coast.
    static let margin = 5_000.0
    static let cellSize = 0.25

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
        /// Per cell, the boxes touching it.
        var cells: [[Box]]
    }

    private static let grid: Grid = {
        let metresPerDegree = 2 * Double.pi * 6_371_008.8 / 360
        let boxes = MunicipalityExtent.all.values.map { extent -> Box in
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
        let south = (boxes.map(\.south).min() ?? 0).rounded(.down)
        let west = (boxes.map(\.west).min() ?? 0).rounded(.down)
        let north = (boxes.map(\.north).max() ?? 0).rounded(.up)
        let east = (boxes.map(\.east).max() ?? 0).rounded(.up)
        let rows = Int(((north - south) / cellSize).rounded(.up))
        let columns = Int(((east - west) / cellSize).rounded(.up))
        var cells = [[Box]](repeating: [], count: rows * columns)
        for box in boxes {
            let firstRow = Int((box.south - south) / cellSize)
            let lastRow = min(rows - 1, Int((box.north - south) / cellSize))
            let firstColumn = Int((box.west - west) / cellSize)
            let lastColumn = min(columns - 1, Int((box.east - west) / cellSize))
            for row in firstRow...lastRow {
                for column in firstColumn...lastColumn { cells[row * columns + column].append(box) }
            }
        }
        return Grid(south: south, west: west, rows: rows, columns: columns, cells: cells)
    }()

    /// True when the point (JGD2011/WGS 84 degrees) is within `margin` of a municipality of Japan.
    static func contains(longitude: Double, latitude: Double) -> Bool {
        let grid = grid
        let rowPosition = (latitude - grid.south) / cellSize
        let columnPosition = (longitude - grid.west) / cellSize
        guard rowPosition >= 0, columnPosition >= 0, rowPosition < Double(grid.rows), columnPosition < Double(grid.columns) else {
            return false
        }
        let boxes = grid.cells[Int(rowPosition) * grid.columns + Int(columnPosition)]
        return boxes.contains { $0.contains(longitude: longitude, latitude: latitude) }
    }
}
