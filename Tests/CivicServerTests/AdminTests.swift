import CivicStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

/// Tokens at the HTTP edge: the three ways clients send them, 401 and 403, and the admin's log.
@Suite struct AdminTests {
    @Test func theLogIsTheAdminsOnly() async throws {
        let store = try FeaturesTests.store
        let admin = try store.createToken(TokenRequest(organisation: .portal, role: .admin, name: "portal"), by: .commandLine(user: "test"))
        let publisher = try store.createToken(
            TokenRequest(organisation: try #require(Organisation("222127")), role: .publisher, name: "焼津市"),
            by: .commandLine(user: "test")
        )
        let revoked = try store.createToken(TokenRequest(organisation: .portal, role: .admin, name: "old"), by: .commandLine(user: "test"))
        _ = try store.revokeToken(id: revoked.info.id, by: .commandLine(user: "test"))
        try await FeaturesTests.app().test(.router) { client in
            try await client.execute(uri: "/admin/log", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="civic""#)
            }
            for bad in ["Bearer \(revoked.token)", "Bearer civic_0000000000000000_x", "Basic dXNlcjpwYXNz"] {
                try await client.execute(uri: "/admin/log", method: .get, headers: [.authorization: bad]) { response in
                    #expect(response.status == .unauthorized, "\(bad)")
                }
            }
            try await client.execute(uri: "/admin/log", method: .get, headers: [.authorization: "Bearer \(publisher.token)"]) { response in
                #expect(response.status == .forbidden)
            }
            let ways: [HTTPFields] = [
                [.authorization: "Bearer \(admin.token)"], [.authorization: admin.token], [.ckanAPIKey: admin.token],
            ]
            for headers in ways {
                try await client.execute(uri: "/admin/log?limit=2", method: .get, headers: headers) { response in
                    #expect(response.status == .ok)
                    let page = try JSONDecoder.iso8601.decode(AdminController.LogPage.self, from: Data(response.body.readableBytesView))
                    #expect(page.entries.count == 2 && page.entries.first?.action == "token.revoke")
                    #expect(page.next?.hasPrefix("/admin/log?limit=2&before=") == true)
                }
            }
            try await client.execute(uri: "/admin/log?limit=0", method: .get, headers: [.authorization: "Bearer \(admin.token)"]) { response in
                #expect(response.status == .badRequest)
            }
            // Reads stay public, and ignore credentials.
            try await client.execute(uri: "/collections", method: .get, headers: [.authorization: "Bearer nonsense"]) { response in
                #expect(response.status == .ok)
            }
        }
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
