public import Foundation

/// How `civic serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Folder of datasets (`*/dataset.json` + data files).
    public var dataDirectory: URL
    /// The SQLite store; nil keeps it in memory.
    public var databasePath: String?
    /// The public base URL for links (`https://opendata.example.jp`); nil derives it from each request's Host.
    public var baseURL: String?
    /// Send CORS headers (any origin): on by default, as browsers' map apps need it.
    public var cors: Bool
    /// Largest `limit` a client may ask for (declared in the OpenAPI document, as GDAL reads it).
    public var maximumLimit: Int
    public var defaultLimit: Int

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        dataDirectory: URL = URL(fileURLWithPath: "datasets"),
        databasePath: String? = nil,
        baseURL: String? = nil,
        cors: Bool = true,
        maximumLimit: Int = 10_000,
        defaultLimit: Int = 100
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.databasePath = databasePath
        self.baseURL = baseURL
        self.cors = cors
        self.maximumLimit = maximumLimit
        self.defaultLimit = defaultLimit
    }
}
