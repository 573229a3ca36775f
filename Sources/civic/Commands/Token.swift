import ArgumentParser
import CivicStore
import Foundation

/// `civic token create|list|revoke`: the API tokens city staff and the portal write with (docs/publishing.md).
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "APIトークン API tokens: create, list and revoke the tokens that may write.",
        discussion: """
            A token belongs to one organisation — a municipality (全国地方公共団体コード) or the portal — with one role:
            editor (編集者: uploads and edits drafts of its municipality's datasets), publisher (公開担当: also publishes
            and rolls back) or admin (管理者: the portal's; manages accounts and every dataset). The store keeps a hash
            of each token only: `create` prints the token once. Making and revoking tokens are written to the log.

            トークンは自治体（全国地方公共団体コード）またはポータルに属し、役割は editor（編集者）、publisher（公開担当）、
            admin（管理者、ポータルのみ）のいずれかです。データベースにはトークンのハッシュだけを保存するため、
            トークンは作成時に一度だけ表示されます。

            例: civic token create --db civic.sqlite --municipality 222127 --role publisher --name 焼津市 情報政策課
            """,
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "トークンを作成 Make a token and print it once.")

        @Option(name: .long, help: ArgumentHelp("データベース SQLite store file.", valueName: "file"))
        var db: String

        @Option(
            name: .long,
            help: ArgumentHelp("自治体 The 6-digit 全国地方公共団体コード, or `portal` for an admin token.", valueName: "code")
        )
        var municipality: String

        @Option(name: .long, help: ArgumentHelp("役割 editor, publisher or admin.", valueName: "role"))
        var role: String

        @Option(name: .long, help: ArgumentHelp("名前 Who or what the token is for (shown in lists and the log).", valueName: "text"))
        var name: String = ""

        @Option(name: .long, help: ArgumentHelp("有効日数 Days until it stops working (default: no expiry).", valueName: "days"))
        var expiresInDays: Int?

        func run() throws {
            guard let organisation = Organisation(municipality) else {
                printError("error: --municipality: \"\(municipality)\" is not a 6-digit 全国地方公共団体コード with a valid check digit, or portal")
                throw ExitCode.validationFailure
            }
            guard let role = Role(rawValue: role) else {
                printError("error: --role: \"\(role)\" is not one of editor, publisher, admin")
                throw ExitCode.validationFailure
            }
            if let days = expiresInDays, days < 1 {
                printError("error: --expires-in-days: must be 1 or more")
                throw ExitCode.validationFailure
            }
            let expires = expiresInDays.map { Date().addingTimeInterval(Double($0) * 86_400) }
            do {
                let store = try Store(path: db)
                let issued = try store.createToken(
                    TokenRequest(organisation: organisation, role: role, name: name, expires: expires),
                    by: .commandLine(user: Token.user)
                )
                print(issued.token)
                printError(
                    "token \(issued.info.id): \(role.rawValue) for \(organisation)\(expires.map { ", expires \(Token.day($0))" } ?? ""); shown once, keep it secret"
                )
            } catch {
                printError("error: \(error)")
                throw Status.unreadable
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "トークン一覧 List tokens (never their secrets).")

        @Option(name: .long, help: ArgumentHelp("データベース SQLite store file.", valueName: "file"))
        var db: String

        func run() throws {
            do {
                let now = Date()
                for token in try Store(path: db).tokens() {
                    let state =
                        token.revoked.map { "revoked \(Token.day($0))" }
                        ?? (token.isActive(at: now) ? "active" : "expired \(token.expires.map(Token.day) ?? "")")
                    let expires = token.expires.map { "  expires \(Token.day($0))" } ?? ""
                    print(
                        "\(token.id)  \(token.organisation)  \(token.role.rawValue)  \(state)  created \(Token.day(token.created))\(expires)  \(token.name)"
                    )
                }
            } catch {
                printError("error: \(error)")
                throw Status.unreadable
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "トークンを失効 Revoke a token by its id (from `list`).")

        @Option(name: .long, help: ArgumentHelp("データベース SQLite store file.", valueName: "file"))
        var db: String

        @Argument(help: ArgumentHelp("The token's id (16 hex digits).", valueName: "id"))
        var id: String

        func run() throws {
            let found: Bool
            do {
                found = try Store(path: db).revokeToken(id: id, by: .commandLine(user: Token.user))
            } catch {
                printError("error: \(error)")
                throw Status.unreadable
            }
            guard found else {
                printError("error: no token with id \(id)")
                throw Status.invalid
            }
            print("revoked \(id)")
        }
    }

    /// The operator running the command, for the log.
    static var user: String { ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName }

    static func day(_ date: Date) -> String { String(Store.timestamp(date).prefix(10)) }
}
