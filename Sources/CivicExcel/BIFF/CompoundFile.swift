/// An OLE2 compound file ([MS-CFB]) read from memory, only as far as an .xls needs: the header, the FAT (with its
/// DIFAT), the directory, the mini FAT and mini stream, and one stream by name. Every sector number is checked
/// against the file, every chain against loops (a chain can visit each sector once) and every declared size against
/// the chain that holds it, so a damaged or hostile file ends in a `WorkbookError` naming what is wrong, never in a
/// crash or a hang.
struct CompoundFile {
    let file: String
    private let bytes: [UInt8]
    private let sectorSize: Int
    private let sectorCount: Int
    private let fat: [UInt32]
    private let miniFAT: [UInt32]
    private let miniStream: [UInt8]
    private let miniCutoff: Int
    /// The directory's stream entries: name, first sector, size.
    let streams: [(name: String, start: UInt32, size: Int)]

    static let endOfChain: UInt32 = 0xFFFF_FFFE
    static let freeSector: UInt32 = 0xFFFF_FFFF

    init(bytes: [UInt8], file: String, maximumStreamBytes: Int) throws {
        self.file = file
        self.bytes = bytes
        func fail(_ message: String) -> WorkbookError { WorkbookError(.notAnXLS, file: file, part: "OLE2 compound file", message: message) }
        guard bytes.count >= 512, bytes.starts(with: XLSWorkbook.signature) else {
            throw fail("\(bytes.count) bytes: too short for the 512-byte header, or no OLE2 signature")
        }
        let header = ByteReader(bytes, offset: 0, limit: 512)
        guard header.u16(28) == 0xFFFE else { throw fail("byte order mark \(hex(header.u16(28))), not FFFE") }
        let shift = Int(header.u16(30))
        guard shift == 9 || shift == 12 else { throw fail("sector shift \(shift): only 512- and 4,096-byte sectors exist") }
        guard header.u16(32) == 6 else { throw fail("mini sector shift \(header.u16(32)), not 6") }
        sectorSize = 1 << shift
        // Sector n starts at (n + 1) × the sector size (the header fills sector -1).
        sectorCount = max((bytes.count + sectorSize - 1) / sectorSize - 1, 0)
        miniCutoff = Int(header.u32(56))
        guard miniCutoff == 4096 else { throw fail("mini stream cutoff \(miniCutoff), not 4,096") }

        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        var fatSectors: [UInt32] = (0..<109).map { header.u32(76 + 4 * $0) }
        let fatCount = Int(header.u32(44))
        var difatSector = header.u32(68)
        var difatLeft = Int(header.u32(72))
        let perSector = sectorSize / 4
        guard fatCount <= sectorCount, difatLeft <= sectorCount else {
            throw fail("the header declares \(fatCount) FAT and \(difatLeft) DIFAT sectors in a file of \(sectorCount)")
        }
        var seenDIFAT: Set<UInt32> = []
        while difatLeft > 0, difatSector != CompoundFile.endOfChain, difatSector != CompoundFile.freeSector {
            guard Int(difatSector) < sectorCount else {
                throw fail("DIFAT sector \(difatSector) is past the end of the file (\(sectorCount) sectors)")
            }
            guard seenDIFAT.insert(difatSector).inserted else { throw fail("the DIFAT chain loops at sector \(difatSector)") }
            let sector = ByteReader(bytes, offset: (Int(difatSector) + 1) * sectorSize, limit: sectorSize)
            fatSectors += (0..<(perSector - 1)).map { sector.u32(4 * $0) }
            difatSector = sector.u32(4 * (perSector - 1))
            difatLeft -= 1
        }
        var fat: [UInt32] = []
        fat.reserveCapacity(fatCount * perSector)
        for sector in fatSectors.prefix(fatCount) {
            guard Int(sector) < sectorCount else { throw fail("FAT sector \(sector) is past the end of the file (\(sectorCount) sectors)") }
            let reader = ByteReader(bytes, offset: (Int(sector) + 1) * sectorSize, limit: sectorSize)
            fat += (0..<perSector).map { reader.u32(4 * $0) }
        }
        guard !fat.isEmpty else { throw fail("the header lists no FAT sector") }
        self.fat = fat

        // The directory, then the root entry's mini stream and the mini FAT.
        let directory = try CompoundFile.chain(from: header.u32(48), fat: fat, sectorCount: sectorCount, what: "directory", file: file)
        var streams: [(name: String, start: UInt32, size: Int)] = []
        var root: (start: UInt32, size: Int)?
        let version = header.u16(26)
        for sector in directory {
            for index in 0..<(sectorSize / 128) {
                let entry = ByteReader(bytes, offset: (Int(sector) + 1) * sectorSize + index * 128, limit: 128)
                let type = entry.u8(66)
                guard type == 1 || type == 2 || type == 5 else { continue }
                let nameBytes = min(Int(entry.u16(64)), 64)
                let units = (0..<max(nameBytes / 2 - 1, 0)).map { entry.u16(2 * $0) }
                let name = String(decoding: units, as: UTF16.self)
                // Version 3 files keep only the low 32 bits of the size (the high ones may hold garbage); in version 4 a
                // size past 4 GiB is past any limit.
                let size = version == 3 || entry.u32(124) == 0 ? Int(entry.u32(120)) : Int.max
                if type == 5 {
                    root = (entry.u32(116), size)
                } else if type == 2 {
                    streams.append((name, entry.u32(116), size))
                }
            }
        }
        self.streams = streams
        guard let root else { throw fail("the directory has no root entry") }
        let miniFATSectors = try CompoundFile.chain(from: header.u32(60), fat: fat, sectorCount: sectorCount, what: "mini FAT", file: file)
        var miniFAT: [UInt32] = []
        for sector in miniFATSectors {
            let reader = ByteReader(bytes, offset: (sector + 1) * sectorSize, limit: sectorSize)
            miniFAT += (0..<perSector).map { reader.u32(4 * $0) }
        }
        self.miniFAT = miniFAT
        guard root.size <= maximumStreamBytes else { throw fail("the mini stream declares \(root.size) bytes, past the limit") }
        let rootChain = try CompoundFile.chain(from: root.start, fat: fat, sectorCount: sectorCount, what: "mini stream", file: file)
        guard root.size <= rootChain.count * sectorSize else {
            throw fail("the mini stream declares \(root.size) bytes but its chain holds \(rootChain.count * sectorSize)")
        }
        miniStream = Array(CompoundFile.read(rootChain, from: bytes, sectorSize: sectorSize, headerBytes: sectorSize).prefix(root.size))
    }

