"""The status page and the portfolio in a real browser: Debian's headless
Chromium opens them from disk with the network off (see
:mod:`headless` beside this file). Without chromium, chromium-driver or selenium
the tests skip, or fail in CI (``XLCOLLAB_REQUIRE_OFFICE=1`` / ``CI``)."""

from __future__ import annotations

import datetime as dt
import os
import re

import headless as B
import pytest

from xlcollab.core import figures as F
from xlcollab.core.calendar import WorkCalendar
from xlcollab.io.save import save_new_workbook
from xlcollab.page import PageOptions, write_page
from xlcollab.page.portfolio import build_portfolio, write_portfolio
from xlcollab.reports.common import fmt_money, fmt_pct
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

AS_OF = dt.date(2026, 4, 1)
WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def driver():
    if B.available() is None:
        if os.environ.get("XLCOLLAB_REQUIRE_OFFICE") == "1" or os.environ.get("CI"):
            pytest.fail("chromium, chromium-driver and selenium are required")
        pytest.skip("chromium, chromium-driver or selenium not installed")
    with B.chromium() as d:
        yield d


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory):
    data = demo_project()
    tasks = data.tables["tasks"]
    i = tasks.index[tasks["wbs"] == "3.4.2"][0]
    tasks.loc[i, "name"] = "<script>window.__xss=1</script>知识库<img src=x onerror=window.__xss=2>"
    out = tmp_path_factory.mktemp("page")
    target, ctx = write_page(
        data, out, AS_OF, PageOptions(generated_at=dt.datetime(2026, 4, 1, 2, 0))
    )
    return target, ctx["figures"]


def open_page(driver, path, width=1280):
    B.requested_urls(driver)  # forget earlier requests
    driver.get_log("browser")
    B.set_width(driver, width)
    driver.get(path.as_uri())
    return driver


def problems(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def test_no_console_errors_and_no_network(driver, demo_page):
    path, _ = demo_page
    open_page(driver, path)
    assert problems(driver) == []
    urls = B.requested_urls(driver)
    assert urls and all(u.startswith(("file:", "data:")) for u in urls), urls
    assert driver.execute_script("return window.__xss") is None


def test_figures_shown_equal_core_figures(driver, demo_page):
    path, fig = demo_page
    open_page(driver, path)
    shown = {
        e.get_attribute("data-figure"): e.text.strip()
        for e in driver.find_elements("css selector", "[data-figure]")
    }
    want = {
        "progress": fmt_pct(fig.progress),
        "tasks": str(fig.tasks),
        "blocked": str(fig.blocked),
        "overdue": str(fig.overdue),
        "due_soon": str(fig.due_soon),
        "spent": fmt_money(fig.spent),
        "budget": fmt_money(fig.budget),
        **{f"blocked_{lv}": str(n) for lv, n in fig.blocked_at.items()},
    }
    for k, v in want.items():
        assert shown[k] == v, k
    data = demo_project()
    core = F.status_figures(data, AS_OF, WorkCalendar.from_holidays(data.tables["holidays"]))
    assert (core.tasks, core.overdue, core.spent) == (fig.tasks, fig.overdue, fig.spent)


def test_hostile_task_name_shows_as_text(driver, demo_page):
    path, _ = demo_page
    open_page(driver, path)
    body = driver.find_element("tag name", "body").text
    assert "<script>window.__xss=1</script>知识库" in body
    assert driver.execute_script("return window.__xss") is None
    assert len(driver.find_elements("css selector", "script")) == 1
    assert driver.find_elements("css selector", "main img") == []


def column(driver, table_id: str, i: int) -> list[str]:
    return [
        td.text.strip()
        for td in driver.find_elements("css selector", f"#{table_id} tbody tr td:nth-child({i})")
    ]


def test_sorting(driver, demo_page):
    path, _ = demo_page
    open_page(driver, path)
    header = driver.find_elements("css selector", "#dept-table thead th")[1]  # tasks
    header.click()
    counts = [int(v) for v in column(driver, "dept-table", 2)]
    assert counts == sorted(counts)
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    counts = [int(v) for v in column(driver, "dept-table", 2)]
    assert counts == sorted(counts, reverse=True)
    name = driver.find_elements("css selector", "#dept-table thead th")[0]
    name.click()
    assert name.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    money = driver.find_elements("css selector", "#budget-table thead th")[2]  # spent
    money.click()
    spent = [float(re.sub(r"[¥,]", "", v)) for v in column(driver, "budget-table", 3)]
    assert spent == sorted(spent)


def test_filtering(driver, demo_page):
    path, _ = demo_page
    open_page(driver, path)
    box = driver.find_element("css selector", 'input[data-filter="problem-table"]')
    rows = driver.find_elements("css selector", "#problem-table tbody tr")
    total = len(rows)
    box.send_keys("信息技术部")
    visible = [r for r in rows if r.is_displayed()]
    assert 0 < len(visible) < total
    assert all("信息技术部" in r.text for r in visible)
    shown = driver.find_element("css selector", "#problems .shown").text
    assert shown == f"{len(visible)} / {total}"
    box.clear()
    box.send_keys(" ")  # an input event with an empty query shows everything again
    assert all(r.is_displayed() for r in rows)


@pytest.mark.parametrize("width", WIDTHS)
def test_no_horizontal_scrolling(driver, demo_page, width):
    path, _ = demo_page
    open_page(driver, path, width)
    sw, cw = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert cw == width
    assert sw <= cw
    assert problems(driver) == []


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory):
    folder = tmp_path_factory.mktemp("books")
    paths = []
    for i in range(3):
        data = demo_project()
        data.overview["name"] = f"项目{i}"
        p = folder / f"p{i}.xlsx"
        save_new_workbook(build_workbook(data), p)
        paths.append(p)
    bad = folder / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    out = tmp_path_factory.mktemp("portfolio")
    rows = build_portfolio([*paths, bad], out, workers=2)
    html, _ = write_portfolio(rows, out, "zh")
    return html


@pytest.mark.parametrize("width", WIDTHS)
def test_portfolio_page(driver, portfolio, width):
    open_page(driver, portfolio, width)
    assert problems(driver) == []
    sw, cw = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sw <= cw
    assert driver.find_element("css selector", '[data-figure="count"]').text == "4"
    assert "broken.xlsx" in driver.find_element("id", "portfolio-table").text
    link = driver.find_elements("css selector", "#portfolio-table td.main a")[0]
    link.click()
    assert driver.current_url.endswith("/index.html") and "/p" in driver.current_url
    assert driver.find_element("id", "project").text.startswith("项目")
    assert problems(driver) == []
