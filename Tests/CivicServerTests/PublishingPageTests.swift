import CivicStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import CivicServer

/// The publishing page and the account it signs in to: `/account` names the token's municipality, role and the
/// datasets it may write (401 without a token); `/publish` is one labelled, Japanese-first page with its script inline.
/// (The page's behaviour is tested in headless Chromium: integration/clients/test_publishing_page.py.)
@Suite struct PublishingPageTests {
    typealias Fixture = ReleaseHTTPTests.Fixture

    @Test func theAccountListsTheDatasetsATokenMayWrite() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/account", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/account", method: .get, headers: [.authorization: "Bearer \(fixture.yaizuEditor)"]) { response in
                let account = try ReleaseHTTPTests.json(response)
                #expect(account["organisation"] as? String == "222127" && account["role"] as? String == "editor")
                #expect(account["mayPublish"] as? Bool == false)
                let ids = (account["datasets"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
                // Its shelter list's status table too (docs/shelter-status.md).
                #expect(
                    ids == ["yaizu-aed", "yaizu-evacuation-space", "yaizu-evacuation-space-status", "yaizu-public-facility", "yaizu-public-toilet"]
                )
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/account", method: .get, headers: [.authorization: "Bearer \(fixture.admin)"]) { response in
                let account = try ReleaseHTTPTests.json(response)
                #expect((account["datasets"] as? [Any])?.count == 12 && account["mayPublish"] as? Bool == true)
            }
        }
    }

    @Test func thePageIsLabelledJapaneseFirstAndSelfContained() async throws {
        let fixture = try Fixture()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/publish", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("<html lang=\"ja\">") && page.contains("<h1>公開作業</h1>"))
                #expect(page.contains("<label for=\"token\">トークン</label>") && page.contains("<label for=\"file\">"))
                #expect(page.contains("role=\"status\" aria-live=\"polite\""))
                // No external assets: no script or stylesheet from elsewhere.
                #expect(!page.contains("<script src") && !page.contains("<link rel=\"stylesheet\""))
            }
            try await client.execute(uri: "/publish?lang=en", method: .get) { response in
                let page = String(buffer: response.body)
                #expect(page.contains("<html lang=\"en\">") && page.contains("<h1>Publishing</h1>"))
            }
        }
    }
}