    /// The bytes of the first stream whose name is one of `names` (case-insensitive), or nil when there is none.
    func stream(named names: [String], maximumBytes: Int) throws -> [UInt8]? {
        let wanted = Set(names.map { $0.lowercased() })
        guard let entry = streams.first(where: { wanted.contains($0.name.lowercased()) }) else { return nil }
        func fail(_ message: String) -> WorkbookError { WorkbookError(.notAnXLS, file: file, part: "\(entry.name) stream", message: message) }
        guard entry.size <= maximumBytes else {
            throw WorkbookError(
                .tooLarge,
                file: file,
                part: "\(entry.name) stream",
                message: "the stream declares \(entry.size) bytes, more than the \(maximumBytes) allowed"
            )
        }
        if entry.size < miniCutoff {
            let chain = try CompoundFile.chain(
                from: entry.start,
                fat: miniFAT,
                sectorCount: miniStream.count / 64,
                what: "\(entry.name) stream (mini)",
                file: file
            )
            guard entry.size <= chain.count * 64 else { throw fail("declares \(entry.size) bytes but its mini chain holds \(chain.count * 64)") }
            return Array(CompoundFile.read(chain, from: miniStream, sectorSize: 64, headerBytes: 0).prefix(entry.size))
        }
        let chain = try CompoundFile.chain(from: entry.start, fat: fat, sectorCount: sectorCount, what: "\(entry.name) stream", file: file)
        guard entry.size <= chain.count * sectorSize else {
            throw fail("declares \(entry.size) bytes but its chain holds \(chain.count * sectorSize)")
        }
        return Array(CompoundFile.read(chain, from: bytes, sectorSize: sectorSize, headerBytes: sectorSize).prefix(entry.size))
    }

    /// The sectors of the chain starting at `start`, each in range and none twice; empty for an empty chain.
    static func chain(from start: UInt32, fat: [UInt32], sectorCount: Int, what: String, file: String) throws -> [Int] {
        var sectors: [Int] = []
        var seen: Set<UInt32> = []
        var sector = start
        while sector != endOfChain {
            guard Int(sector) < sectorCount, Int(sector) < fat.count else {
                throw WorkbookError(
                    .notAnXLS,
                    file: file,
                    part: "OLE2 compound file",
                    message: "the \(what) chain reaches sector \(hex(sector)), outside the \(min(sectorCount, fat.count)) there are"
                )
            }
            guard seen.insert(sector).inserted else {
                throw WorkbookError(.notAnXLS, file: file, part: "OLE2 compound file", message: "the \(what) chain loops at sector \(sector)")
            }
            sectors.append(Int(sector))
            sector = fat[Int(sector)]
        }
        return sectors
    }

    /// The chain's sectors joined (the last one may be cut short by the end of the file: read as far as it goes).
    static func read(_ chain: [Int], from bytes: [UInt8], sectorSize: Int, headerBytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(chain.count * sectorSize)
        for sector in chain {
            let start = headerBytes + sector * sectorSize
            out += bytes[min(start, bytes.count)..<min(start + sectorSize, bytes.count)]
        }
        return out
    }
}

/// Little-endian reads inside `[offset, offset + limit)` of a byte array; past its end (a sector cut short by the end
/// of the file) reads give 0.
struct ByteReader {
    let bytes: [UInt8]
    let offset: Int
    let limit: Int

    init(_ bytes: [UInt8], offset: Int, limit: Int) {
        self.bytes = bytes
        self.offset = offset
        self.limit = limit
    }

    func u8(_ at: Int) -> UInt8 {
        let index = offset + at
        return at < limit && index >= 0 && index < bytes.count ? bytes[index] : 0
    }
    func u16(_ at: Int) -> UInt16 { UInt16(u8(at)) | UInt16(u8(at + 1)) << 8 }
    func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
}

func hex(_ value: some BinaryInteger) -> String { String(value, radix: 16, uppercase: true) }
