"""Render the README's pictures of the status page and the portfolio with
the distribution's headless Chromium (offline).

    .venv/bin/python scripts/page_pictures.py [docs]

The demo project runs the nightly check twice (2026-03-31 with a few tasks
one step behind, then 2026-04-01), so the page shows what changed between
the two runs; then the page is photographed at phone width (375 px) and at
desktop width (1280 px). The portfolio picture shows six variants of the
demo.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from xlcollab.io.save import save_new_workbook
from xlcollab.nightly.run import run_once
from xlcollab.page.portfolio import build_portfolio, write_portfolio
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from headless import chromium, screenshot

AS_OF = dt.date(2026, 4, 1)
MOMENT = dt.datetime(2026, 4, 1, 2, 0)


def _set_status(data, changes: dict[str, str]):
    tasks = data.tables["tasks"]
    for wbs, status in changes.items():
        tasks.loc[tasks.index[tasks["wbs"] == wbs][0], "status"] = status
    return data


def demo_page(work: Path) -> Path:
    book = work / "demo.xlsx"
    before = _set_status(demo_project(), {"3.1.1": "in_progress", "3.2.1": "in_progress"})
    save_new_workbook(build_workbook(before), book)
    run_once(book, AS_OF - dt.timedelta(days=1), write=False)
    save_new_workbook(build_workbook(demo_project()), book, overwrite=True)
    result = run_once(book, AS_OF, write=False, generated_at=MOMENT)
    return Path(result.page)


def portfolio_page(work: Path) -> Path:
    folder = work / "books"
    folder.mkdir()
    on_time = {w: "done" for w in ("3.1.5", "3.3.4", "3.4.2", "3.4.4", "3.4.7", "4.5")}
    variants = [  # name, status changes, spending factor
        ("客户服务数字化平台建设项目", {}, "1"),
        ("供应链协同平台二期", {"3.2.2": "blocked", "3.2.3": "blocked"}, "0.8"),
        ("财务共享中心上线", on_time, "0.6"),
        ("门店巡检移动应用", {"3.3.4": "in_progress", "3.4.4": "in_progress"}, "1.2"),
        ("数据中台建设", {"3.1.3": "blocked"}, "2.5"),
        ("新员工入职一站式服务", {**on_time, "3.2.1": "in_progress"}, "0.5"),
    ]
    for i, (name, changes, factor) in enumerate(variants):
        data = _set_status(demo_project(), changes)
        data.overview["name"] = name
        expenses = data.tables["expenses"]
        expenses["amount"] = [a * Decimal(factor) for a in expenses["amount"]]
        if changes is on_time or "3.2.1" in changes:
            data.tables["risks"]["contingency"] = data.tables["risks"]["contingency"].fillna(
                "按预案执行"
            )
        save_new_workbook(build_workbook(data), folder / f"project-{i + 1}.xlsx")
    out = work / "portfolio"
    rows = build_portfolio(sorted(folder.glob("*.xlsx")), out, generated_at=MOMENT)
    html, _ = write_portfolio(rows, out, "zh", generated_at=MOMENT)
    return html


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, chromium() as driver:
        work = Path(tmp)
        page = demo_page(work)
        driver.get(page.as_uri())
        print(screenshot(driver, out / "page-phone.png", 375, max_height=2400))
        print(screenshot(driver, out / "page-desktop.png", 1280))
        driver.get(portfolio_page(work).as_uri())
        print(screenshot(driver, out / "portfolio.png", 1280))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs"))
