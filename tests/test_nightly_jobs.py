"""The scheduled jobs themselves (``run_job``) on the demo workbook with an
injected day: the weekly report on a Monday (with the latest baseline), the
fund report on a month's first working day (the month just ended), the
risk-review reminder in the notification log, and a failing job leaving a
trace instead of raising."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pandas as pd
import pytest
from docx import Document

from xlcollab.core.calendar import WorkCalendar
from xlcollab.history import History, freeze
from xlcollab.io import read_workbook
from xlcollab.nightly.outputs import read_log
from xlcollab.nightly.scheduler import FINANCE, RISK, WEEKLY, Book, jobs_for_day, run_job
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

D = dt.date


@pytest.fixture
def book(demo_path, tmp_path):
    p = tmp_path / "demo.xlsx"
    shutil.copy(demo_path, p)
    data = read_workbook(p)
    return Book(p, start=D(2026, 3, 2), cal=WorkCalendar.from_holidays(data.tables["holidays"]))


def jobs(book, day):
    return jobs_for_day(day, book.cal, risk_weeks=book.risk_weeks, project_start=book.start)


def paragraphs(path) -> list[str]:
    return [p.text.strip() for p in Document(str(path)).paragraphs if p.text.strip()]


def test_weekly_report_on_monday(book):
    day = D(2026, 3, 30)  # Monday of project week 5
    assert WEEKLY in jobs(book, day)
    echoed = []
    path = run_job(WEEKLY, book, day, echo=echoed.append)
    assert not echoed
    assert path.parent == book.path.parent / "reports"
    assert path.name == "周例会进度报告_客户服务数字化平台建设项目_2026-03-30.docx"
    text = paragraphs(path)
    assert "客户服务数字化平台建设项目 · 第5周（2026-03-30 至 2026-04-05）" in text
    assert "2026-04-07" in "\n".join(
        c.text for t in Document(str(path)).tables for r in t.rows for c in r.cells
    )  # after Qingming
    i = text.index("五、基线偏差")
    assert text[i + 1].startswith("未指定基线")  # no history yet


def test_weekly_report_uses_the_latest_baseline(book):
    hist = book.path.parent / ".xlcollab" / "history.sqlite"  # the default, beside the workbook
    with History.open(hist) as h:
        freeze(h, "计划基线0", read_workbook(book.path), D(2026, 3, 2))
    data = demo_project()
    t = data.tables["tasks"]
    t.loc[t["wbs"] == "3.3.4", "planned_finish"] = pd.Timestamp(2026, 4, 8)  # +5 (Qingming)
    build_workbook(data).save(book.path)
    with History.open(hist) as h:
        freeze(h, "计划基线1", read_workbook(book.path), D(2026, 3, 13))
    t.loc[t["wbs"] == "3.3.1", "planned_finish"] = pd.Timestamp(2026, 4, 21)  # +3
    build_workbook(data).save(book.path)
    path = run_job(WEEKLY, book, D(2026, 4, 13))
    text = paragraphs(path)
    assert "与基线“计划基线1”（2026-03-13）相比，1项任务完成日期推迟，合计3个工作日" in text
    assert ["3.3.1", "客服工单模块开发", "产品研发部", "2026-04-16", "2026-04-21", "3"] in [
        [c.text for c in r.cells] for r in Document(str(path)).tables[-1].rows
    ]


@pytest.mark.parametrize("day, month", [(D(2026, 4, 1), "2026-03"), (D(2026, 5, 6), "2026-04")])
def test_fund_report_on_the_first_working_day(book, day, month):
    assert FINANCE in jobs(book, day)
    if day.month == 5:  # Labour Day: 5/1-5/5 are off, so not before the 6th
        assert all(FINANCE not in jobs(book, D(2026, 5, d)) for d in range(1, 6))
    echoed = []
    path = run_job(FINANCE, book, day, echo=echoed.append)
    assert not echoed, echoed[0].error
    assert path.name == f"项目资金使用报告_客户服务数字化平台建设项目_{month}.xlsx"
    wb = openpyxl.load_workbook(path)
    summary, detail = wb.worksheets[0], wb.worksheets[2]
    cells = [str(c.value) for row in summary.iter_rows(max_row=3) for c in row if c.value]
    assert any(f"{month}-01" in c and f"{month}-" in c for c in cells), cells
    dates = [r[1] for r in detail.iter_rows(min_row=2, values_only=True) if r[1] is not None]
    assert all(f"{d:%Y-%m}" == month for d in dates)
    if month == "2026-03":
        assert len(dates) > 10  # the demo's March ledger


def test_risk_review_reminder_goes_to_the_notification_log(book):
    assert RISK in jobs(book, D(2026, 3, 30))  # weeks 1, 3, 5, … (every two weeks)
    assert RISK not in jobs(book, D(2026, 4, 6))
    text = run_job(RISK, book, D(2026, 3, 30))
    assert text == (
        "【xlcollab】客户服务数字化平台建设项目：2026-03-30 请复核《项目风险登记册》（每两周一次）"
    )
    log = (book.path.parent / ".xlcollab" / "notify.log").read_text(encoding="utf-8")
    assert log == text + "\n\n"
    book.risk_weeks = 3
    run_job(RISK, book, D(2026, 3, 23))
    log = (book.path.parent / ".xlcollab" / "notify.log").read_text(encoding="utf-8")
    assert log.endswith("2026-03-23 请复核《项目风险登记册》（每三周一次）\n\n")


def test_a_failing_job_is_reported_and_logged_not_raised(book):
    book.path.write_bytes(b"not a workbook")
    echoed = []
    assert run_job(WEEKLY, book, D(2026, 3, 30), echo=echoed.append) is None
    assert len(echoed) == 1 and not echoed[0].ok and echoed[0].error.startswith("weekly_report:")
    (line,) = read_log(book.path.parent / ".xlcollab" / "findings.jsonl")
    assert line["type"] == "error" and line["job"] == WEEKLY and line["as_of"] == "2026-03-30"
    assert not (book.path.parent / "reports").exists()
