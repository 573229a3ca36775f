public import Foundation

/// Where Civic finds the GSI datum-shift grids it ships (`grids/` in the package: TKY2JGD.tif,
/// touhokutaiheiyouoki2011.tif; 出典：国土地理院).
public enum GridDirectory {
    /// The grid file for Tokyo datum → JGD2000 (GSI TKY2JGD.par 2.1.2 as a GeoTIFF grid).
    public static let tokyoToJGD2000 = "TKY2JGD.tif"
    /// The grid file for JGD2000 → JGD2011 in northern Honshu (2011 Tōhoku earthquake).
    public static let jgd2000ToJGD2011Tohoku = "touhokutaiheiyouoki2011.tif"

    /// In order: `$CIVIC_GRIDS`, `share/civic/grids` beside the executable's folder, and the package's own
    /// `grids/` folder (for builds from the source tree). Only folders that exist.
    public static var defaultDirectories: [URL] {
        var candidates: [URL] = []
        if let environment = ProcessInfo.processInfo.environment["CIVIC_GRIDS"], !environment.isEmpty {
            candidates += environment.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(executable.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("share/civic/grids"))
        // Sources/CivicGeo/PROJ/GridDirectory.swift → the package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent("grids"))
        return candidates.filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent(tokyoToJGD2000).path) }
    }
}
