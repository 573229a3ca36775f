public import CivicStore
public import Foundation
import HTTPTypes
public import Hummingbird

/// Who a request is: the token it presents, looked up in the store's accounts. Reads stay public and ignore
/// credentials; a route that needs an account refuses a request without a token, or with one that is not valid
/// (unknown, revoked, expired, malformed), with 401 before it looks at what was asked for — so that a 401 never says
/// whether something exists — and one whose account may not do it with 403.
public struct Authenticator: Sendable {
    public let accounts: any AccountStore

    public init(accounts: any AccountStore) { self.accounts = accounts }

    /// The token a request presents: `Authorization: Bearer <token>`, a bare `Authorization: <token>` or
    /// `X-CKAN-API-Key: <token>` (both as ckanapi sends them). Nil when it presents none.
    public static func presented(_ request: Request) -> String? {
        if let value = request.headers[.authorization]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            let parts = value.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { return parts[1].trimmingCharacters(in: .whitespaces) }
            return value
        }
        if let value = request.headers[.ckanAPIKey]?.trimmingCharacters(in: .whitespaces), !value.isEmpty {
            return value
        }
        return nil
    }

    /// The request's account; nil when it presents no token. Throws 401 for a token that is not valid.
    public func principal(_ request: Request, at date: Date = Date()) throws -> Principal? {
        guard let token = Authenticator.presented(request) else { return nil }
        guard let principal = try accounts.authenticate(token, at: date) else {
            throw Authenticator.unauthorized("the token is not valid (unknown, revoked or expired)")
        }
        return principal
    }

    /// The request's account, which it must have (401 otherwise).
    public func require(_ request: Request) throws -> Principal {
        guard let principal = try principal(request) else { throw Authenticator.unauthorized("this needs a token: Authorization: Bearer <token>") }
        return principal
    }

    /// The portal's admin (401 without a valid token, 403 with another's).
    public func requireAdmin(_ request: Request) throws -> Principal {
        let principal = try require(request)
        guard principal.role == .admin, principal.organisation == .portal else {
            throw APIError(.forbidden, code: "Forbidden", "this needs the portal's admin token")
        }
        return principal
    }

    static func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, code: "Unauthorized", message)
        error.headers[.wwwAuthenticate] = #"Bearer realm="civic""#
        return error
    }
}

extension Principal {
    /// True when the account may do what `role` may on `dataset`: its municipality's (a dataset of no municipality is
    /// the portal's), or the portal's admin.
    func may(_ role: Role, write dataset: StoredDataset) -> Bool {
        guard let code = dataset.municipalityCode, let owner = Organisation(code) else { return may(role, for: .portal) }
        return may(role, for: owner)
    }

    /// How a write this account may not make is refused.
    enum WriteRefusal {
        case forbidden, notFound
    }

    /// How a write of `dataset` (nil: there is none) this account may not make is answered: forbidden, also for a
    /// dataset that does not exist — except to the portal's admin (not found) — so that an answer never tells another
    /// municipality's account what exists. Every write endpoint asks this.
    func refusal(toWrite dataset: StoredDataset?) -> WriteRefusal {
        dataset == nil && role == .admin && organisation == .portal ? .notFound : .forbidden
    }
}

extension HTTPField.Name {
    /// The header CKAN clients (ckanapi) send their API token in.
    static let ckanAPIKey = HTTPField.Name("X-CKAN-API-Key")!
}
