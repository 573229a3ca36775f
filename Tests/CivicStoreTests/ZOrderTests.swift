import CivicGeo
import Foundation
import Testing

@testable import CivicStore

/// The Z-order index: every point inside a box has its code in one of the box's ranges, and the ranges stay few.
@Suite struct ZOrderTests {
    /// A deterministic generator (the test must not change from run to run).
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func interleavesTheBits() {
        #expect(ZOrder.interleave(0, 0) == 0)
        #expect(ZOrder.interleave(1, 0) == 1 && ZOrder.interleave(0, 1) == 2 && ZOrder.interleave(1, 1) == 3)
        #expect(ZOrder.interleave(0xFF_FFFF, 0xFF_FFFF) == (UInt64(1) << 48) - 1)
        #expect(ZOrder.cell(x: -180) == 0 && ZOrder.cell(x: 180) == ZOrder.side - 1 && ZOrder.cell(y: .nan) == 0)
    }

    @Test func everyPointInsideABoxIsInItsRanges() {
        var random = SplitMix(state: 42)
        for _ in 0..<200 {
            // Boxes from a few metres to a few degrees, around Japan.
            let size = pow(10, Double.random(in: -4...1, using: &random))
            let minX = Double.random(in: 128...145, using: &random)
            let minY = Double.random(in: 26...44, using: &random)
            let (maxX, maxY) = (minX + size, minY + size * Double.random(in: 0.2...2, using: &random))
            let ranges = ZOrder.ranges(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
            #expect(!ranges.isEmpty && ranges.count <= 32)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound < $1.lowerBound })
            for _ in 0..<50 {
                let x = Double.random(in: minX...maxX, using: &random)
                let y = Double.random(in: minY...maxY, using: &random)
                let code = ZOrder.code(x: x, y: y)
                #expect(ranges.contains { $0.contains(code) }, "\(x),\(y) in \(minX),\(minY),\(maxX),\(maxY)")
            }
            // The corners too (the box's edges are inside).
            for (x, y) in [(minX, minY), (maxX, maxY), (minX, maxY), (maxX, minY)] {
                #expect(ranges.contains { $0.contains(ZOrder.code(x: x, y: y)) })
            }
        }
    }

    @Test func theRangesOfTwoBoxesAreMergedWithoutOverlap() {
        let boxes = [
            StoredDataset.Envelope(minX: 138.30, minY: 34.85, maxX: 138.35, maxY: 34.90),
            StoredDataset.Envelope(minX: 138.32, minY: 34.86, maxX: 138.40, maxY: 34.95),
        ]
        let merged = Store.zRanges(boxes)
        #expect(zip(merged, merged.dropFirst()).allSatisfy { $0.upperBound + 1 < $1.lowerBound })
        let code = ZOrder.code(x: 138.33, y: 34.87)
        #expect(merged.filter { $0.contains(code) }.count == 1)
    }
}
