import CivicData
import Foundation
import Hummingbird

/// `/status`: the page shelter staff update shelters from, on a phone (docs/shelter-status.md). Signed in with the
/// municipality's token, it lists the shelters of its status tables with one tap per 状態 and a field for 避難者数;
/// each change is a JSON Merge Patch with `If-Match` (the record's tag when it was shown), so an update made
/// meanwhile by someone else is a plain conflict message and the card shows the newer state; the cards follow the
/// change feed's events live. Japanese first, large touch targets, one column on a narrow screen, no external assets.
struct StatusPageController: Sendable {
    let configuration: ServerConfiguration
    let delivery: Delivery

    func addRoutes(to router: Router<CivicRequestContext>) {
        router.get("/status") { request, _ in
            try self.delivery.respond(request) { HTMLPages.payload(self.page(HTMLPages(configuration: self.configuration, request: request))) }
        }
    }

    func page(_ pages: HTMLPages) -> String {
        let t = pages.t
        typealias Column = ShelterStatus.Column
        let messages: [String: String] = [
            "badToken": t("トークンが正しくありません（期限切れ・失効を含む）。", "The token is not valid (unknown, revoked or expired)."),
            "none": t("このトークンで更新できる避難所開設状況の表はありません。", "This token may update no shelter status table."),
            "signedIn": t("サインインしました。", "Signed in."),
            "saved": t("更新しました。", "Updated."),
            "conflict": t(
                "ほかの職員が先に更新していました。最新の状態を表示しています。確認してからもう一度操作してください。",
                "Someone else updated this shelter first. Its latest state is shown: check it, then try again."
            ),
            "refused": t("更新できませんでした：", "Not updated:"),
            "draft": t("下書きに保存しました（公開担当者の公開を待ちます）。", "Saved in the draft (waiting for a publisher)."),
            "offline": t("通信できませんでした。電波の良い場所でもう一度操作してください。", "Could not reach the server: try again where the signal is better."),
            "evacuees": Column.evacuees, "crowding": Column.crowding, "updated": t("更新", "Updated"), "save": t("保存", "Save"),
            "live": t("最新の状態を自動で表示しています。", "Showing the latest state as it changes."),
            "who": t("{org} の {role} としてサインイン中", "Signed in as {role} of {org}"),
        ]
        let messagesJSON = HTMLPages.scriptJSON(messages)
        let states = HTMLPages.scriptJSON(ShelterStatus.State.allCases.map(\.rawValue))
        let body = """
            <style>
            .shelters { list-style: none; padding: 0; } .shelter { border: 1px solid #767676; border-radius: .5rem; padding: .75rem; margin: .75rem 0; }
            .shelter h3 { margin: 0 0 .25rem; font-size: 1.2rem; } .states { display: flex; flex-wrap: wrap; gap: .5rem; margin: .5rem 0; }
            .states button, .count button, #signin button { min-height: 3rem; min-width: 5.5rem; font-size: 1.1rem; border-radius: .4rem; border: 2px solid #004b8d; background: #fff; }
            .states button[aria-pressed="true"] { background: #004b8d; color: #fff; font-weight: bold; }
            .count input { font-size: 1.3rem; width: 7rem; min-height: 2.75rem; } .count { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
            .summary { margin: 0; } .message { margin: .25rem 0 0; font-weight: bold; }
            @media (max-width: 30rem) { .states button { flex: 1 1 45%; } }
            </style>
            <h1>\(t("避難所の開設状況を更新", "Update shelter status"))</h1>
            <p>\(t("避難所の職員が、開設・満員・閉鎖と避難者数をその場で更新するページです。自治体のAPIトークンでサインインします。", "For shelter staff: set each shelter's status and evacuee count as it changes. Sign in with your municipality's API token."))</p>
            <p id="status" role="status" aria-live="polite"></p>
            <section id="signin-section" aria-labelledby="signin-title">
            <h2 id="signin-title">\(t("サインイン", "Sign in"))</h2>
            <form id="signin"><label for="token">\(t("トークン", "Token"))</label>
            <input id="token" name="token" type="password" autocomplete="off" required>
            <button type="submit">\(t("サインイン", "Sign in"))</button></form>
            </section>
            <section id="work" hidden aria-labelledby="work-title">
            <h2 id="work-title">\(t("避難所", "Shelters"))</h2>
            <p><span id="who"></span></p>
            <p><label for="table">\(t("表を選択", "Choose a table"))</label> <select id="table"></select></p>
            <p id="live"></p>
            <ul id="shelters" class="shelters"></ul>
            </section>
            <script>
            \(Self.script(messagesJSON, states: states))
            </script>
            """
        return pages.page(title: t("避難所の開設状況を更新", "Update shelter status"), path: "/status", body: body)
    }

