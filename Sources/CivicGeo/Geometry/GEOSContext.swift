internal import CGEOS

/// Owns one GEOS context handle (the reentrant `_r` API) and keeps its last error message.
///
/// Not Sendable: a GEOS context and the geometries made with it belong to one thread at a time.
public final class GEOSContext {
    let handle: OpaquePointer
    /// The last message GEOS reported through the error handler.
    public internal(set) var lastError: String?

    public init() throws {
        guard let handle = GEOS_init_r() else {
            throw GeometryError(code: .contextCreation, message: "GEOS_init_r failed")
        }
        self.handle = handle
        let box = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(
            handle,
            { message, userData in
                guard let message, let userData else { return }
                Unmanaged<GEOSContext>.fromOpaque(userData).takeUnretainedValue().lastError = String(cString: message)
            },
            box
        )
        GEOSContext_setNoticeMessageHandler_r(handle, { _, _ in }, nil)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// Takes the last error (and clears it), for messages.
    func takeError(_ fallback: String) -> String {
        defer { lastError = nil }
        return lastError ?? fallback
    }
}

@available(*, unavailable)
extension GEOSContext: Sendable {}
