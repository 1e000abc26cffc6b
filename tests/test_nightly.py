"""The nightly run through real files and the command line: change log,
escalations written once, Excel holding the file, a corrupt workbook,
baselines, the scheduler's timing with an injected clock."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.history import History
from xlcollab.io import read_workbook
from xlcollab.nightly.outputs import read_log
from xlcollab.nightly.run import run_once
from xlcollab.nightly.scheduler import (
    DAILY,
    FINANCE,
    RISK,
    WEEKLY,
    Book,
    NightlyScheduler,
    jobs_for_day,
)
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

D = dt.date


@pytest.fixture
def wb(demo_path, tmp_path):
    p = tmp_path / "demo.xlsx"
    shutil.copy(demo_path, p)
    return p


def esc_rows(path):
    f = read_workbook(path).tables["escalations"]
    return [
        (t, lv, on.date()) for t, lv, on in zip(f["task"], f["level"], f["raised_on"], strict=False)
    ]


def test_run_writes_history_changelog_and_escalations_once(wb):
    r = run_once(wb, D(2026, 4, 1))
    assert r.ok and r.written, r.write_note
    assert r.blocked == {"3.3.4": "2026-03-26", "3.4.4": "2026-03-30"}
    rows = esc_rows(wb)
    # the demo already had 3.3.4's two entries: they are not added again
    assert rows.count(("3.3.4", "department", D(2026, 3, 26))) == 1
    assert rows.count(("3.3.4", "pm", D(2026, 3, 31))) == 1
    assert ("3.4.4", "department", D(2026, 3, 30)) in rows
    data = read_workbook(wb)
    assert len(data.tables["changelog"]) == len(r.changes) == 125  # first run: all rows added
    t = data.tables["tasks"].set_index("wbs")
    assert t.loc["3.4.4", "escalation"] == "department"
    # 4/2: 3.4.4 reaches 项目经理协调 (3/31, 4/1, 4/2 > 2 working days)
    r2 = run_once(wb, D(2026, 4, 2))
    assert [(e.task, e.level, e.reached_on) for e in r2.new_escalations] == [
        ("3.4.4", "pm", D(2026, 4, 2))
    ]
    assert r2.new_escalations[0].goes_to == "张伟"
    r3 = run_once(wb, D(2026, 4, 2))
    assert r3.new_escalations == [] and r3.changes == []
    rows = esc_rows(wb)
    assert rows.count(("3.4.4", "pm", D(2026, 4, 2))) == 1
    log = read_log(wb.parent / ".xlcollab" / "findings.jsonl")
    assert [x["type"] for x in log].count("run") == 3
    assert any(x["type"] == "escalation" and x["task"] == "3.4.4" for x in log)
    result = json.loads((wb.parent / ".xlcollab" / "demo.nightly.json").read_text("utf-8"))
    assert result["as_of"] == "2026-04-02" and result["written"] is True


def test_a_status_edit_shows_in_the_change_log(wb, tmp_path):
    run_once(wb, D(2026, 4, 1))
    data = demo_project()
    t = data.tables["tasks"]
    t.loc[t["wbs"] == "3.2.3", "status"] = "blocked"
    t.loc[t["wbs"] == "3.2.3", "blocked_reason"] = "CRM 测试环境未开通"
    build_workbook(data).save(wb)
    r = run_once(wb, D(2026, 4, 2))
    got = {(c.key, c.field, c.old, c.new) for c in r.changes}
    assert ("3.2.3", "status", "in_progress", "blocked") in got
    log = read_workbook(wb).tables["changelog"]
    first = log.iloc[0]
    assert (first["date"].date(), first["record"]) == (D(2026, 4, 2), "3.2.3")
    assert set(log[log["record"] == "3.2.3"]["new"]) >= {"阻塞", "CRM 测试环境未开通"}
    assert r.blocked["3.2.3"] == "2026-04-02"


def test_excel_holding_the_file_defers_the_write_back(wb):
    owner = wb.with_name("~$" + wb.name)
    owner.write_bytes(b"someone")
    before = wb.read_bytes()
    r = run_once(wb, D(2026, 4, 1))
    assert r.ok and not r.written and "Excel" in r.write_note and "下次" in r.write_note
    assert wb.read_bytes() == before  # untouched
    with History.open(wb.parent / ".xlcollab" / "history.sqlite") as h:
        assert h.pending("demo.xlsx")
        assert len(h.runs()) == 1  # the history still recorded the night
    owner.unlink()
    r2 = run_once(wb, D(2026, 4, 2))
    assert r2.written
    assert ("3.4.4", "department", D(2026, 3, 30)) in esc_rows(wb)
    with History.open(wb.parent / ".xlcollab" / "history.sqlite") as h:
        assert h.pending("demo.xlsx") is None


def test_a_corrupt_workbook_keeps_yesterdays_history(wb):
    run_once(wb, D(2026, 4, 1))
    hfile = wb.parent / ".xlcollab" / "history.sqlite"
    good = wb.read_bytes()
    wb.write_bytes(good[: len(good) // 2])  # mid-save
    r = run_once(wb, D(2026, 4, 2))
    assert not r.ok and "无法读取" in r.error
    with History.open(hfile) as h:
        assert [x.as_of for x in h.runs()] == [D(2026, 4, 1)]
        assert len(h.snapshot("tasks")) == 77
    assert any(x["type"] == "error" for x in read_log(hfile.parent / "findings.jsonl"))
    wb.write_bytes(good)
    assert run_once(wb, D(2026, 4, 3)).ok


def test_cli_once_baseline_and_check(wb):
    runner = CliRunner()
    res = runner.invoke(app, ["nightly", str(wb), "--once", "--as-of", "2026-04-01"])
    assert res.exit_code == 0, res.output
    assert "3.4.4" in res.output
    hist = wb.parent / "h" / "custom.sqlite"
    res = runner.invoke(
        app,
        [
            "baseline",
            str(wb),
            "--name",
            "计划基线1",
            "--as-of",
            "2026-03-13",
            "--history",
            str(hist),
        ],
    )
    assert res.exit_code == 0, res.output
    assert hist.exists()
    res = runner.invoke(app, ["baseline", str(wb), "--name", "计划基线1", "--history", str(hist)])
    assert res.exit_code == 2
    res = runner.invoke(
        app,
        ["check", str(wb), "--format", "json", "--baseline", "计划基线1", "--history", str(hist)],
    )
    out = json.loads(res.stdout)
    assert out["baseline"]["name"] == "计划基线1"
    assert {d["department"] for d in out["baseline"]["departments"]} >= {"信息技术部"}
    bad = wb.with_name("bad.xlsx")
    bad.write_bytes(b"not a zip")
    res = runner.invoke(app, ["nightly", str(bad), "--once", "--as-of", "2026-04-01"])
    assert res.exit_code == 2


# ------------------------------------------------------------- schedule ---
def test_jobs_for_day():
    cal = WorkCalendar()
    start = D(2026, 3, 2)
    assert jobs_for_day(D(2026, 3, 3), cal, project_start=start) == [DAILY]
    # Monday of project week 1 and 3: weekly report + risk reminder; week 2 only the report
    assert jobs_for_day(D(2026, 3, 2), cal, project_start=start) == [DAILY, WEEKLY, FINANCE, RISK]
    assert jobs_for_day(D(2026, 3, 9), cal, project_start=start) == [DAILY, WEEKLY]
    assert jobs_for_day(D(2026, 3, 16), cal, project_start=start) == [DAILY, WEEKLY, RISK]
    # first working day of April is Wed 4/1; of May, after Labour Day, Wed 5/6
    assert FINANCE in jobs_for_day(D(2026, 4, 1), cal, project_start=start)
    assert FINANCE not in jobs_for_day(D(2026, 4, 2), cal, project_start=start)
    assert not any(FINANCE in jobs_for_day(D(2026, 5, d), cal) for d in range(1, 6))
    assert FINANCE in jobs_for_day(D(2026, 5, 6), cal)
    assert jobs_for_day(D(2026, 3, 16), cal, risk_weeks=0, weekly=False) == [DAILY]
    # Qingming: Mon 4/6 is a holiday, the weekly meeting and report move to Tue 4/7
    assert WEEKLY not in jobs_for_day(D(2026, 4, 6), cal, project_start=start)
    assert WEEKLY in jobs_for_day(D(2026, 4, 7), cal, project_start=start)
    assert WEEKLY not in jobs_for_day(D(2026, 4, 8), cal, project_start=start)


def test_scheduler_timing_with_an_injected_clock():
    calls = []
    books = [
        Book(
            __import__("pathlib").Path("a.xlsx"),
            weekly_time="08:00",
            start=D(2026, 3, 2),
            cal=WorkCalendar(),
        ),
        Book(
            __import__("pathlib").Path("b.xlsx"),
            weekly_time=None,
            finance=False,
            risk_weeks=0,
            cal=WorkCalendar(),
        ),
    ]
    t0 = dt.datetime(2026, 3, 27, 12, 0)  # Friday noon
    s = NightlyScheduler(
        books, "02:00", lambda job, b, day: calls.append((job, b.path.name, day)), now=t0
    )
    assert s.next_run(t0) == dt.datetime(2026, 3, 28, 2, 0)
    s.run_pending(dt.datetime(2026, 3, 28, 1, 59))
    assert calls == []
    s.run_pending(dt.datetime(2026, 3, 28, 2, 0))
    assert calls == [(DAILY, "a.xlsx", D(2026, 3, 28)), (DAILY, "b.xlsx", D(2026, 3, 28))]
    calls.clear()
    s.run_pending(dt.datetime(2026, 3, 28, 2, 30))  # not twice
    assert calls == []
    # Monday 3/30: the nightly run at 02:00, the weekly report at 08:00 (before 10:00)
    s.run_pending(dt.datetime(2026, 3, 30, 2, 0, 5))
    assert (DAILY, "a.xlsx", D(2026, 3, 30)) in calls and (RISK, "a.xlsx", D(2026, 3, 30)) in calls
    assert not any(c[0] == WEEKLY for c in calls)
    calls.clear()
    s.run_pending(dt.datetime(2026, 3, 30, 8, 0, 1))
    assert calls == [(WEEKLY, "a.xlsx", D(2026, 3, 30))]
    calls.clear()
    # Wednesday 4/1, first working day of April: the fund report for a.xlsx only
    s.run_pending(dt.datetime(2026, 4, 1, 2, 0, 1))
    assert (FINANCE, "a.xlsx", D(2026, 4, 1)) in calls
    assert not any(c[0] == FINANCE and c[1] == "b.xlsx" for c in calls)
    # a machine that slept through 02:00 runs the job once when it wakes
    calls.clear()
    s.run_pending(dt.datetime(2026, 4, 3, 9, 0))
    assert [c[0] for c in calls] == [DAILY, DAILY]
    with pytest.raises(ValueError):
        NightlyScheduler(books, "25:00", lambda *a: None, now=t0)


def test_scheduler_moves_the_weekly_report_off_a_holiday_monday():
    calls = []
    book = Book(
        __import__("pathlib").Path("a.xlsx"),
        weekly_time="08:00",
        finance=False,
        risk_weeks=0,
        start=D(2026, 3, 2),
        cal=WorkCalendar(),
    )
    t0 = dt.datetime(2026, 4, 5, 12, 0)  # Sunday, Qingming
    s = NightlyScheduler([book], "02:00", lambda job, b, day: calls.append((job, day)), now=t0)
    for hour in range(0, 24):  # Monday 4/6 is a holiday: no weekly report
        s.run_pending(dt.datetime(2026, 4, 6, hour, 0, 1))
    assert (WEEKLY, D(2026, 4, 6)) not in calls
    s.run_pending(dt.datetime(2026, 4, 7, 2, 0, 1))
    assert (WEEKLY, D(2026, 4, 7)) not in calls  # not before its time
    s.run_pending(dt.datetime(2026, 4, 7, 8, 0, 1))
    assert (WEEKLY, D(2026, 4, 7)) in calls  # Tuesday 4/7, the week's meeting day
    calls.clear()
    s.run_pending(dt.datetime(2026, 4, 8, 8, 0, 1))
    assert (WEEKLY, D(2026, 4, 8)) not in calls
