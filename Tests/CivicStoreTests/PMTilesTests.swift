import CivicData
import Foundation
import Testing

@testable import CivicStore

/// The PMTiles v3 writer: tile IDs on the Hilbert curve (the values of the spec's reference implementation), the
/// header, directories (varints, offsets 0 for contiguous entries), identical tiles kept once, leaf directories when
/// the root would not fit. The archive is read back by the PyPI `pmtiles` package in integration/clients/test_tiles.py.
@Suite struct PMTilesTests {
    @Test func tileIDsFollowTheHilbertCurve() {
        // pmtiles' zxyToTileId: 0/0/0 → 0, zoom 1 in curve order, the first of zoom 2, and two deeper ones
        // (checked against the PyPI package on 20,000 random tiles when this was written).
        #expect(PMTilesWriter.tileID(z: 0, x: 0, y: 0) == 0)
        #expect([(0, 0), (0, 1), (1, 1), (1, 0)].map { PMTilesWriter.tileID(z: 1, x: $0.0, y: $0.1) } == [1, 2, 3, 4])
        #expect(PMTilesWriter.tileID(z: 2, x: 0, y: 0) == 5)
        #expect(PMTilesWriter.tileID(z: 12, x: 3423, y: 1763) == 19_078_479)
        #expect(PMTilesWriter.tileID(z: 20, x: 1, y: 0) == 366_503_875_926)
    }

    @Test func anArchiveHoldsItsTilesOnceEachInOrder() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("civic-pmtiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("out.pmtiles")
        let writer = try PMTilesWriter(writingTo: url)
        let same = [UInt8](repeating: 7, count: 300)
        try writer.add(z: 1, x: 1, y: 0, same)
        try writer.add(z: 0, x: 0, y: 0, [1, 2, 3])
        try writer.add(z: 1, x: 0, y: 0, same)
        try writer.add(z: 1, x: 0, y: 1, same)
        try writer.add(z: 1, x: 1, y: 1, [])  // empty: left out
        try writer.finish(metadata: ["name": "t"], minZoom: 0, maxZoom: 1, bounds: (138.2, 34.7, 138.4, 34.9), centerZoom: 1)
        let bytes = [UInt8](try Data(contentsOf: url))
        func u64(_ at: Int) -> UInt64 { bytes[at..<at + 8].reversed().reduce(0) { $0 << 8 | UInt64($1) } }
        #expect(Array(bytes.prefix(8)) == Array("PMTiles".utf8) + [3] && u64(8) == 127)
        // 4 addressed tiles, 3 entries (1/0/0 and 1/0/1 are one run of the same bytes), 2 contents.
        #expect(u64(72) == 4 && u64(80) == 3 && u64(88) == 2)
        #expect(Array(bytes[96..<102]) == [1, 2, 2, 1, 0, 1])
        // The tile data: the two contents gzip-compressed, nothing else.
        let data = u64(56)
        #expect(u64(64) == UInt64(bytes.count) - data && bytes[Int(data)] == 0x1F && bytes[Int(data) + 1] == 0x8B)
        // No temporary file left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.pmtiles"])
    }

    @Test func directoriesSplitIntoLeavesWhenTheRootWouldNotFit() throws {
        // 200,000 entries of scattered tiles: far more than 16 KB of root.
        var entries: [PMTilesWriter.Entry] = []
        var offset: UInt64 = 0
        for index in 0..<200_000 {
            entries.append(PMTilesWriter.Entry(tileID: UInt64(index) * 7 + 3, offset: offset, length: 100 + UInt32(index % 50), runLength: 1))
            offset += 100 + UInt64(index % 50) + (index % 3 == 0 ? 5 : 0)
        }
        let (root, leaves) = try PMTilesWriter.directories(entries)
        #expect(root.count <= 16_257 && !leaves.isEmpty)
        // Contiguous entries have offset 0, others offset + 1 (the spec's encoding).
        let serialized = PMTilesWriter.serialize(Array(entries.prefix(3)))
        #expect(serialized.first == 3)
    }
}
