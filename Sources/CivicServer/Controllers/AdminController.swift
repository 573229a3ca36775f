import CivicStore
import Foundation
import Hummingbird

/// The portal admin's views: `GET /admin/log`, the log of writes (who, what, when, from where), newest first.
struct AdminController: Sendable {
    let authenticator: Authenticator
    let delivery: Delivery

    /// One page of the log.
    struct LogPage: Codable {
        var entries: [AuditEntry]
        /// The next (older) page, when there is one.
        var next: String?
    }

    static let defaultLimit = 100
    static let maximumLimit = 1000

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/admin/log") { request, _ in
            _ = try self.authenticator.requireAdmin(request)
            return try self.delivery.respond(request, cacheable: false) { try self.log(request) }
        }
    }

    func log(_ request: Request) throws -> Payload {
        let query = request.uri.queryParameters
        var limit = AdminController.defaultLimit
        if let text = query["limit"].map(String.init) {
            guard let value = Int(text), (1...AdminController.maximumLimit).contains(value) else {
                throw APIError.badParameter("limit must be a whole number from 1 to \(AdminController.maximumLimit)")
            }
            limit = value
        }
        var before: Int64?
        if let text = query["before"].map(String.init) {
            guard let value = Int64(text), value > 0 else { throw APIError.badParameter("before must be a positive sequence number") }
            before = value
        }
        let entries = try authenticator.accounts.auditLog(limit: limit, before: before)
        let next = entries.count == limit ? entries.last.map { "/admin/log?limit=\(limit)&before=\($0.sequence)" } : nil
        return Payload(bytes: try documentJSON(LogPage(entries: entries, next: next)), contentType: "application/json")
    }
}
