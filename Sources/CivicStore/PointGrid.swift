import CivicGeo
import Dispatch
import GRDB
import GRDBSQLite
import Synchronization

/// One version's point index (`point`: Z-order code, position, exact coordinates) read into memory, in code order:
/// a box's points are found by binary search on the ranges that cover it and checked against the box in a tight
/// loop, about 100 times faster than stepping SQLite through the same index entries — which, for a box of thousands
/// of features on a million-point version, was most of a page's time (counting them, then sorting them into file
/// order to cut the page). 28 bytes a point.
final class PointGrid: Sendable {
    /// The state of the version the grid was read at (`Store.versionState`): a grid whose state is not the reader's is
    /// not used.
    let state: VersionState
    private let codes: [Int64]
    private let positions: [UInt32]
    private let longitudes: [Double]
    private let latitudes: [Double]

    var count: Int { codes.count }

    init(state: VersionState, codes: [Int64], positions: [UInt32], longitudes: [Double], latitudes: [Double]) {
        self.state = state
        self.codes = codes
        self.positions = positions
        self.longitudes = longitudes
        self.latitudes = latitudes
    }

    /// Reads `version`'s points in index order, in the caller's read transaction. `expected`: about how many there
    /// are (the arrays are made that size at once, rather than grown by doubling to up to twice it).
    static func read(version: Int64, state: VersionState, expected: Int = 0, _ db: Database) throws -> PointGrid {
        var codes: [Int64] = []
        var positions: [UInt32] = []
        var longitudes: [Double] = []
        var latitudes: [Double] = []
        codes.reserveCapacity(expected)
        positions.reserveCapacity(expected)
        longitudes.reserveCapacity(expected)
        latitudes.reserveCapacity(expected)
        let statement = try db.makeStatement(sql: "SELECT z, key, lon, lat FROM point WHERE version = ? ORDER BY z, key")
        try statement.setArguments([version])
        let handle = statement.sqliteStatement
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                sqlite3_reset(handle)
                throw StoreError(code: .query, message: "reading the point index of version \(version): SQLite result \(code)")
            }
            codes.append(sqlite3_column_int64(handle, 0))
            positions.append(UInt32(truncatingIfNeeded: sqlite3_column_int64(handle, 1)))
            longitudes.append(sqlite3_column_double(handle, 2))
            latitudes.append(sqlite3_column_double(handle, 3))
        }
        sqlite3_reset(handle)
        return PointGrid(state: state, codes: codes, positions: positions, longitudes: longitudes, latitudes: latitudes)
    }

    /// The positions (record order in the version) of the points inside one of `boxes` (lon/lat, edges included),
    /// found in `ranges` (the boxes' Z-order cover, ascending); in no particular order.
    func positions(in ranges: [ClosedRange<Int64>], boxes: [StoredDataset.Envelope]) -> [UInt32] {
        var found: [UInt32] = []
        points(in: ranges, boxes: boxes) { position, _, _ in found.append(position) }
        return found
    }

    /// Hands `body` the position, longitude and latitude of each point inside one of `boxes` (edges included), found
    /// in `ranges` (their Z-order cover, ascending).
    @inline(__always)
    func points(in ranges: [ClosedRange<Int64>], boxes: [StoredDataset.Envelope], _ body: (UInt32, Double, Double) -> Void) {
        codes.withUnsafeBufferPointer { codes in
            for range in ranges {
                var index = PointGrid.firstIndex(in: codes, notBelow: range.lowerBound)
                while index < codes.count && codes[index] <= range.upperBound {
                    let x = longitudes[index]
                    let y = latitudes[index]
                    for box in boxes where x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY {
                        body(positions[index], x, y)
                        break
                    }
                    index += 1
                }
            }
        }
    }

    // MARK: Clusters for vector tiles

    /// A zoom's points gathered on the grid of cells tiles cluster on (`cellsPerSide` a side per tile): each cell's
    /// key — tile x, tile y, cell — in order, its count, the sum of its points' positions in tile units, and its first
    /// point's position (record order).
    struct ZoomCells: Sendable {
        var keys: [Int64] = []
        var counts: [UInt32] = []
        var sumX: [Double] = []
        var sumY: [Double] = []
        var first: [UInt32] = []
    }

    static let cellsPerSide = TileMaker.extent / TileMaker.clusterCell
    private let zoomCells = Mutex<[Int: ZoomCells]>([:])

    /// Gathers the cells of zoom 0 upwards while some tile of the zoom holds more than `clusterAbove` points (the
    /// zooms whose dense tiles are clusters), at most to zoom 21.
    func gatherCells(extent: Double, clusterAbove: Int) {
        for zoom in 0...21 {
            let cells = cells(zoom: zoom, extent: extent)
            // The densest tile: the most points under one tile key.
            var densest = 0
            var current: Int64 = -1
            var count = 0
            for (key, cellCount) in zip(cells.keys, cells.counts) {
                let tile = key >> 12
                if tile != current {
                    current = tile
                    count = 0
                }
                count += Int(cellCount)
                densest = max(densest, count)
            }
            if densest <= clusterAbove { return }
        }
    }

    /// The cells of `zoom`, gathered on first use (one pass over the points and a sort) and kept with the grid.
    func cells(zoom: Int, extent: Double) -> ZoomCells {
        if let known = zoomCells.withLock({ $0[zoom] }) { return known }
        let scale = Double(1 << zoom)
        let side = Double(PointGrid.cellsPerSide)
        // Positions in tiles of the zoom (the whole world's tile grid: tile 0, 0 at one unit a tile).
        let world = TileProjection(zoom: zoom, x: 0, y: 0, extent: 1)
        var entries: [(key: Int64, x: Double, y: Double, position: UInt32)] = []
        entries.reserveCapacity(codes.count)
        for index in 0..<codes.count {
            let (worldX, worldY) = world.project(longitude: longitudes[index], latitude: latitudes[index])
            let tileX = min(max(worldX.rounded(.down), 0), scale - 1)
            let tileY = min(max(worldY.rounded(.down), 0), scale - 1)
            let localX = (worldX - tileX) * extent
            let localY = (worldY - tileY) * extent
            let cell =
                Int64(min(side - 1, (localY / extent * side).rounded(.down))) * Int64(side)
                + Int64(min(side - 1, (localX / extent * side).rounded(.down)))
            entries.append(((Int64(tileX) << 22 | Int64(tileY)) << 12 | cell, localX, localY, positions[index]))
        }
        entries.sort { $0.key < $1.key }
        var cells = ZoomCells()
        for entry in entries {
            if let last = cells.keys.last, last == entry.key {
                let index = cells.keys.count - 1
                cells.counts[index] += 1
                cells.sumX[index] += entry.x
                cells.sumY[index] += entry.y
                cells.first[index] = min(cells.first[index], entry.position)
            } else {
                cells.keys.append(entry.key)
                cells.counts.append(1)
                cells.sumX.append(entry.x)
                cells.sumY.append(entry.y)
                cells.first.append(entry.position)
            }
        }
        zoomCells.withLock { $0[zoom] = cells }
        return cells
    }

    /// The first index of sorted `codes` whose value is not below `value` (binary search).
    static func firstIndex(in codes: UnsafeBufferPointer<Int64>, notBelow value: Int64) -> Int {
        var low = 0
        var high = codes.count
        while low < high {
            let middle = (low + high) / 2
            if codes[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The `count` smallest of `values`, ascending (a page's positions in file order without sorting the whole box).
    static func smallest(_ count: Int, of values: [UInt32]) -> [UInt32] {
        guard count < values.count / 8 else { return Array(values.sorted().prefix(count)) }
        guard count > 0 else { return [] }
        // A max-heap of the `count` smallest so far.
        var heap: [UInt32] = []
        heap.reserveCapacity(count)
        for value in values {
            if heap.count < count {
                heap.append(value)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard heap[parent] < heap[child] else { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if value < heap[0] {
                heap[0] = value
                var parent = 0
                while true {
                    let left = 2 * parent + 1
                    guard left < count else { break }
                    let right = left + 1
                    let larger = right < count && heap[right] > heap[left] ? right : left
                    guard heap[larger] > heap[parent] else { break }
                    heap.swapAt(parent, larger)
                    parent = larger
                }
            }
        }
        return heap.sorted()
    }
}

/// What is read of a version and kept (a point grid, a box's count) depends on: the last change logged on its dataset
/// (an edit in place logs one) and the version's `loaded_at`, when it was made or last edited (a key SQLite reuses
/// after a version is deleted is another version, made at another time).
struct VersionState: Hashable, Sendable {
    var change: Int64
    var madeAt: String
}

/// The grids of the versions boxes were asked of, within a budget of points (least recently used dropped first). A
/// missing or out-of-date grid is read in the background while readers use SQL; one small enough is read at once.
final class PointGrids: Sendable {
    private struct Entry {
        var grid: PointGrid
        var used: UInt64
    }

    private struct State {
        var entries: [Int64: Entry] = [:]
        var building: Set<Int64> = []
        /// When each version's last background read started: under a stream of edits a large version is read again
        /// at most once a second (SQL answers in between).
        var started: [Int64: ContinuousClock.Instant] = [:]
        var clock: UInt64 = 0
        var points = 0
    }

    /// How many points may be held, and which versions are read at once.
    struct Limits: Sendable {
        /// At most this many points in memory (28 bytes each): 4,000,000 is about 110 MiB. 0: no grids (SQL alone).
        var budget = 4_000_000
        /// A version with at most this many points is read in the request that needs it (a few milliseconds), a
        /// larger one in the background.
        var readAtOnce = 50_000
        /// Whether a grid read in the background gathers the cells of its clustering zooms at once (a server's
        /// first tiles), or each zoom's on first use (`civic tiles`, which asks only its zoom range: less memory).
        var gatherCells = true
    }

    private let state = Mutex(State())
    private let settings = Mutex(Limits())
    private let pending = DispatchGroup()

    var limits: Limits {
        get { settings.withLock { $0 } }
        set {
            settings.withLock { $0 = newValue }
            state.withLock { $0 = State() }
        }
    }

    /// The grid of `version` at `state`, if there is one.
    func grid(version: Int64, state wanted: VersionState) -> PointGrid? {
        state.withLock { state in
            guard var entry = state.entries[version], entry.grid.state == wanted else { return nil }
            state.clock += 1
            entry.used = state.clock
            state.entries[version] = entry
            return entry.grid
        }
    }

    func store(_ grid: PointGrid, version: Int64) {
        let budget = limits.budget
        guard grid.count <= budget else { return }
        state.withLock { state in
            state.clock += 1
            state.points -= state.entries[version]?.grid.count ?? 0
            state.entries[version] = Entry(grid: grid, used: state.clock)
            state.points += grid.count
            while state.points > budget, let oldest = state.entries.min(by: { $0.value.used < $1.value.used }) {
                state.entries[oldest.key] = nil
                state.points -= oldest.value.grid.count
            }
        }
    }

    /// Starts reading `version`'s grid in the background unless it is being read already; `read` opens its own
    /// read transaction.
    func build(version: Int64, _ read: @escaping @Sendable () throws -> PointGrid) {
        let now = ContinuousClock.now
        let started = state.withLock { state -> Bool in
            if let last = state.started[version], now - last < .seconds(1) { return false }
            guard state.building.insert(version).inserted else { return false }
            if state.started.count > 1024 { state.started.removeAll() }
            state.started[version] = now
            return true
        }
        guard started else { return }
        pending.enter()
        DispatchQueue.global(qos: .utility).async { [self] in
            defer {
                state.withLock { state in _ = state.building.remove(version) }
                pending.leave()
            }
            // A grid that cannot be read is not kept: readers go on with SQL.
            guard let grid = try? read() else { return }
            store(grid, version: version)
            // A large version's cells of the zooms whose tiles cluster, gathered now rather than by a tile's first
            // request (a pass and a sort over a million points is a tenth of a second).
            if limits.gatherCells { grid.gatherCells(extent: Double(TileMaker.extent), clusterAbove: TileMaker.clusterAbove) }
        }
    }

    /// Waits for the grids being read (tests).
    func waitForBuilds() { pending.wait() }
}
