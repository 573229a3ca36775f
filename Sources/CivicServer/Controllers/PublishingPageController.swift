import CivicStore
import Foundation
import Hummingbird

/// The publishing page for city staff (`/publish`, Japanese first, `lang=en`): sign in with a token, pick one of the
/// municipality's datasets, upload a new file and read its report and diff, publish or roll back, and correct one
/// record in a form. The page is one HTML document with its script inline (no external assets); it calls the same
/// JSON API as every other client, with the token kept in the tab's sessionStorage. `GET /account` says whose a token
/// is and which datasets it may write.
struct PublishingPageController: Sendable {
    let store: Store
    let catalogue: Catalogue
    let authenticator: Authenticator
    let configuration: ServerConfiguration
    let delivery: Delivery

    /// `GET /account`: the token's account and the datasets it may write.
    struct Account: Codable {
        struct Dataset: Codable {
            var id: String
            var title: String
            var standardTitle: String
            /// The standard dataset id (`aed`), or `shelter_status` for a shelter list's status table.
            var standard: String
            var recordCount: Int
            var liveRelease: Int?
        }

        var tokenID: String
        var organisation: Organisation
        var role: Role
        var name: String?
        /// True when the token may publish and roll back (a publisher, the portal admin).
        var mayPublish: Bool
        var datasets: [Dataset]
    }

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/account") { request, _ in
            let principal = try self.authenticator.require(request)
            // Now, not the catalogue this site was built with (a dataset made a moment ago is in it).
            let datasets = try self.store.datasets().filter { principal.may(.editor, write: $0) }
            let account = Account(
                tokenID: principal.tokenID,
                organisation: principal.organisation,
                role: principal.role,
                name: principal.name,
                mayPublish: datasets.first.map { principal.may(.publisher, write: $0) } ?? (principal.role != .editor),
                datasets: datasets.map {
                    .init(
                        id: $0.id,
                        title: $0.title,
                        standardTitle: $0.standardTitle,
                        standard: $0.standard,
                        recordCount: $0.recordCount,
                        liveRelease: $0.liveRelease
                    )
                }
            )
            var response = Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: try documentJSON(account))))
            response.headers[.contentType] = "application/json; charset=utf-8"
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("/publish") { request, _ in
            try self.delivery.respond(request) { HTMLPages.payload(self.page(HTMLPages(configuration: self.configuration, request: request))) }
        }
    }

    func page(_ pages: HTMLPages) -> String {
        let t = pages.t
        let messages: [String: String] = [
            "badToken": t("トークンが正しくありません（期限切れ・失効を含む）。", "The token is not valid (unknown, revoked or expired)."),
            "signedIn": t("サインインしました。", "Signed in."),
            "signedOut": t("サインアウトしました。", "Signed out."),
            "uploading": t("アップロードして検証しています…", "Uploading and validating…"),
            "drafted": t("下書きリリースを作成しました。内容を確認して公開してください。", "A draft release was made: review it, then publish."),
            "published": t("公開しました。", "Published."),
            "rolledBack": t("以前の版を新しいリリースとして公開しました。", "The earlier release was published again as a new release."),
            "saved": t("保存して公開しました。", "Saved and published."),
            "savedDraft": t("下書きに保存しました（公開担当者の公開を待ちます）。", "Saved in the draft (waiting for a publisher)."),
            "conflict": t("ほかの人がこのレコードを更新しました。読み込み直してください。", "Someone changed this record meanwhile: load it again."),
            "invalid": t("レコードに誤りがあります。何も保存していません：", "The record has errors; nothing was saved:"),
            "notFound": t("そのIDのレコードはありません。", "There is no record with that ID."),
            "release": t("リリース", "Release"), "records": t("件数", "Records"), "state": t("状態", "State"), "valid": t("検証", "Validation"),
            "author": t("作成者", "Author"), "note": t("メモ", "Note"), "created": t("作成日時", "Created"), "actions": t("操作", "Actions"),
            "ok": t("エラーなし", "No errors"), "errors": t("エラーあり", "Has errors"),
            "draft": t("下書き", "Draft"), "live": t("公開中", "Live"), "superseded": t("過去の版", "Superseded"), "discarded": t("破棄", "Discarded"),
            "review": t("確認", "Review"), "publish": t("公開する", "Publish"), "rollback": t("この版に戻す", "Roll back to this"),
            "added": t("追加", "Added"), "removed": t("削除", "Removed"), "changed": t("変更", "Changed"), "unchanged": t("変更なし", "Unchanged"),
            "columnsAdded": t("追加された列", "Columns added"), "columnsRemoved": t("なくなった列", "Columns removed"),
            "reportTotals": t("検証結果：エラー {e} 件、警告 {w} 件、自動修正 {f} 件", "Validation: {e} errors, {w} warnings, {f} fixes"),
            "override": t("エラーがあるまま公開する理由（記録されます）", "Reason to publish with errors (recorded)"),
            "noPublish": t("この役割では公開できません（公開担当者が公開します）。", "This role cannot publish (a publisher will)."),
            "confirmRollback": t("リリース {n} の内容を新しいリリースとして公開しますか？", "Publish the records of release {n} again as a new release?"),
            "who": t("{org} の {role} としてサインイン中", "Signed in as {role} of {org}"),
        ]
        let messagesJSON = HTMLPages.scriptJSON(messages)
        let body = """
            <h1>\(t("公開作業", "Publishing"))</h1>
            <p>\(t("市区町村の担当者が、自団体のデータセットを更新・公開するページです。API トークン（<code>civic token create</code> で発行）でサインインします。", "For municipal staff: update and publish your municipality's datasets. Sign in with an API token (made with <code>civic token create</code>)."))</p>
            <p id="status" role="status" aria-live="polite"></p>
            <section id="signin-section" aria-labelledby="signin-title">
            <h2 id="signin-title">\(t("サインイン", "Sign in"))</h2>
            <form id="signin"><label for="token">\(t("トークン", "Token"))</label>
            <input id="token" name="token" type="password" autocomplete="off" required size="60">
            <button type="submit">\(t("サインイン", "Sign in"))</button></form>
            </section>
            <section id="work" hidden aria-labelledby="work-title">
            <h2 id="work-title">\(t("データセット", "Dataset"))</h2>
            <p><span id="who"></span> <button type="button" id="signout">\(t("サインアウト", "Sign out"))</button></p>
            <p><label for="dataset">\(t("データセットを選択", "Choose a dataset"))</label>
            <select id="dataset"></select></p>
            <section aria-labelledby="upload-title">
            <h3 id="upload-title">\(t("新しいファイルをアップロード", "Upload a new file"))</h3>
            <form id="upload"><p><label for="file">\(t("ファイル（CSV・TSV・Excel・GeoJSON）", "File (CSV, TSV, Excel, GeoJSON)"))</label>
            <input id="file" name="file" type="file" required accept=".csv,.tsv,.txt,.xlsx,.xls,.geojson,.json"></p>
            <p><label for="note">\(t("メモ（任意）", "Note (optional)"))</label> <input id="note" name="note" type="text" size="40">
            <button type="submit">\(t("アップロードして検証", "Upload and validate"))</button></p></form>
            </section>
            <section id="review" hidden aria-labelledby="review-title">
            <h3 id="review-title">\(t("リリースの内容", "The release"))</h3>
            <div id="review-body"></div>
            <form id="publish" hidden><p id="override-row" hidden><label for="override">\(t("エラーがあるまま公開する理由", "Reason to publish with errors"))</label>
            <input id="override" type="text" size="50"></p>
            <button type="submit" id="publish-button">\(t("公開する", "Publish"))</button></form>
            </section>
            <section aria-labelledby="releases-title">
            <h3 id="releases-title">\(t("リリース一覧", "Releases"))</h3>
            <div id="releases" class="scroll"></div>
            </section>
            <section aria-labelledby="edit-title">
            <h3 id="edit-title">\(t("レコードを1件修正", "Correct one record"))</h3>
            <form id="find"><label for="feature">ID</label> <input id="feature" type="text" required>
            <button type="submit">\(t("読み込む", "Load"))</button></form>
            <form id="edit" hidden><div id="fields"></div><p><button type="submit">\(t("保存", "Save"))</button></p></form>
            </section>
            </section>
            <script>
            \(Self.script(messagesJSON))
            </script>
            """
        return pages.page(title: t("公開作業", "Publishing"), path: "/publish", body: body)
    }

    /// The page's behaviour: every action is a call to the JSON API with the token.
    static func script(_ messagesJSON: String) -> String {
        """
        (function () {
          'use strict';
          const M = \(messagesJSON);
        \(HTMLPages.scriptHelpers)
          let account = null;
          let record = null;
          const dataset = () => $('dataset').value;
          async function signIn() {
            const r = await api('GET', '/account');
            if (r.status !== 200) { sessionStorage.removeItem('civic-token'); token = null; say(M.badToken, true); return; }
            account = r.data;
            sessionStorage.setItem('civic-token', token);
            $('signin-section').hidden = true;
            $('work').hidden = false;
            $('who').textContent = fill(M.who, { org: account.organisation, role: account.role });
            $('dataset').replaceChildren(...account.datasets.map((d) => el('option', { value: d.id }, d.title + '（' + d.standardTitle + '）')));
            say(M.signedIn);
            await loadReleases();
          }
          async function loadReleases() {
            const r = await api('GET', '/datasets/' + enc(dataset()) + '/releases');
            const table = el('table');
            table.append(el('caption', {}, M.release));
            const head = el('tr');
            for (const k of ['release', 'state', 'records', 'valid', 'author', 'note', 'created', 'actions']) head.append(el('th', { scope: 'col' }, M[k]));
            table.append(head);
            for (const release of (r.data && r.data.releases) || []) {
              const row = el('tr', { 'data-release': String(release.number), 'data-state': release.state });
              row.append(el('td', {}, String(release.number)), el('td', {}, M[release.state] || release.state), el('td', {}, String(release.recordCount)),
                el('td', {}, release.valid ? M.ok : M.errors), el('td', {}, release.author), el('td', {}, release.note || ''), el('td', {}, release.created));
              const actions = el('td');
              const review = el('button', { type: 'button', class: 'review' }, M.review);
              review.addEventListener('click', () => showRelease(release.number));
              actions.append(review);
              if (release.state === 'superseded' && account.mayPublish) {
                const back = el('button', { type: 'button', class: 'rollback' }, M.rollback);
                back.addEventListener('click', () => rollback(release.number));
                actions.append(' ', back);
              }
              row.append(actions);
              table.append(row);
            }
            $('releases').replaceChildren(table);
          }
          function list(title, count, items) {
            const section = el('div', { class: 'diff' });
            section.append(el('h4', {}, title + ' (' + count + ')'));
            if (items.length) { const ul = el('ul'); for (const item of items.slice(0, 50)) ul.append(el('li', {}, item)); section.append(ul); }
            return section;
          }
          async function showRelease(number) {
            const r = await api('GET', '/datasets/' + enc(dataset()) + '/releases/' + number);
            if (r.status !== 200) { refused(r); return; }
            const release = r.data;
            const body = $('review-body');
            body.replaceChildren(el('p', { id: 'review-summary' }, M.release + ' ' + release.number + ' — ' + (M[release.state] || release.state) + ' — ' + M.records + ' ' + release.recordCount));
            const report = await api('GET', '/datasets/' + enc(dataset()) + '/releases/' + number + '/report.json');
            if (report.status === 200 && report.data.summary) {
              const totals = report.data.summary.totals;
              body.append(el('p', { id: 'report-totals', class: totals.errors ? 'ng' : 'ok' }, fill(M.reportTotals, { e: totals.errors, w: totals.warnings, f: totals.fixed })));
              const errors = (report.data.findings || []).filter((f) => f.severity === 'error').slice(0, 20);
              if (errors.length) { const ul = el('ul'); for (const f of errors) ul.append(el('li', {}, (f.cell || ('L' + (f.line || ''))) + ' ' + (f.field || f.column || '') + ': ' + f.message)); body.append(ul); }
            }
            if (release.diff) {
              const d = release.diff;
              body.append(list(M.added, d.addedCount, d.added), list(M.removed, d.removedCount, d.removed),
                list(M.changed, d.changedCount, d.changed.map((c) => c.id + ': ' + c.fields.join('、'))));
              body.append(el('p', {}, M.unchanged + ' ' + d.unchanged));
              if (d.columnsAdded.length) body.append(el('p', {}, M.columnsAdded + ': ' + d.columnsAdded.join('、')));
              if (d.columnsRemoved.length) body.append(el('p', {}, M.columnsRemoved + ': ' + d.columnsRemoved.join('、')));
            }
            $('review').hidden = false;
            const form = $('publish');
            form.hidden = release.state !== 'draft';
            form.dataset.release = String(release.number);
            $('override-row').hidden = release.valid;
            $('publish-button').disabled = !account.mayPublish;
            if (release.state === 'draft' && !account.mayPublish) body.append(el('p', {}, M.noPublish));
          }
          // The server's refusal, in its own words.
          function refused(r) { say(r.data ? r.data.description : String(r.status), true); }
          // An answer that made a release: said, the list read again and the release shown; anything else refused.
          async function madeRelease(r, status, message) {
            if (r.status !== status) { refused(r); return; }
            say(message);
            await loadReleases();
            await showRelease(r.data.number);
          }
          async function rollback(number) {
            if (!window.confirm(fill(M.confirmRollback, { n: number }))) return;
            await madeRelease(await api('POST', '/datasets/' + enc(dataset()) + '/rollback?to=' + number), 201, M.rolledBack);
          }
          $('signin').addEventListener('submit', (event) => { event.preventDefault(); token = $('token').value.trim(); $('token').value = ''; signIn(); });
          $('signout').addEventListener('click', () => { sessionStorage.removeItem('civic-token'); token = null; $('work').hidden = true; $('signin-section').hidden = false; say(M.signedOut); });
          $('dataset').addEventListener('change', () => { $('review').hidden = true; $('edit').hidden = true; loadReleases(); });
          $('upload').addEventListener('submit', async (event) => {
            event.preventDefault();
            const file = $('file').files[0];
            if (!file) return;
            say(M.uploading);
            const r = await api('POST', '/datasets/' + enc(dataset()) + '/releases?filename=' + enc(file.name) + '&note=' + enc($('note').value), file);
            await madeRelease(r, 201, M.drafted);
          });
          $('publish').addEventListener('submit', async (event) => {
            event.preventDefault();
            const number = $('publish').dataset.release;
            const reason = $('override').value.trim();
            const r = await api('POST', '/datasets/' + enc(dataset()) + '/releases/' + number + '/publish', JSON.stringify(reason ? { override: reason } : {}), { 'Content-Type': 'application/json' });
            await madeRelease(r, 200, M.published);
          });
          $('find').addEventListener('submit', async (event) => {
            event.preventDefault();
            const id = $('feature').value.trim();
            const r = await api('GET', '/collections/' + enc(dataset()) + '/items/' + enc(id) + '?f=json');
            if (r.status !== 200) { say(M.notFound, true); $('edit').hidden = true; return; }
            record = { id, etag: r.etag, properties: r.data.properties };
            const fields = $('fields');
            fields.replaceChildren();
            Object.entries(record.properties).forEach(([name, value], index) => {
              const p = el('p');
              p.append(el('label', { for: 'field-' + index }, name), ' ');
              p.append(el('input', { id: 'field-' + index, 'data-name': name, type: 'text', size: '40', value: value === null ? '' : String(value) }));
              fields.append(p);
            });
            $('edit').hidden = false;
          });
          $('edit').addEventListener('submit', async (event) => {
            event.preventDefault();
            const patch = {};
            for (const input of $('fields').querySelectorAll('input')) {
              const name = input.dataset.name;
              const before = record.properties[name] === null ? '' : String(record.properties[name]);
              if (input.value !== before) patch[name] = input.value === '' ? null : input.value;
            }
            const r = await api('PATCH', '/collections/' + enc(dataset()) + '/items/' + enc(record.id), JSON.stringify({ properties: patch }),
              { 'Content-Type': 'application/merge-patch+json', 'If-Match': record.etag });
            if (r.status === 200 || r.status === 202) {
              say(r.status === 200 ? M.saved : M.savedDraft);
              record = { id: record.id, etag: r.etag, properties: r.data.properties };
              await loadReleases();
            } else if (r.status === 412) {
              say(M.conflict, true);
            } else if (r.status === 400 && r.data && r.data.findings) {
              say(M.invalid + ' ' + r.data.findings.filter((f) => f.severity === 'error').map((f) => (f.field || f.column) + ': ' + f.message).join(' / '), true);
            } else {
              refused(r);
            }
          });
          if (token) signIn();
        })();
        """
    }
}
