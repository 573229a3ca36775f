"""The portal KPI pages in a real browser (Playwright, Debian's headless Chromium): the dashboard and a municipality's
page open, their charts are drawn (SVG bars with a size), and the tables behind the charts agree with `/kpi`'s JSON.

Run by integration/clients/run.sh.
"""

import json
import os
import shutil
import urllib.request

import pytest

BASE = os.environ["CIVIC_URL"].rstrip("/")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LOGS = os.environ.get("CIVIC_CLIENT_LOGS", ".build/clients")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (make test installs it)")


def kpi(path="/kpi"):
    with urllib.request.urlopen(BASE + path, timeout=30) as response:
        return json.load(response)


def test_the_dashboard_draws_its_charts_and_its_tables_agree_with_the_json(browser):
    data = kpi()
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(BASE + "/kpi?f=html")
    assert page.locator("html").get_attribute("lang") == "ja"
    charts = page.locator("svg[role=img]")
    # Coverage, publishers, the quality distribution, activity by month, and usage by day (once there is any).
    assert charts.count() == 4 + (1 if data["portal"]["usageByDay"] else 0)
    assert all(chart.bounding_box()["height"] > 0 for chart in charts.all())
    # Drawn: each municipality's bar has a width on screen, in proportion to its count.
    bars = page.eval_on_selector_all("#coverage-chart + svg rect", "rs => rs.map(r => [r.getBoundingClientRect().width, Number(r.dataset.value)])")
    assert len(bars) == len(data["municipalities"])
    assert all((width > 0) == (value > 0) for width, value in bars)
    widest = max(bars, key=lambda b: b[1])
    assert all(abs(width / widest[0] - value / widest[1]) < 0.02 for width, value in bars if value > 0)
    # The table behind the chart, and the matrix, say what the JSON says.
    rows = page.eval_on_selector_all("#coverage-table tbody tr", "rs => rs.map(r => [r.dataset.code, r.cells[1].textContent])")
    assert rows == [[m["code"], f"{m['coverage']['published']} / {m['coverage']['total']}"] for m in data["municipalities"]]
    marked = page.locator("#coverage-matrix td[data-published='1']").count()
    assert marked == data["portal"]["coverage"]["published"]
    # The quality distribution: its bars in proportion, its table the JSON's bands.
    bands = page.eval_on_selector_all("#quality-bands tbody tr", "rs => rs.map(r => Number(r.cells[1].textContent))")
    assert bands == [band["datasets"] for band in data["portal"]["quality"]]
    assert sum(bands) == sum(len(m["datasets"]) for m in data["municipalities"])
    quality_bars = page.eval_on_selector_all("#quality + p + svg rect", "rs => rs.map(r => [r.getBoundingClientRect().width, Number(r.dataset.value)])")
    assert [value for _, value in quality_bars] == bands and all((width > 0) == (value > 0) for width, value in quality_bars)
    # Activity by month and usage by day: the tables are the JSON's.
    activity = page.eval_on_selector_all("#activity-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))")
    assert activity == [[a["month"], str(a["releases"]), str(a["edits"])] for a in data["portal"]["activity"][-24:]]
    usage = page.eval_on_selector_all("#usage-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))")
    assert usage == [[u["day"], str(u["downloads"]), str(u["apiRequests"]), str(u["notModified"])] for u in data["portal"]["usageByDay"]]
    page.screenshot(path=os.path.join(LOGS, "kpi-dashboard.png"), full_page=True)
    # A municipality's page from the dashboard's link.
    page.click("#coverage-table a[href^='/kpi/222127']")
    page.wait_for_selector("#missing")
    yaizu = kpi("/kpi/222127")
    assert page.locator("#coverage").inner_text() == f"{yaizu['coverage']['published']} / {yaizu['coverage']['total']}"
    assert page.locator("#missing li").count() == len(yaizu["missing"])
    assert page.locator("#published li").count() == len(yaizu["published"])
    assert page.locator("#quality-table tbody tr").count() == len(yaizu["datasets"])
    quality_bars = page.eval_on_selector_all("svg[role=img]:first-of-type rect", "rs => rs.filter(r => r.getBoundingClientRect().width > 0).length")
    assert quality_bars == len(yaizu["datasets"])
    months = page.eval_on_selector_all("#activity-table tbody tr", "rs => rs.map(r => [...r.cells].map(c => c.textContent))")
    assert months == [[a["month"], str(a["releases"]), str(a["edits"])] for a in yaizu["activity"][-24:]]
    used = page.eval_on_selector_all("#dataset-usage tbody tr", "rs => rs.map(r => [r.dataset.id, r.cells[1].textContent, r.cells[2].textContent])")
    assert used == [[d["id"], str(d["usage"]["downloads"]), str(d["usage"]["apiRequests"])] for d in yaizu["datasets"]]
    page.screenshot(path=os.path.join(LOGS, "kpi-222127.png"), full_page=True)
    page.close()
