"""The shelter staff's status page in a real browser (Playwright, Debian's headless Chromium, a phone-sized window):
sign in with the municipality's token, open a shelter with one tap, enter the evacuee count, see an update made
meanwhile by someone else as a plain conflict, and see another device's update appear live (the change feed's
Server-Sent Events), without reloading.

Run by integration/clients/run.sh (CIVIC_TOKEN_PUBLISHER is 焼津市's publisher).
"""

import shutil

import pytest
from status_api import BASE, PUBLISHER, TABLE, get, patch

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


def open_page(browser, live=True):
    page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    if not live:
        # No live events: the page keeps the tag it loaded, as a phone that lost the stream would.
        page.route("**/changes", lambda route: route.abort())
    page.goto(BASE + "/status")
    page.get_by_label("トークン").fill(PUBLISHER)
    page.get_by_role("button", name="サインイン").click()
    return page


def card(page, feature):
    return page.locator(f'li[data-shelter="{feature}"]')


def test_staff_open_count_and_see_conflicts(browser):
    from playwright.sync_api import expect

    shelters = get(f"/collections/{TABLE}/items?limit=1")[0]["numberMatched"]
    page = open_page(browser, live=False)
    expect(page.locator("#status")).to_have_text("サインインしました。")
    assert page.locator("html").get_attribute("lang") == "ja"
    expect(page.locator("li.shelter")).to_have_count(shelters)
    shelter = card(page, "6")
    # One tap opens it; large enough for a thumb.
    button = shelter.get_by_role("button", name="開設", exact=True)
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    button.click()
    expect(shelter.locator(".message")).to_have_text("更新しました。")
    expect(button).to_have_attribute("aria-pressed", "true")
    record = get(f"/collections/{TABLE}/items/6")[0]["properties"]
    assert record["状態"] == "開設" and record["開設日時"] and record["更新者"].startswith("token:")
    # The count.
    shelter.get_by_label("避難者数").fill("42")
    shelter.get_by_role("button", name="保存").click()
    expect(shelter.locator(".summary")).to_contain_text("避難者数 42")
    assert get(f"/collections/{TABLE}/items/6")[0]["properties"]["避難者数"] == 42
    # Someone else closes it meanwhile: this page's tap is a conflict, and it shows the newer state.
    patch("6", {"状態": "閉鎖"})
    shelter.get_by_role("button", name="満員", exact=True).click()
    expect(shelter.locator(".message")).to_contain_text("ほかの職員が先に更新していました")
    expect(shelter.locator(".summary")).to_contain_text("閉鎖")
    assert get(f"/collections/{TABLE}/items/6")[0]["properties"]["状態"] == "閉鎖"


def test_another_devices_update_appears_live(browser):
    from playwright.sync_api import expect

    page = open_page(browser)
    expect(page.locator("#live")).to_contain_text("最新の状態を自動で表示")
    patch("7", {"状態": "開設", "避難者数": 13})
    shelter = card(page, "7")
    expect(shelter.locator(".summary")).to_contain_text("避難者数 13", timeout=2000)
    expect(shelter.get_by_role("button", name="開設", exact=True)).to_have_attribute("aria-pressed", "true")
