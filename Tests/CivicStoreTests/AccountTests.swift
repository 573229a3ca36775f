import CivicStore
import Foundation
import Testing

/// API tokens (hashed at rest, revocable, expiring) and the log of writes.
@Suite struct AccountTests {
    static let yaizu = Organisation.municipality("222127")
    static let takamatsu = Organisation.municipality("372013")
    static let operator_ = Actor.commandLine(user: "test")

    @Test func aTokenWorksUntilRevokedAndIsKeptOnlyAsAHash() throws {
        let folder = try Loading.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("civic.sqlite").path
        let store = try Store(path: path)
        let issued = try store.createToken(TokenRequest(organisation: Self.yaizu, role: .publisher, name: "焼津市 情報政策課"), by: Self.operator_)
        #expect(issued.token.hasPrefix("civic_\(issued.info.id)_"))
        let principal = try #require(try store.authenticate(issued.token, at: Date()))
        #expect(principal == Principal(tokenID: issued.info.id, organisation: Self.yaizu, role: .publisher, name: "焼津市 情報政策課"))
        // The secret is nowhere in the database files.
        let secret = String(issued.token.split(separator: "_", maxSplits: 2)[2])
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path)
        where file.hasPrefix("civic.sqlite") && !file.hasSuffix("-reports") {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file))
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file)")
        }
        // Another secret with the same id, a cut token, another scheme: nothing.
        var forged = Array(issued.token)
        forged[forged.count - 1] = forged.last == "A" ? "B" : "A"
        #expect(try store.authenticate(String(forged), at: Date()) == nil)
        #expect(try store.authenticate(String(issued.token.dropLast()), at: Date()) == nil)
        #expect(try store.authenticate("Bearer " + issued.token, at: Date()) == nil)
        #expect(try store.authenticate("", at: Date()) == nil)
        #expect(try store.revokeToken(id: issued.info.id, by: Self.operator_))
        #expect(try store.authenticate(issued.token, at: Date()) == nil)
        #expect(try store.revokeToken(id: issued.info.id, by: Self.operator_))  // still there, revoked once
        #expect(try store.revokeToken(id: "0000000000000000", by: Self.operator_) == false)
        let listed = try #require(try store.tokens().first)
        #expect(listed.revoked != nil && listed.id == issued.info.id)
    }

    @Test func anExpiredTokenIsRefused() throws {
        let store = try Store.inMemory()
        let expires = Date().addingTimeInterval(3600)
        let issued = try store.createToken(TokenRequest(organisation: Self.yaizu, role: .editor, name: "", expires: expires), by: Self.operator_)
        #expect(try store.authenticate(issued.token, at: expires.addingTimeInterval(-1)) != nil)
        #expect(try store.authenticate(issued.token, at: expires.addingTimeInterval(1)) == nil)
    }

    @Test func adminsBelongToThePortalAndOthersToAMunicipality() throws {
        let store = try Store.inMemory()
        #expect(throws: StoreError.self) { try store.createToken(TokenRequest(organisation: Self.yaizu, role: .admin, name: ""), by: Self.operator_) }
        #expect(throws: StoreError.self) { try store.createToken(TokenRequest(organisation: .portal, role: .editor, name: ""), by: Self.operator_) }
        #expect(try store.tokens().isEmpty && store.auditLog(limit: 10, before: nil).isEmpty)
        #expect(Organisation("222128") == nil && Organisation("22212") == nil && Organisation("portal") == .portal)
    }

    @Test func whoMayWriteWhat() {
        let publisher = Principal(tokenID: "a", organisation: Self.yaizu, role: .publisher, name: "")
        let editor = Principal(tokenID: "b", organisation: Self.yaizu, role: .editor, name: "")
        let admin = Principal(tokenID: "c", organisation: .portal, role: .admin, name: "")
        #expect(publisher.may(.publisher, for: Self.yaizu) && publisher.may(.editor, for: Self.yaizu))
        #expect(!publisher.may(.editor, for: Self.takamatsu))
        #expect(editor.may(.editor, for: Self.yaizu) && !editor.may(.publisher, for: Self.yaizu))
        #expect(admin.may(.publisher, for: Self.takamatsu) && admin.may(.admin, for: .portal))
        #expect(!publisher.may(.admin, for: .portal))
    }

    @Test func everyTokenWriteIsLoggedNewestFirst() throws {
        let store = try Store.inMemory()
        var ids: [String] = []
        for _ in 0..<3 {
            ids.append(try store.createToken(TokenRequest(organisation: Self.yaizu, role: .editor, name: "x"), by: Self.operator_).info.id)
        }
        _ = try store.revokeToken(id: ids[0], by: Self.operator_)
        let log = try store.auditLog(limit: 10, before: nil)
        #expect(log.map(\.action) == ["token.revoke", "token.create", "token.create", "token.create"])
        #expect(log.map(\.target) == [ids[0], ids[2], ids[1], ids[0]])
        #expect(log.allSatisfy { $0.actor == "cli:test" && $0.origin == "command line" })
        #expect(log.first?.sequence == 4)
        let older = try store.auditLog(limit: 2, before: 3)
        #expect(older.map(\.sequence) == [2, 1])
    }
}
