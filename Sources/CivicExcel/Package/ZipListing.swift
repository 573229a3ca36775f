public import Foundation
import ZIPFoundation

/// The names in a ZIP archive's central directory (without inflating anything), to tell a workbook from a Word file
/// or a zipped folder of CSVs. Nil when the bytes are not a readable ZIP archive.
public enum ZipListing {
    public static func names(of source: URL) -> [String]? {
        guard let archive = try? Archive(url: source, accessMode: .read) else { return nil }
        return archive.map(\.path)
    }

    public static func names(of bytes: [UInt8]) -> [String]? {
        guard let archive = try? Archive(data: Data(bytes), accessMode: .read) else { return nil }
        return archive.map(\.path)
    }
}
