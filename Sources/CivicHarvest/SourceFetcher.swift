import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The harvester's HTTP client for one source (AsyncHTTPClient): one request at a time with `delay` between them
/// (politeness), each within `timeout`, a body never beyond `maximumBytes` (the Content-Length is checked first,
/// then the bytes as they arrive), redirects followed (at most 5), compression not asked for (a body is what its
/// length says). `file:` URLs and local paths read the disk, for catalogues and lists kept beside the store.
final class SourceFetcher: Sendable {
    struct Response {
        var status: Int
        var etag: String?
        var lastModified: String?
        var contentType: String?
        /// The body, for catalogue pages (`get`).
        var data: Data
        /// For files (`download`): the body's size and SHA-256 (hex).
        var bytes: Int
        var sha256: String?
    }

    private let client: HTTPClient
    let delay: Double
    let timeout: Double
    let maximumBytes: Int
    /// Requests made (catalogue pages and files), and when the last one ended.
    private let state = RequestPacing()

    init(delay: Double, timeout: Double, maximumBytes: Int) {
        self.delay = delay
        self.timeout = timeout
        self.maximumBytes = maximumBytes
        client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(
                redirectConfiguration: .follow(max: 5, allowCycles: false),
                timeout: .init(connect: .seconds(Int64(min(timeout, 30))), read: .milliseconds(Int64(timeout * 1000)))
            )
        )
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    var requests: Int { state.requests }

    /// A catalogue page or list, whole in memory (within `maximumBytes`).
    func get(_ url: String, accept: String) async throws -> Response {
        var body = Data()
        var response = try await request(url, headers: [("Accept", accept)]) { buffer in body.append(contentsOf: buffer.readableBytesView) }
        response.data = body
        return response
    }

    /// A file into `file` (created; removed again when the request fails), with its SHA-256; conditional on `etag`
    /// and `lastModified` when given (a 304 writes nothing).
    func download(_ url: String, to file: URL, etag: String?, lastModified: String?) async throws -> Response {
        var headers: [(String, String)] = [("Accept", "*/*")]
        if let etag { headers.append(("If-None-Match", etag)) }
        if let lastModified { headers.append(("If-Modified-Since", lastModified)) }
        // Made at the first bytes of a 200 (a 304 makes no file).
        var handle: FileHandle?
        var hash = SHA256()
        do {
            var response = try await request(url, headers: headers) { buffer in
                if handle == nil {
                    guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
                        throw HarvestError("\(file.path) could not be made")
                    }
                    handle = try FileHandle(forWritingTo: file)
                }
                try handle?.write(contentsOf: Data(buffer.readableBytesView))
                buffer.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
            }
            try handle?.close()
            if response.status == 200 {
                if handle == nil { FileManager.default.createFile(atPath: file.path, contents: nil) }
                response.sha256 = hash.finalize().map { String(format: "%02x", $0) }.joined()
            }
            return response
        } catch {
            try? handle?.close()
            try? FileManager.default.removeItem(at: file)
            throw error
        }
    }

    /// One request: waits out the politeness delay, then streams the body to `consume` (only for a 200).
    private func request(_ url: String, headers: [(String, String)], consume: (ByteBuffer) throws -> Void) async throws -> Response {
        if let local = SourceFetcher.localFile(url) { return try read(local, consume: consume) }
        if let wait = state.wait(delay) { try await Task.sleep(nanoseconds: UInt64(wait * 1e9)) }
        defer { state.ended() }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "User-Agent", value: "Civic-harvester/1 (+https://github.com/civic; 自治体標準オープンデータセット)")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw HarvestError("\(url): no answer: \(SourceFetcher.describe(error))")
        }
        var result = Response(
            status: Int(response.status.code),
            etag: response.headers.first(name: "ETag"),
            lastModified: response.headers.first(name: "Last-Modified"),
            contentType: response.headers.first(name: "Content-Type"),
            data: Data(),
            bytes: 0
        )
        guard response.status == .ok else {
            // The body of a 304 or an error is not kept (a 304 has none; an error page is not the file).
            _ = try? await response.body.collect(upTo: 1 << 16)
            return result
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumBytes {
            throw HarvestError("\(url): \(length) bytes, more than the source's limit of \(maximumBytes)")
        }
        do {
            for try await buffer in response.body {
                result.bytes += buffer.readableBytes
                guard result.bytes <= maximumBytes else {
                    throw HarvestError("\(url): more than the source's limit of \(maximumBytes) bytes")
                }
                try consume(buffer)
            }
        } catch let error as HarvestError {
            throw error
        } catch {
            throw HarvestError("\(url): the answer broke off after \(result.bytes) bytes: \(SourceFetcher.describe(error))")
        }
        return result
    }

    /// A local file, for `file:` URLs and paths.
    private func read(_ file: URL, consume: (ByteBuffer) throws -> Void) throws -> Response {
        state.count()
        guard let handle = FileHandle(forReadingAtPath: file.path) else { throw HarvestError("\(file.path): no such file") }
        defer { try? handle.close() }
        var result = Response(status: 200, data: Data(), bytes: 0)
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            result.bytes += chunk.count
            guard result.bytes <= maximumBytes else { throw HarvestError("\(file.path): more than the source's limit of \(maximumBytes) bytes") }
            try consume(ByteBuffer(bytes: chunk))
        }
        result.lastModified = (try? FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date).map {
            String(Int($0.timeIntervalSince1970))
        }
        return result
    }

    static func localFile(_ url: String) -> URL? {
        if url.hasPrefix("file:") { return URL(string: url).map { URL(fileURLWithPath: $0.path) } }
        if !url.contains("://") { return URL(fileURLWithPath: url) }
        return nil
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            return switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: "timed out"
            case .remoteConnectionClosed: "the connection was closed"
            case .redirectLimitReached, .redirectCycleDetected: "too many redirects"
            default: "\(error)"
            }
        }
        return "\(error)"
    }
}

/// Counts requests and spaces them.
private final class RequestPacing: Sendable {
    private let state = Mutex<(made: Int, lastEnded: Date?)>((0, nil))

    var requests: Int { state.withLock { $0.made } }

    func count() { state.withLock { $0.made += 1 } }

    /// Counts a request; how long to wait before it (nil: at once).
    func wait(_ delay: Double) -> Double? {
        state.withLock { state in
            state.made += 1
            guard let lastEnded = state.lastEnded else { return nil }
            let wait = delay - Date().timeIntervalSince(lastEnded)
            return wait > 0 ? wait : nil
        }
    }

    func ended() { state.withLock { $0.lastEnded = Date() } }
}
