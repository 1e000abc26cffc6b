"""The history database: migrations, snapshots, changes, blocked since,
baselines. Real SQLite files in tmp_path."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pandas as pd
import pytest

from xlcollab.core.calendar import WorkCalendar
from xlcollab.history import (
    LATEST,
    BaselineError,
    History,
    HistoryError,
    freeze,
    history_path,
    load,
    migrate,
    names,
    schema_version,
    slippage,
    task_escalations,
)
from xlcollab.history.migrations import HistoryVersionError
from xlcollab.model.frames import frame
from xlcollab.workbook.demo import demo_project

D = dt.date


def task(wbs, status="in_progress", **kw):
    rec = {
        "wbs": wbs,
        "name": f"任务{wbs}",
        "phase": "execution",
        "department": "信息技术部",
        "owner": "高远",
        "planned_start": D(2026, 3, 2),
        "planned_finish": D(2026, 3, 20),
        "status": status,
    }
    rec.update(kw)
    return rec


def tables(*tasks, risks=(), expenses=()):
    return {
        "tasks": frame("tasks", list(tasks)),
        "risks": frame("risks", list(risks)),
        "expenses": frame("expenses", list(expenses)),
    }


@pytest.fixture
def hist(tmp_path):
    h = History.open(tmp_path / ".xlcollab" / "history.sqlite")
    yield h
    h.close()


def run(h, day, t):
    with h.run(day, workbook="p.xlsx", modified_by="赵敏") as r:
        return r.snapshot(t)


def test_new_database_is_at_the_latest_version(hist):
    assert schema_version(hist.conn) == LATEST
    versions = [v for (v,) in hist.conn.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, LATEST + 1))


def test_an_old_database_is_migrated_in_order(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, upto=1) == [1]
    conn.execute("INSERT INTO runs(as_of, workbook) VALUES ('2026-03-02', 'p.xlsx')")
    conn.close()
    with History.open(path) as h:
        assert schema_version(h.conn) == LATEST
        assert [r.as_of for r in h.runs()] == [D(2026, 3, 2)]
        h.conn.execute("SELECT * FROM escalations").fetchall()  # the v2 table exists
        h.conn.execute("SELECT * FROM pending").fetchall()  # and v3


def test_a_newer_database_is_refused(tmp_path):
    path = tmp_path / "new.sqlite"
    with History.open(path) as h:
        h.conn.execute("INSERT INTO schema_migrations VALUES (?, 'future')", (LATEST + 1,))
    with pytest.raises(HistoryVersionError):
        History.open(path)


def test_history_path(tmp_path):
    wb = tmp_path / "a" / "p.xlsx"
    assert history_path(wb) == tmp_path / "a" / ".xlcollab" / "history.sqlite"
    assert history_path(wb, shared=True) == tmp_path / "a" / ".xlcollab" / "p.history.sqlite"
    assert history_path(wb, "hist/h.db") == tmp_path / "a" / "hist" / "h.db"
    assert history_path(wb, "hist/h.db", tmp_path / "x.db") == tmp_path / "x.db"


def test_changes_field_by_field(hist):
    first = run(hist, D(2026, 3, 2), tables(task("1"), task("1.1")))
    assert {(c.key, c.kind) for c in first} == {("1", "added"), ("1.1", "added")}
    assert run(hist, D(2026, 3, 3), tables(task("1"), task("1.1"))) == []
    ch = run(hist, D(2026, 3, 4), tables(task("1", "blocked", notes="等供应商"), task("1.2")))
    got = {(c.key, c.kind, c.field) for c in ch}
    assert got == {
        ("1", "changed", "status"),
        ("1", "changed", "notes"),
        ("1.1", "removed", None),
        ("1.2", "added", None),
    }
    by = {(c.key, c.field): c for c in ch}
    assert (by["1", "status"].old, by["1", "status"].new) == ("in_progress", "blocked")
    assert (by["1", "notes"].old, by["1", "notes"].new) == (None, "等供应商")
    assert by["1.1", None].old["wbs"] == "1.1" and by["1.1", None].new is None
    assert by["1.2", None].new["status"] == "in_progress"
    assert all(c.as_of == D(2026, 3, 4) and c.modified_by == "赵敏" for c in ch)
    assert hist.status_history("1") == [
        (D(2026, 3, 2), None, "in_progress"),
        (D(2026, 3, 4), "in_progress", "blocked"),
    ]
    # snapshots per run
    runs = hist.runs()
    assert set(hist.snapshot("tasks", runs[0].id)) == {"1", "1.1"}
    assert set(hist.snapshot("tasks")) == {"1", "1.2"}
    assert hist.snapshot("tasks", runs[1].id)["1"]["status"] == "in_progress"


def test_keys_duplicates_and_keyless_rows(hist):
    exp = [
        {
            "date": D(2026, 3, 5),
            "department": "财务部",
            "category": "差旅",
            "amount": "100",
            "invoice_no": "INV1",
        },
        {
            "date": D(2026, 3, 6),
            "department": "财务部",
            "category": "差旅",
            "amount": "200",
            "invoice_no": "INV1",
        },
        {"date": D(2026, 3, 7), "department": "财务部", "category": "会议", "amount": "300"},
    ]
    run(hist, D(2026, 3, 9), tables(expenses=exp))
    keys = set(hist.snapshot("expenses"))
    assert "INV1" in keys and "INV1#2" in keys
    hashed = [k for k in keys if k.startswith("h:")]
    assert len(hashed) == 1 and len(hashed[0]) == 18
    # inserting a row above does not change the keys
    run(hist, D(2026, 3, 10), tables(expenses=[exp[2], exp[0], exp[1]]))
    assert set(hist.snapshot("expenses")) == keys
    assert hist.changes(run=hist.last_run().id) == []


def test_a_failed_run_leaves_the_previous_state(hist):
    run(hist, D(2026, 3, 2), tables(task("1")))
    with pytest.raises(RuntimeError), hist.run(D(2026, 3, 3)) as r:
        r.snapshot(tables(task("1", "blocked")))
        raise RuntimeError("killed")
    assert len(hist.runs()) == 1
    assert hist.snapshot("tasks")["1"]["status"] == "in_progress"
    assert hist.blocked_since() == {}


def test_history_does_not_go_back_in_time(hist):
    run(hist, D(2026, 3, 5), tables(task("1")))
    with pytest.raises(HistoryError):
        run(hist, D(2026, 3, 4), tables(task("1")))
    run(hist, D(2026, 3, 5), tables(task("1")))  # the same day again is fine


def test_blocked_since_streaks(hist):
    run(hist, D(2026, 3, 2), tables(task("1"), task("2")))
    run(hist, D(2026, 3, 3), tables(task("1", "blocked"), task("2")))
    # an edit while blocked does not interrupt the streak
    run(hist, D(2026, 3, 4), tables(task("1", "blocked", notes="催办"), task("2", "blocked")))
    # the machine is off 3/5-3/9: nothing resets
    run(hist, D(2026, 3, 10), tables(task("1", "blocked", notes="催办"), task("2", "blocked")))
    assert hist.blocked_since() == {"1": D(2026, 3, 3), "2": D(2026, 3, 4)}
    # unblocked, then blocked again: a new streak
    run(hist, D(2026, 3, 11), tables(task("1"), task("2", "blocked")))
    run(hist, D(2026, 3, 12), tables(task("1", "blocked"), task("2", "blocked")))
    assert hist.blocked_since() == {"1": D(2026, 3, 12), "2": D(2026, 3, 4)}
    # removed and re-added: a new streak too
    run(hist, D(2026, 3, 13), tables(task("1", "blocked")))
    run(hist, D(2026, 3, 16), tables(task("1", "blocked"), task("2", "blocked")))
    assert hist.blocked_since() == {"1": D(2026, 3, 12), "2": D(2026, 3, 16)}


def test_history_starting_on_a_blocked_task_takes_the_workbooks_date(hist):
    t = tables(task("1", "blocked", blocked_since=D(2026, 3, 26)), task("2", "blocked"))
    with hist.run(D(2026, 4, 1)) as r:
        r.snapshot(t)
        since = r.blocked_since(t["tasks"])
    assert since == {"1": D(2026, 3, 26), "2": D(2026, 4, 1)}
    # a later date in the workbook does not move the history's own
    t2 = tables(task("1", "blocked", blocked_since=D(2026, 4, 3)))
    with hist.run(D(2026, 4, 7)) as r:
        r.snapshot(t2)
        assert r.blocked_since(t2["tasks"]) == {"1": D(2026, 4, 1)}


def test_task_escalations_use_the_history(hist):
    data = demo_project()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    tasks = data.tables["tasks"]
    esc = task_escalations(
        tasks, {"3.3.4": D(2026, 3, 26), "3.4.4": D(2026, 3, 31)}, D(2026, 4, 1), cal
    )
    by = dict(zip(tasks["wbs"], esc["escalation"], strict=False))
    assert by["3.3.4"] == "pm"  # 3/27, 3/30, 3/31, 4/1: 4 working days
    assert by["3.4.4"] == "department"  # 1 working day


def test_baselines_and_slippage(hist):
    data = demo_project()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    freeze(hist, "计划基线1", data, D(2026, 3, 13), workbook="demo.xlsx")
    with pytest.raises(BaselineError):
        freeze(hist, "计划基线1", data, D(2026, 3, 13))
    tasks = data.tables["tasks"].copy()
    i = tasks.index[tasks["wbs"] == "3.3.1"][0]
    tasks.loc[i, "planned_finish"] = pd.Timestamp(2026, 4, 21)  # 4/16 -> 4/21: 3 working days
    j = tasks.index[tasks["wbs"] == "3.3.4"][0]
    tasks.loc[j, "planned_finish"] = pd.Timestamp(2026, 4, 8)  # 3/31 -> 4/8 across Qingming
    k = tasks.index[tasks["wbs"] == "3.3.3"][0]
    tasks.loc[k, "planned_finish"] = pd.Timestamp(2026, 4, 13)  # one day earlier
    freeze(hist, "计划基线2", data, D(2026, 3, 20))
    assert [n for n, _ in names(hist)] == ["计划基线1", "计划基线2"]
    per_task, per_dept = slippage(tasks, load(hist, "计划基线1"), cal, data.tables["budget"])
    slip = dict(zip(per_task["wbs"], per_task["finish_slip"], strict=False))
    assert slip["3.3.1"] == 3
    assert slip["3.3.4"] == 5  # 4/1, 4/2, 4/3, 4/7, 4/8 (4/4-4/6 off)
    assert slip["3.3.3"] == -1
    assert slip["1.1"] == 0
    it = per_dept.set_index("department").loc["信息技术部"]
    assert it["slipped"] == 1 and it["total_slip"] == 5 and it["max_slip"] == 5
    rd = per_dept.set_index("department").loc["产品研发部"]
    assert rd["slipped"] == 1 and rd["total_slip"] == 3
    assert it["budget_baseline"] == it["budget_now"]
