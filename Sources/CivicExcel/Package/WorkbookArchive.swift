import Foundation
import ZIPFoundation

/// The workbook's ZIP package (ZIPFoundation): finds parts by name and inflates them under `WorkbookLimits`,
/// counting what actually comes out (a header's claimed size is not trusted). One owner of one open archive.
final class WorkbookArchive {
    let file: String
    let limits: WorkbookLimits
    private let archive: Archive
    /// The package's bytes, for reading an entry's compressed data directly.
    private let raw: Raw

    private enum Raw {
        case file(FileHandle)
        case bytes([UInt8])
    }
    /// Parts by their name in lower case (OOXML part names are case-insensitive).
    private let entries: [String: Entry]

    init(url: URL, name: String, limits: WorkbookLimits) throws {
        file = name
        self.limits = limits
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw WorkbookError(.unreadable, file: name, message: "cannot open the file")
        }
        let magic = handle.readData(ofLength: 4)
        try? handle.close()
        guard Array(magic) == [0x50, 0x4B, 0x03, 0x04] || Array(magic) == [0x50, 0x4B, 0x05, 0x06] else {
            throw WorkbookError(.notAZip, file: name, message: WorkbookArchive.notAZip(magic: Array(magic)))
        }
        do {
            archive = try Archive(url: url, accessMode: .read)
            raw = .file(try FileHandle(forReadingFrom: url))
        } catch {
            throw WorkbookError(.notAZip, file: name, message: "not a readable ZIP archive (damaged or cut short: \(error))")
        }
        entries = WorkbookArchive.index(archive)
    }

    deinit {
        if case .file(let handle) = raw { try? handle.close() }
    }

    init(bytes: [UInt8], name: String, limits: WorkbookLimits) throws {
        file = name
        self.limits = limits
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw WorkbookError(.notAZip, file: name, message: WorkbookArchive.notAZip(magic: Array(bytes.prefix(4))))
        }
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
            raw = .bytes(bytes)
        } catch {
            throw WorkbookError(.notAZip, file: name, message: "not a readable ZIP archive (damaged or cut short: \(error))")
        }
        entries = WorkbookArchive.index(archive)
    }

    private static func index(_ archive: Archive) -> [String: Entry] {
        var entries: [String: Entry] = [:]
        for entry in archive where entry.type == .file {
            let key = entry.path.lowercased()
            if entries[key] == nil { entries[key] = entry }
        }
        return entries
    }

    private static func notAZip(magic: [UInt8]) -> String {
        if magic.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            return "an old binary Excel file (.xls) or an encrypted workbook, not .xlsx: save it as .xlsx or CSV"
        }
        return "not an .xlsx workbook (not a ZIP archive)"
    }

    /// True when the package has the part.
    func has(_ part: String) -> Bool { entry(part) != nil }

    private func entry(_ part: String) -> Entry? {
        var key = part.lowercased()
        while key.hasPrefix("/") { key.removeFirst() }
        return entries[key]
    }

    /// A whole part, inflated (at most `limits.maximumPartBytes`).
    func read(_ part: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try stream(part, maximum: limits.maximumPartBytes) { chunk in bytes.append(contentsOf: chunk) }
        return bytes
    }

    /// Inflates a part chunk by chunk into `consumer`, refusing it past `maximum` bytes or past the compression
    /// ratio limit.
    func stream(_ part: String, maximum: Int, consumer: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let entry = entry(part) else {
            throw WorkbookError(.missingPart, file: file, part: part, message: "the workbook has no part \(part)")
        }
        let compressed = max(Int(clamping: entry.compressedSize), 1)
        let declared = Int(clamping: entry.uncompressedSize)
        var inflated = 0
        do {
            // Inflated here within the entry's bounds (PartInflater, with zlib's CRC-32 checked at the end) when its
            // data can be located; by ZIPFoundation's extract otherwise (without the CRC: its own is slow on Linux).
            func take(_ chunk: UnsafeRawBufferPointer) throws {
                inflated += chunk.count
                if inflated > maximum {
                    throw WorkbookError(
                        .tooLarge,
                        file: file,
                        part: part,
                        message: "the part inflates to more than \(maximum) bytes (the limit); a zip bomb, or too large to read"
                    )
                }
                if inflated > declared {
                    throw WorkbookError(
                        .tooLarge,
                        file: file,
                        part: part,
                        message: "the part inflates beyond the \(declared) bytes its header declares: damaged, or a zip bomb"
                    )
                }
                if inflated > limits.ratioThresholdBytes, inflated / compressed > limits.maximumRatio {
                    throw WorkbookError(
                        .tooLarge,
                        file: file,
                        part: part,
                        message:
                            "the part inflates more than \(limits.maximumRatio) times its compressed size (\(compressed) bytes): a zip bomb"
                    )
                }
                try consumer(chunk)
            }
            if let start = dataOffset(of: entry) {
                let total = Int(clamping: entry.compressedSize)
                let read = { (offset: Int, count: Int, into: UnsafeMutablePointer<UInt8>) throws in
                    try self.readRaw(at: start + offset, count: count, into: into)
                }
                var crc: UInt32 = 0
                if entry.isCompressed {
                    crc = try PartInflater().inflate(total: total, read: read, consumer: take)
                } else {
                    let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 1 << 16)
                    defer { buffer.deallocate() }
                    var offset = 0
                    while offset < total {
                        let count = min(1 << 16, total - offset)
                        try read(offset, count, buffer)
                        let chunk = UnsafeRawBufferPointer(start: buffer, count: count)
                        crc = PartInflater.crc32(crc, chunk)
                        try take(chunk)
                        offset += count
                    }
                }
                guard crc == entry.checksum else {
                    throw WorkbookError(
                        .unreadable,
                        file: file,
                        part: part,
                        message: "the part's CRC-32 does not match the one its entry records: the file is damaged"
                    )
                }
            } else {
                _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                    try data.withUnsafeBytes { try take($0) }
                }
            }
        } catch let error as PartInflater.Failure {
            throw WorkbookError(.unreadable, file: file, part: part, message: error.message)
        } catch let error as WorkbookError {
            throw error
        } catch let error as XMLFailure {
            throw WorkbookError(.malformedXML, file: file, part: part, message: error.message, line: error.line, column: error.column)
        } catch {
            throw WorkbookError(.unreadable, file: file, part: part, message: "cannot inflate the part: \(error)")
        }
    }

    /// Where an entry's compressed data starts: its local header (found through ZIPFoundation's central directory
    /// record, read by reflection as ZIPFoundation does not publish it) plus the header's 30 bytes, name and extra
    /// field. Nil when it cannot be located (ZIP64 offsets, another ZIPFoundation): then ZIPFoundation inflates.
    private func dataOffset(of entry: Entry) -> Int? {
        guard let offset = Mirror(reflecting: entry).descendant("centralDirectoryStructure", "relativeOffsetOfLocalHeader") as? UInt32,
            offset != .max
        else { return nil }
        let header = UnsafeMutablePointer<UInt8>.allocate(capacity: 30)
        defer { header.deallocate() }
        guard (try? readRaw(at: Int(offset), count: 30, into: header)) != nil,
            header[0] == 0x50, header[1] == 0x4B, header[2] == 0x03, header[3] == 0x04
        else { return nil }
        let nameLength = Int(header[26]) | Int(header[27]) << 8
        let extraLength = Int(header[28]) | Int(header[29]) << 8
        return Int(offset) + 30 + nameLength + extraLength
    }

    /// Copies `count` bytes of the package at `offset` (all of them, or an error).
    private func readRaw(at offset: Int, count: Int, into: UnsafeMutablePointer<UInt8>) throws {
        switch raw {
        case .bytes(let bytes):
            guard offset >= 0, offset + count <= bytes.count else {
                throw PartInflater.Failure(message: "the entry's data runs past the end of the file")
            }
            bytes.withUnsafeBufferPointer { into.update(from: $0.baseAddress! + offset, count: count) }
        case .file(let handle):
            try handle.seek(toOffset: UInt64(offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw PartInflater.Failure(message: "the entry's data runs past the end of the file") }
            data.withUnsafeBytes { into.update(from: $0.bindMemory(to: UInt8.self).baseAddress!, count: count) }
        }
    }

    /// The part's size as its header claims (for progress only).
    func claimedSize(_ part: String) -> Int? { entry(part).map { Int(clamping: $0.uncompressedSize) } }

    /// Parses a whole part with `handler`.
    func parse(_ part: String, with handler: any XMLEventHandler) throws {
        let parser: XMLPushParser
        do {
            parser = try XMLPushParser(handler: handler)
        } catch let error as XMLFailure {
            throw WorkbookError(.malformedXML, file: file, part: part, message: error.message)
        }
        do {
            try stream(part, maximum: limits.maximumPartBytes) { try parser.feed($0) }
            try parser.finish()
        } catch let error as WorkbookError {
            // The handler stopped the parse (a limit): its reason, not the parser's.
            if let failure = handler.failure { throw WorkbookError(.invalidContent, file: file, part: part, message: failure) }
            throw error
        } catch let error as XMLFailure {
            if let failure = handler.failure { throw WorkbookError(.invalidContent, file: file, part: part, message: failure) }
            throw WorkbookError(.malformedXML, file: file, part: part, message: error.message, line: error.line, column: error.column)
        }
    }
}
