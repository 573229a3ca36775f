import CivicStore
import Foundation
import Testing

/// `civic token create|list|revoke` as an operator runs them.
@Suite struct TokenCommandTests {
    let command = CommandTests()

    @Test func createListRevoke() throws {
        let folder = try command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("civic.sqlite").path
        let created = try command.civic(["token", "create", "--db", db, "--municipality", "222127", "--role", "publisher", "--name", "焼津市 情報政策課"])
        #expect(created.status == 0)
        let token = created.stdout.trimmingCharacters(in: .newlines)
        #expect(token.hasPrefix("civic_") && !token.contains("\n"))
        #expect(created.stderr.contains("publisher for 222127") && created.stderr.contains("shown once"))
        let id = String(token.split(separator: "_")[1])
        let principal = try #require(try Store(path: db).authenticate(token, at: Date()))
        #expect(principal.role == .publisher && principal.organisation == Organisation("222127"))

        let listed = try command.civic(["token", "list", "--db", db])
        #expect(listed.status == 0)
        #expect(listed.stdout.hasPrefix("\(id)  222127  publisher  active  created ") && listed.stdout.hasSuffix("焼津市 情報政策課\n"))
        #expect(!listed.stdout.contains(String(token.split(separator: "_", maxSplits: 2)[2])))

        let revoked = try command.civic(["token", "revoke", "--db", db, id])
        #expect(revoked.status == 0 && revoked.stdout == "revoked \(id)\n")
        #expect(try Store(path: db).authenticate(token, at: Date()) == nil)
        #expect(try command.civic(["token", "list", "--db", db]).stdout.contains("  revoked "))
        let unknown = try command.civic(["token", "revoke", "--db", db, "0000000000000000"])
        #expect(unknown.status == 1 && unknown.stderr == "error: no token with id 0000000000000000\n")
        let log = try Store(path: db).auditLog(limit: 10, before: nil)
        #expect(log.map(\.action) == ["token.revoke", "token.create"] && log.allSatisfy { $0.actor.hasPrefix("cli:") })
    }

    @Test func badArgumentsSayWhat() throws {
        let folder = try command.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let db = folder.appendingPathComponent("civic.sqlite").path
        let wrongCode = try command.civic(["token", "create", "--db", db, "--municipality", "222128", "--role", "editor"])
        #expect(wrongCode.status == 64 && wrongCode.stderr.contains("check digit"))
        let wrongRole = try command.civic(["token", "create", "--db", db, "--municipality", "222127", "--role", "owner"])
        #expect(wrongRole.status == 64 && wrongRole.stderr.contains("editor, publisher, admin"))
        let adminOfACity = try command.civic(["token", "create", "--db", db, "--municipality", "222127", "--role", "admin"])
        #expect(adminOfACity.status == 2 && adminOfACity.stderr.contains("--municipality portal"))
        #expect(try Store(path: db).tokens().isEmpty)
    }
}
