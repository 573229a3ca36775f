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
        let maker = TileMaker(store: store, layer: layer, selector: selector, datasets: datasets, merged: merged)
        let writer = try PMTilesWriter(writingTo: destination)
        let world = StoredDataset.Envelope(minX: -180, minY: -85.06, maxX: 180, maxY: 85.06)
        // Where the records are: their points, and the boxes of their lines and polygons.
        let points = try store.points(in: selector, box: world)
        var boxes: [StoredDataset.Envelope] = []
        if try store.hasShapes(selector) {
            for feature in try store.features(meeting: world, in: selector) {
                if let box = TileMaker.place(geometry: feature.geometry, longitude: feature.longitude, latitude: feature.latitude) {
                    boxes.append(box)
                }
            }
        }
        var count = 0
        for zoom in zooms {
            // The tiles that hold something at this zoom (a record near an edge is in its neighbour's buffer too).
            var addresses = Set<Int64>()
            let side = 1 << zoom
            let buffer = Double(TileMaker.buffer) / Double(TileMaker.extent)
            let projection = TileProjection(zoom: zoom, x: 0, y: 0, extent: 1)
            func cover(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) {
                let (x0, y1) = projection.project(longitude: minX, latitude: minY)
                let (x1, y0) = projection.project(longitude: maxX, latitude: maxY)
                let columns = max(0, Int((x0 - buffer).rounded(.down)))...min(side - 1, Int((x1 + buffer).rounded(.down)))
                let rows = max(0, Int((y0 - buffer).rounded(.down)))...min(side - 1, Int((y1 + buffer).rounded(.down)))
                guard !columns.isEmpty, !rows.isEmpty else { return }
                for x in columns { for y in rows { addresses.insert(Int64(x) << 32 | Int64(y)) } }
            }
            for point in points { cover(point.longitude, point.latitude, point.longitude, point.latitude) }
            for box in boxes { cover(box.minX, box.minY, box.maxX, box.maxY) }
            for address in addresses.sorted() {
                let x = Int(address >> 32)
                let y = Int(address & 0xFFFF_FFFF)
                try writer.add(z: zoom, x: x, y: y, try maker.tile(zoom: zoom, x: x, y: y))
                count += 1
            }
            progress?(zoom, addresses.count)
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