    /// The page's behaviour: every action is a call to the JSON API with the token.
    static func script(_ messagesJSON: String, states: String) -> String {
        """
        (function () {
          'use strict';
          const M = \(messagesJSON);
          const STATES = \(states);
        \(HTMLPages.scriptHelpers)
          let table = null;
          let events = null;
          const tags = {};
          const item = (id) => '/collections/' + enc(table) + '/items/' + enc(id);
          const cardOf = (id) => document.querySelector('[data-shelter="' + CSS.escape(id) + '"]');
          function show(feature) {
            const p = feature.properties || {};
            let card = cardOf(feature.id);
            if (!card) {
              card = el('li', { class: 'shelter', 'data-shelter': feature.id });
              const title = el('h3', { id: 'name-' + feature.id });
              const summary = el('p', { class: 'summary' });
              const buttons = el('div', { class: 'states', role: 'group', 'aria-labelledby': 'name-' + feature.id });
              for (const state of STATES) {
                const button = el('button', { type: 'button', 'data-state': state, 'aria-pressed': 'false' }, state);
                button.addEventListener('click', () => change(feature.id, { '状態': state }));
                buttons.append(button);
              }
              const form = el('form', { class: 'count' });
              const label = el('label', { for: 'count-' + feature.id }, M.evacuees);
              const input = el('input', { id: 'count-' + feature.id, type: 'number', inputmode: 'numeric', min: '0', step: '1' });
              form.append(label, input, el('button', { type: 'submit' }, M.save));
              form.addEventListener('submit', (event) => {
                event.preventDefault();
                change(feature.id, { '避難者数': input.value === '' ? null : input.value });
              });
              card.append(title, summary, buttons, form, el('p', { class: 'message', role: 'status', 'aria-live': 'polite' }));
              $('shelters').append(card);
            }
            card.querySelector('h3').textContent = p['名称'] || feature.id;
            const parts = [p['状態'] || ''];
            if (p['避難者数'] !== null && p['避難者数'] !== undefined && p['避難者数'] !== '') parts.push(M.evacuees + ' ' + p['避難者数']);
            if (p['混雑度']) parts.push(M.crowding + ' ' + p['混雑度']);
            if (p['更新日時']) parts.push(M.updated + ' ' + p['更新日時'].replace('T', ' ').slice(0, 16));
            card.querySelector('.summary').textContent = parts.join(' ・ ');
            card.setAttribute('data-current', p['状態'] || '');
            for (const button of card.querySelectorAll('.states button')) button.setAttribute('aria-pressed', String(button.dataset.state === p['状態']));
            const input = card.querySelector('input');
            if (document.activeElement !== input) input.value = p['避難者数'] ?? '';
          }
          function tell(id, text, bad) { const m = cardOf(id).querySelector('.message'); m.textContent = text; m.className = 'message ' + (bad ? 'ng' : 'ok'); }
          // Reads of a shelter in flight, by id: only the last one asked shows (an older answer never overwrites a newer).
          const asked = {};
          async function reload(id) {
            const mine = (asked[id] = (asked[id] || 0) + 1);
            const r = await api('GET', item(id), undefined, { Accept: 'application/geo+json' });
            if (asked[id] === mine && r.status === 200) { tags[id] = r.etag; show(r.data); }
          }
          async function change(id, properties) {
            if (!tags[id]) await reload(id);
            const r = await api('PATCH', item(id), JSON.stringify({ properties }), { 'Content-Type': 'application/merge-patch+json', 'If-Match': tags[id] });
            if (r.status === 200) { asked[id] = (asked[id] || 0) + 1; tags[id] = r.etag; show(r.data); tell(id, M.saved); }
            else if (r.status === 202) { tell(id, M.draft); }
            else if (r.status === 412) { await reload(id); tell(id, M.conflict, true); }
            else if (r.status === 0) { tell(id, M.offline, true); }
            else { tell(id, M.refused + ' ' + ((r.data && r.data.description) || r.status), true); }
          }
          // The change events with the token (an EventSource cannot send one, and shelters kept from the public are
          // only in the staff's events): read as a stream, resumed after a drop with Last-Event-ID.
          function follow(url, onEvent, onOpen, onError) {
            let last = null, stopped = false;
            const controller = new AbortController();
            (async () => {
              while (!stopped) {
                try {
                  const headers = { Accept: 'text/event-stream', Authorization: 'Bearer ' + token };
                  if (last) headers['Last-Event-ID'] = last;
                  const response = await fetch(url, { headers, cache: 'no-store', signal: controller.signal });
                  if (!response.ok) throw new Error(String(response.status));
                  onOpen();
                  const reader = response.body.getReader();
                  const decoder = new TextDecoder();
                  let buffer = '';
                  for (;;) {
                    const { value, done } = await reader.read();
                    if (done) break;
                    buffer += decoder.decode(value, { stream: true });
                    let end;
                    while ((end = buffer.indexOf('\\n\\n')) >= 0) {
                      const block = buffer.slice(0, end);
                      buffer = buffer.slice(end + 2);
                      let id = null, data = '';
                      for (const line of block.split('\\n')) {
                        if (line.startsWith('id:')) id = line.slice(3).trim();
                        else if (line.startsWith('data:')) data += line.slice(5).trim();
                      }
                      if (id) last = id;
                      if (data) onEvent(JSON.parse(data));
                    }
                  }
                } catch (error) {
                  if (stopped) return;
                }
                onError();
                await new Promise((resolve) => setTimeout(resolve, 2000));
              }
            })();
            return { close() { stopped = true; controller.abort(); } };
          }
          async function load() {
            table = $('table').value;
            $('shelters').replaceChildren();
            $('live').textContent = '';
            // The live events first: once the stream is open every later change comes as an event, so loading the list
            // after it leaves no gap (a change in between is in the list, or comes as an event, or both).
            if (events) events.close();
            // A shelter an event named is read again at once; the list, which may be older, then leaves it alone.
            const fresh = new Set();
            await new Promise((resolve) => {
              events = follow('/collections/' + enc(table) + '/changes', (event) => {
                if (!event.subject) return;
                fresh.add(event.subject);
                reload(event.subject);
              }, () => { $('live').textContent = M.live; resolve(); }, resolve);
              setTimeout(resolve, 3000);
            });
            const r = await api('GET', '/collections/' + enc(table) + '/items?limit=10000', undefined, { Accept: 'application/geo+json' });
            const features = ((r.data && r.data.features) || []).filter((f) => !fresh.has(f.id));
            for (const feature of features) show(feature);
            // Each shelter's tag as shown, a few at a time (what If-Match compares).
            const ids = features.map((f) => f.id);
            const next = async () => { while (ids.length) { const id = ids.shift(); if (!fresh.has(id)) await reload(id); } };
            await Promise.all([next(), next(), next(), next()]);
          }
          async function signIn() {
            const r = await api('GET', '/account');
            if (r.status !== 200) { sessionStorage.removeItem('civic-token'); token = null; say(M.badToken, true); return; }
            sessionStorage.setItem('civic-token', token);
            const tables = r.data.datasets.filter((d) => d.standard === 'shelter_status');
            if (!tables.length) { say(M.none, true); return; }
            $('signin-section').hidden = true;
            $('work').hidden = false;
            $('who').textContent = fill(M.who, { org: r.data.organisation, role: r.data.role });
            $('table').replaceChildren(...tables.map((d) => el('option', { value: d.id }, d.title)));
            $('table').addEventListener('change', load);
            say(M.signedIn);
            await load();
          }
          $('signin').addEventListener('submit', (event) => { event.preventDefault(); token = $('token').value.trim(); signIn(); });
          if (token) signIn();
        })();
        """
    }
}
