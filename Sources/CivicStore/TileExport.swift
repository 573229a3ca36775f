public import CivicData
public import CivicGeo
public import Foundation

/// A collection's vector tiles written to a PMTiles archive (`civic tiles`), for static hosting: every tile of the
/// zoom range that holds a record — the tiles the server would make (`TileMaker`) — in one file that the `pmtiles`
/// package and MapLibre's pmtiles protocol read.
public enum TileExport {
    public struct Summary: Sendable {
        public var tiles: Int
        /// Tiles made (with something near them), of which `tiles` held features.
        public var visited: Int
        public var bytes: Int
    }

    /// Writes the tiles of `selector` (its datasets `datasets`, layer `layer`) for zooms `zooms` to `destination`;
    /// `progress` is told each zoom as it is done.
    public static func write(
        store: Store,
        layer: String,
        selector: CollectionSelector,
        datasets: [StoredDataset],
        merged: Bool,
        zooms: ClosedRange<Int>,
        to destination: URL,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> Summary {
        // Cells of the clustering zooms gathered when a tile of the range needs them, not all at once.
        store.grids.limits.gatherCells = false
        let maker = TileMaker(store: store, layer: layer, selector: selector, datasets: datasets, merged: merged)
        let writer = try PMTilesWriter(writingTo: destination)
        let world = StoredDataset.Envelope(minX: -180, minY: -85.06, maxX: 180, maxY: 85.06)
        // The tiles that hold something at each zoom (a record near an edge is in its neighbour's buffer too): one
        // pass over the points, streamed from the index, and the boxes of the lines and polygons.
        var addresses = [Set<Int64>](repeating: [], count: zooms.count)
        let buffer = Double(TileMaker.buffer) / Double(TileMaker.extent)
        let projections = zooms.map { TileProjection(zoom: $0, x: 0, y: 0, extent: 1) }
        func cover(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) {
            for (index, zoom) in zooms.enumerated() {
                let side = 1 << zoom
                let (x0, y1) = projections[index].project(longitude: minX, latitude: minY)
                let (x1, y0) = projections[index].project(longitude: maxX, latitude: maxY)
                let columns = max(0, Int((x0 - buffer).rounded(.down)))...min(side - 1, Int((x1 + buffer).rounded(.down)))
                let rows = max(0, Int((y0 - buffer).rounded(.down)))...min(side - 1, Int((y1 + buffer).rounded(.down)))
                guard !columns.isEmpty, !rows.isEmpty else { continue }
                for x in columns { for y in rows { addresses[index].insert(Int64(x) << 32 | Int64(y)) } }
            }
        }
        try store.eachPoint(in: selector) { longitude, latitude in cover(longitude, latitude, longitude, latitude) }
        if try store.hasShapes(selector) {
            for feature in try store.features(meeting: world, in: selector) {
                if let box = TileMaker.place(geometry: feature.geometry, longitude: feature.longitude, latitude: feature.latitude) {
                    cover(box.minX, box.minY, box.maxX, box.maxY)
                }
            }
        }
        var count = 0
        for (index, zoom) in zooms.enumerated() {
            let tiles = addresses[index].sorted()
            addresses[index] = []
            for address in tiles {
                let x = Int(address >> 32)
                let y = Int(address & 0xFFFF_FFFF)
                try writer.add(z: zoom, x: x, y: y, try maker.tile(zoom: zoom, x: x, y: y))
                count += 1
            }
            progress?(zoom, tiles.count)
        }
        let fields = Dictionary(
            datasets.flatMap { dataset in
                dataset.columns.enumerated().map { index, name in
                    (name, index < dataset.numericColumns.count && dataset.numericColumns[index] ? "Number" : "String")
                }
            },
            uniquingKeysWith: { first, _ in first }
        )
        let bounds = StoredDataset.extent(of: datasets) ?? world
        try writer.finish(
            metadata: [
                "name": layer, "format": "pbf",
                "attribution": datasets.compactMap(\.attribution).first ?? "",
                "vector_layers": [["id": layer, "fields": fields, "minzoom": zooms.lowerBound, "maxzoom": zooms.upperBound]],
            ],
            minZoom: zooms.lowerBound,
            maxZoom: zooms.upperBound,
            bounds: (bounds.minX, bounds.minY, bounds.maxX, bounds.maxY),
            centerZoom: min(zooms.upperBound, max(zooms.lowerBound, 10))
        )
        let size = (try? FileManager.default.attributesOfItem(atPath: destination.path)[.size] as? NSNumber)?.intValue ?? 0
        return Summary(tiles: writer.addressed, visited: count, bytes: size)
    }
}
