import CivicZlib
public import Foundation

/// Writes a PMTiles v3 archive (github.com/protomaps/PMTiles `spec/v3/spec.md`): a 127-byte header, a gzip-compressed
/// root directory within the first 16,384 bytes, gzip-compressed JSON metadata, leaf directories when the tiles do
/// not fit one root, then the tiles. Tiles are added in any order; each is gzip-compressed, identical tiles are kept
/// once (runs of them one entry), and the data is written in tile-ID (Hilbert) order, as readers expect of a
/// `clustered` archive. The tiles go to a temporary file as they come: memory holds the directory (24 bytes a tile).
public final class PMTilesWriter {
    struct Entry {
        var tileID: UInt64
        var offset: UInt64
        var length: UInt32
        var runLength: UInt32
    }

    private let destination: URL
    private let spool: URL
    private let handle: FileHandle
    private var written: UInt64 = 0
    private var tiles: [(id: UInt64, offset: UInt64, length: UInt32)] = []
    private var contents: [UInt64: (offset: UInt64, length: UInt32)] = [:]
    public private(set) var addressed = 0

    public init(writingTo destination: URL) throws {
        self.destination = destination
        spool = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).tiles")
        guard FileManager.default.createFile(atPath: spool.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: spool.path])
        }
        handle = try FileHandle(forWritingTo: spool)
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(at: spool)
    }

    /// Adds tile `z`/`x`/`y` (Mapbox Vector Tile bytes; an empty tile is left out).
    public func add(z: Int, x: Int, y: Int, _ tile: [UInt8]) throws {
        guard !tile.isEmpty else { return }
        let id = PMTilesWriter.tileID(z: z, x: x, y: y)
        var hash = Hasher()
        hash.combine(tile)
        let key = UInt64(bitPattern: Int64(hash.finalize())) ^ UInt64(tile.count) << 40
        addressed += 1
        if let known = contents[key] {
            tiles.append((id, known.offset, known.length))
            return
        }
        let compressed = try PMTilesWriter.gzip(tile)
        try handle.write(contentsOf: compressed)
        let place = (offset: written, length: UInt32(compressed.count))
        written += UInt64(compressed.count)
        contents[key] = place
        tiles.append((id, place.offset, place.length))
    }

    /// Writes the archive: `metadata` (TileJSON-like: `vector_layers` …), the zoom range, bounds (lon/lat) and centre.
    public func finish(
        metadata: [String: Any],
        minZoom: Int,
        maxZoom: Int,
        bounds: (west: Double, south: Double, east: Double, north: Double),
        centerZoom: Int
    ) throws {
        try handle.close()
        // Entries in tile-ID order, runs of the same content as one entry.
        tiles.sort { $0.id < $1.id }
        var entries: [Entry] = []
        for tile in tiles {
            if var last = entries.last, last.offset == tile.offset, last.tileID + UInt64(last.runLength) == tile.id {
                last.runLength += 1
                entries[entries.count - 1] = last
            } else {
                entries.append(Entry(tileID: tile.id, offset: tile.offset, length: tile.length, runLength: 1))
            }
        }
        let (root, leaves) = try PMTilesWriter.directories(entries)
        let meta = try PMTilesWriter.gzip(Array(try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys])))
        let rootOffset: UInt64 = 127
        let metaOffset = rootOffset + UInt64(root.count)
        let leavesOffset = metaOffset + UInt64(meta.count)
        let dataOffset = leavesOffset + UInt64(leaves.count)
        var header = Array("PMTiles".utf8) + [3]
        func u64(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { header += $0 } }
        func i32(_ value: Double) { withUnsafeBytes(of: Int32((value * 10_000_000).rounded()).littleEndian) { header += $0 } }
        u64(rootOffset)
        u64(UInt64(root.count))
        u64(metaOffset)
        u64(UInt64(meta.count))
        u64(leavesOffset)
        u64(UInt64(leaves.count))
        u64(dataOffset)
        u64(written)
        u64(UInt64(addressed))
        u64(UInt64(entries.count))
        u64(UInt64(contents.count))
        // Clustered; internal and tile compression gzip (2); tile type MVT (1); zooms.
        header += [1, 2, 2, 1, UInt8(minZoom), UInt8(maxZoom)]
        i32(bounds.west)
        i32(bounds.south)
        i32(bounds.east)
        i32(bounds.north)
        header.append(UInt8(centerZoom))
        i32((bounds.west + bounds.east) / 2)
        i32((bounds.south + bounds.north) / 2)
        precondition(header.count == 127)
        // The tiles' spool goes once they are copied (or the archive failed).
        defer { try? FileManager.default.removeItem(at: spool) }
        // The archive next to its destination, moved over it whole.
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: partial.path])
        }
        do {
            let out = try FileHandle(forWritingTo: partial)
            defer { try? out.close() }
            try out.write(contentsOf: header + root + meta + leaves)
            let input = try FileHandle(forReadingFrom: spool)
            defer { try? input.close() }
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
            try out.synchronize()
            if FileManager.default.fileExists(atPath: destination.path) {
                _ = try FileManager.default.replaceItemAt(destination, withItemAt: partial)
            } else {
                try FileManager.default.moveItem(at: partial, to: destination)
            }
        } catch {
            try? FileManager.default.removeItem(at: partial)
            throw error
        }
    }

    // MARK: Directories

    /// The root directory (gzip) and the leaf directories (gzip, one after another): one root when the entries fit
    /// 16,257 bytes, else leaves of a size that makes the root fit.
    static func directories(_ entries: [Entry]) throws -> ([UInt8], [UInt8]) {
        let root = try gzip(serialize(entries))
        if root.count <= 16_257 { return (root, []) }
        var leafSize = 4096
        while true {
            var rootEntries: [Entry] = []
            var leaves: [UInt8] = []
            for start in stride(from: 0, to: entries.count, by: leafSize) {
                let leaf = try gzip(serialize(Array(entries[start..<min(entries.count, start + leafSize)])))
                rootEntries.append(Entry(tileID: entries[start].tileID, offset: UInt64(leaves.count), length: UInt32(leaf.count), runLength: 0))
                leaves += leaf
            }
            let root = try gzip(serialize(rootEntries))
            if root.count <= 16_257 { return (root, leaves) }
            leafSize *= 2
        }
    }

    /// A directory's bytes: the count, then the columns — tile-ID deltas, run lengths, lengths, offsets (0 for one
    /// that follows the previous entry's bytes, else offset + 1) — as varints.
    static func serialize(_ entries: [Entry]) -> [UInt8] {
        var out: [UInt8] = []
        func varint(_ value: UInt64) {
            var value = value
            while value >= 0x80 {
                out.append(UInt8(value & 0x7F) | 0x80)
                value >>= 7
            }
            out.append(UInt8(value))
        }
        varint(UInt64(entries.count))
        var last: UInt64 = 0
        for entry in entries {
            varint(entry.tileID - last)
            last = entry.tileID
        }
        for entry in entries { varint(UInt64(entry.runLength)) }
        for entry in entries { varint(UInt64(entry.length)) }
        for (index, entry) in entries.enumerated() {
            if index > 0, entry.offset == entries[index - 1].offset + UInt64(entries[index - 1].length) {
                varint(0)
            } else {
                varint(entry.offset + 1)
            }
        }
        return out
    }

    /// The tile's ID: the tiles of the zooms before it, then its place on the zoom's Hilbert curve.
    public static func tileID(z: Int, x: Int, y: Int) -> UInt64 {
        var id: UInt64 = 0
        for level in 0..<z { id += UInt64(1) << (2 * level) }
        var tx = UInt64(x)
        var ty = UInt64(y)
        var distance: UInt64 = 0
        var s = UInt64(1) << z / 2
        while s > 0 {
            let rx: UInt64 = tx & s > 0 ? 1 : 0
            let ry: UInt64 = ty & s > 0 ? 1 : 0
            distance += s * s * ((3 * rx) ^ ry)
            // Rotate the quadrant (only the bits below s are read from here on: they are flipped, the rest dropped).
            tx &= s - 1
            ty &= s - 1
            if ry == 0 {
                if rx == 1 {
                    tx = s - 1 - tx
                    ty = s - 1 - ty
                }
                swap(&tx, &ty)
            }
            s /= 2
        }
        return id + distance
    }

    /// gzip (zlib, level 6).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CocoaError(.coderInvalidValue)
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        var input = bytes
        let result = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = target.baseAddress
                stream.avail_out = UInt32(target.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw CocoaError(.coderInvalidValue) }
        return Array(output.prefix(Int(stream.total_out)))
    }
}
