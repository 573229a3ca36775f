import Foundation

/// An axis-aligned bounding box (x = east, y = north), for bbox filters in the store and the server.
public struct Envelope: Sendable, Hashable, Codable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// Reads an OGC API `bbox` value: `minx,miny,maxx,maxy` (4 numbers; 6 with heights are flattened).
    public init?(bbox text: String) {
        let numbers = text.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        switch numbers.count {
        case 4: self.init(minX: numbers[0], minY: numbers[1], maxX: numbers[2], maxY: numbers[3])
        case 6: self.init(minX: numbers[0], minY: numbers[1], maxX: numbers[3], maxY: numbers[4])
        default: return nil
        }
        guard minX <= maxX, minY <= maxY, numbers.allSatisfy(\.isFinite) else { return nil }
    }

    public func contains(x: Double, y: Double) -> Bool {
        x >= minX && x <= maxX && y >= minY && y <= maxY
    }

    public func intersects(_ other: Envelope) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    /// The smallest envelope holding both.
    public func union(_ other: Envelope) -> Envelope {
        Envelope(minX: min(minX, other.minX), minY: min(minY, other.minY), maxX: max(maxX, other.maxX), maxY: max(maxY, other.maxY))
    }
}
