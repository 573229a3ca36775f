internal import CPROJ
public import Foundation

/// Owns one PROJ context (`PJ_CONTEXT`), set up to find Civic's bundled GSI grids and to keep PROJ's messages
/// off standard error.
///
/// Not Sendable: a context and every PROJ object made from it belong to one thread at a time (PROJ's rule).
/// Create one per thread or task; creation costs about a millisecond.
public final class ProjContext {
    let handle: OpaquePointer
    /// Folders searched for grids (then PROJ's own data folders).
    public let gridDirectories: [URL]

    /// - Parameter gridDirectories: where the datum-shift grids are; default `GridDirectory.defaultDirectories`.
    public init(gridDirectories: [URL] = GridDirectory.defaultDirectories) throws {
        guard let handle = proj_context_create() else {
            throw ReprojectionError(code: .contextCreation, message: "proj_context_create failed")
        }
        self.handle = handle
        self.gridDirectories = gridDirectories
        proj_log_level(handle, PJ_LOG_NONE)
        // proj.db stays where PROJ was installed; the grid folders come first.
        let defaults = String(cString: proj_info().searchpath).split(separator: ":").map(String.init)
        let paths = gridDirectories.map(\.path) + defaults
        ProjContext.withCStrings(paths) { pointers in
            proj_context_set_search_paths(handle, Int32(pointers.count), pointers)
        }
        // Grids are local files: never go to the network.
        proj_context_set_enable_network(handle, 0)
    }

    deinit {
        proj_context_destroy(handle)
    }

    /// The message for the context's current error number.
    var lastErrorMessage: String {
        let code = proj_context_errno(handle)
        guard code != 0, let text = proj_context_errno_string(handle, code) else { return "unknown PROJ error" }
        return String(cString: text)
    }

    var lastErrorNumber: Int32 { proj_context_errno(handle) }

    static func withCStrings<Result>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> Result) -> Result {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { UnsafePointer($0) })
    }
}

@available(*, unavailable)
extension ProjContext: Sendable {}
