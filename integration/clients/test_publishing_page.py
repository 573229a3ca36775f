"""The publishing page for city staff in a real browser: Playwright drives Debian's headless Chromium through sign-in
with a token, uploading a file, reading its report and diff, publishing, seeing the map show the new record,
correcting one record in the form, and rolling back.

Run by integration/clients/run.sh (which serves a store with tokens it made: CIVIC_TOKEN_PUBLISHER, CIVIC_TOKEN_EDITOR).
Leaves 焼津市's AED records as it found them (the rollback publishes them again).
"""

import json
import os
import shutil
import urllib.request

import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
PUBLISHER = os.environ["CIVIC_TOKEN_PUBLISHER"]
EDITOR = os.environ["CIVIC_TOKEN_EDITOR"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


def get(path):
    with urllib.request.urlopen(BASE + path, timeout=30) as response:
        return json.load(response)


def edited_file(folder):
    """焼津市's AED list with NO 2 removed, NO 1's 設置位置 changed and a NO 999 added (CRLF, as published)."""
    with open("datasets/yaizu-aed/data.csv", encoding="utf-8", newline="") as source:
        lines = source.read().split("\r\n")
    lines[1] = lines[1].replace("２階正面入口", "１階ロビー")
    added = lines[3].replace("0000000003", "0000000999")
    del lines[2]
    lines.insert(len(lines) - 1, added)
    path = folder / "222127_aed.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    return path


def sign_in(page, token):
    page.goto(BASE + "/publish")
    page.get_by_label("トークン").fill(token)
    page.get_by_role("button", name="サインイン").click()


def test_upload_review_publish_edit_and_roll_back(browser, tmp_path):
    from playwright.sync_api import expect

    live_before = get("/api/3/action/package_show?id=yaizu-aed")["result"]["version"]
    page = browser.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, PUBLISHER)
    expect(page.locator("#status")).to_have_text("サインインしました。")
    assert page.locator("html").get_attribute("lang") == "ja"
    page.select_option("#dataset", "yaizu-aed")
    # Upload → a draft with its report and diff.
    page.set_input_files("#file", str(edited_file(tmp_path)))
    page.get_by_label("メモ（任意）").fill("NO 2 撤去")
    page.get_by_role("button", name="アップロードして検証").click()
    expect(page.locator("#status")).to_contain_text("下書きリリースを作成しました")
    review = page.locator("#review-body")
    expect(review).to_contain_text("追加 (1)")
    expect(review).to_contain_text("0000000999")
    expect(review).to_contain_text("削除 (1)")
    expect(review).to_contain_text("0000000001: 設置位置")
    expect(page.locator("#report-totals")).to_contain_text("エラー 0 件")
    # Readers do not see the draft yet.
    assert get("/collections/yaizu-aed/items?limit=1")["numberMatched"] == 82
    with pytest.raises(urllib.error.HTTPError):
        get("/collections/yaizu-aed/items/0000000999")
    # Publish → the map shows the new record.
    page.get_by_role("button", name="公開する").click()
    expect(page.locator("#status")).to_have_text("公開しました。")
    map_page = browser.new_page()
    map_page.goto(BASE + "/collections/yaizu-aed/items/0000000999?f=html")
    expect(map_page.locator("#map")).to_have_attribute("data-markers", "1", timeout=15000)
    assert get("/collections/yaizu-aed/items/0000000999")["properties"]["ID"] == "0000000999"
    # Correct one record in the form.
    page.get_by_label("ID", exact=True).fill("0000000999")
    page.get_by_role("button", name="読み込む").click()
    page.get_by_label("設置位置", exact=True).fill("正面玄関横")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#status")).to_have_text("保存して公開しました。")
    assert get("/collections/yaizu-aed/items/0000000999")["properties"]["設置位置"] == "正面玄関横"
    # An invalid value is refused with what is wrong; nothing is saved.
    page.get_by_label("全国地方公共団体コード", exact=True).fill("222128")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#status")).to_contain_text("レコードに誤りがあります")
    assert get("/collections/yaizu-aed/items/0000000999")["properties"]["全国地方公共団体コード"] == "222127"
    # Roll back to the release that was live before the upload.
    page.locator(f'tr[data-release="{live_before}"] button.rollback').click()
    expect(page.locator("#status")).to_have_text("以前の版を新しいリリースとして公開しました。")
    with pytest.raises(urllib.error.HTTPError):
        get("/collections/yaizu-aed/items/0000000999")
    assert get("/collections/yaizu-aed/items/0000000002")["properties"]["ID"] == "0000000002"


def test_an_editor_cannot_publish_and_a_bad_token_is_refused(browser):
    from playwright.sync_api import expect

    page = browser.new_page()
    sign_in(page, "civic_0000000000000000_not-a-token")
    expect(page.locator("#status")).to_contain_text("トークンが正しくありません")
    assert page.locator("#work").is_hidden()
    sign_in(page, EDITOR)
    expect(page.locator("#status")).to_have_text("サインインしました。")
    page.select_option("#dataset", "yaizu-aed")
    expect(page.locator("tr[data-state=live]")).to_have_count(1)
    assert page.locator("button.rollback").count() == 0
    english = browser.new_page()
    english.goto(BASE + "/publish?lang=en")
    assert english.locator("html").get_attribute("lang") == "en"
    expect(english.get_by_role("button", name="Sign in")).to_be_visible()
