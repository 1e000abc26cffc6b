"""A simulated project: as_of advances day by day over the demo while
statuses are edited; blocked-since dates, escalation levels and the
escalation log must match hand-computed working days across Qingming 2026
(Apr 4-6 off) and Labour Day (May 1-5 off, Saturday May 9 a make-up
workday), with the machine off for four days.

Thresholds: the demo's defaults, more than 2 working days blocked ->
项目经理协调 (pm), more than 5 -> 总负责人决策 (lead).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from typer.testing import CliRunner

from xlcollab.cli import app
from xlcollab.core.calendar import WorkCalendar
from xlcollab.history import History, due_escalations, ladder, task_escalations
from xlcollab.io import read_workbook
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

D = dt.date

# task -> (from, to) blocked periods, inclusive; else the task is in progress
BLOCKED = {
    "3.4.4": [(D(2026, 3, 23), D(2026, 3, 24)), (D(2026, 3, 26), D(2026, 4, 8))],
    "3.3.3": [(D(2026, 4, 2), D(2026, 4, 14))],
    "3.3.6": [(D(2026, 4, 16), D(2026, 4, 28))],
    "3.5.2": [(D(2026, 4, 29), D(2026, 5, 15))],
}
OFF = {D(2026, 4, 18), D(2026, 4, 19), D(2026, 4, 20), D(2026, 4, 21)}  # machine off
FIRST, LAST = D(2026, 3, 2), D(2026, 5, 12)

# Hand-computed: (task, blocked since, level, the working day it was reached,
# the run that records it). Working days after a date d are counted d < x.
EXPECTED = [
    # 3.4.4, first streak 3/23-3/24: one working day, stays at 部门内解决
    ("3.4.4", D(2026, 3, 23), "department", D(2026, 3, 23), D(2026, 3, 23)),
    # second streak from Thu 3/26: 3/27 (1), 3/30 (2), 3/31 (3) -> pm;
    # 4/1 (4), 4/2 (5), 4/3 (6) -> lead
    ("3.4.4", D(2026, 3, 26), "department", D(2026, 3, 26), D(2026, 3, 26)),
    ("3.4.4", D(2026, 3, 26), "pm", D(2026, 3, 31), D(2026, 3, 31)),
    ("3.4.4", D(2026, 3, 26), "lead", D(2026, 4, 3), D(2026, 4, 3)),
    # 3.3.3 from Thu 4/2 across Qingming (Sat 4/4 - Mon 4/6 off):
    # 4/3 (1), 4/7 (2), 4/8 (3) -> pm; 4/9 (4), 4/10 (5), 4/13 (6) -> lead
    ("3.3.3", D(2026, 4, 2), "department", D(2026, 4, 2), D(2026, 4, 2)),
    ("3.3.3", D(2026, 4, 2), "pm", D(2026, 4, 8), D(2026, 4, 8)),
    ("3.3.3", D(2026, 4, 2), "lead", D(2026, 4, 13), D(2026, 4, 13)),
    # 3.3.6 from Thu 4/16; the machine is off Sat 4/18 - Tue 4/21:
    # 4/17 (1), 4/20 (2), 4/21 (3) -> pm, recorded by the 4/22 run, dated 4/21;
    # 4/22 (4), 4/23 (5), 4/24 (6) -> lead
    ("3.3.6", D(2026, 4, 16), "department", D(2026, 4, 16), D(2026, 4, 16)),
    ("3.3.6", D(2026, 4, 16), "pm", D(2026, 4, 21), D(2026, 4, 22)),
    ("3.3.6", D(2026, 4, 16), "lead", D(2026, 4, 24), D(2026, 4, 24)),
    # 3.5.2 from Wed 4/29 across Labour Day (5/1-5/5 off, Sat 5/9 works):
    # 4/30 (1), 5/6 (2), 5/7 (3) -> pm; 5/8 (4), Sat 5/9 (5), Mon 5/11 (6) -> lead
    ("3.5.2", D(2026, 4, 29), "department", D(2026, 4, 29), D(2026, 4, 29)),
    ("3.5.2", D(2026, 4, 29), "pm", D(2026, 5, 7), D(2026, 5, 7)),
    ("3.5.2", D(2026, 4, 29), "lead", D(2026, 5, 11), D(2026, 5, 11)),
]


def status_on(wbs: str, day: dt.date) -> str:
    return "blocked" if any(a <= day <= b for a, b in BLOCKED[wbs]) else "in_progress"


def expected_level(wbs: str, day: dt.date) -> str | None:
    """The level the hand-computed table implies on ``day``."""
    if status_on(wbs, day) != "blocked":
        return None
    since = max(a for a, b in BLOCKED[wbs] if a <= day)
    reached = [lv for t, s, lv, on, _ in EXPECTED if t == wbs and s == since and on <= day]
    return reached[-1]


@pytest.fixture(scope="module")
def demo():
    data = demo_project()
    tasks = data.tables["tasks"]
    tasks["blocked_since"] = pd.NaT  # the history alone decides
    tasks.loc[tasks["status"] == "blocked", "status"] = "in_progress"
    return data


def test_nine_weeks_day_by_day(demo, tmp_path):
    data = demo
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    tasks = data.tables["tasks"]
    rows = {w: tasks.index[tasks["wbs"] == w][0] for w in BLOCKED}
    recorded = []
    with History.open(tmp_path / "history.sqlite") as h:
        day = FIRST
        while day <= LAST:
            if day in OFF:
                day += dt.timedelta(days=1)
                continue
            for w, i in rows.items():
                tasks.loc[i, "status"] = status_on(w, day)
            tables = {
                "tasks": tasks,
                "risks": data.tables["risks"],
                "expenses": data.tables["expenses"],
            }
            with h.run(day) as run:
                run.snapshot(tables)
                since = run.blocked_since(tasks)
                esc = task_escalations(tasks, since, day, cal, 2, 5)
                new = ladder.record(h.conn, run.id, due_escalations(since, day, cal, 2, 5))
            recorded += [(e.task, e.since, e.level, e.reached_on, day) for e in new]
            for w, i in rows.items():
                got = esc.loc[i, "escalation"] if status_on(w, day) == "blocked" else None
                assert got == expected_level(w, day), (w, day, got)
                if status_on(w, day) == "blocked":
                    start = max(a for a, b in BLOCKED[w] if a <= day)
                    assert since[w] == start, (w, day)
                    assert esc.loc[i, "blocked_since"].date() == start
                else:
                    assert w not in since
            day += dt.timedelta(days=1)
        assert sorted(recorded, key=lambda r: (r[4], r[0], r[3])) == sorted(
            EXPECTED, key=lambda r: (r[4], r[0], r[3])
        )
        # the status history of a task blocked twice
        hist = [(d, new) for d, old, new in h.status_history("3.4.4")]
        assert hist == [
            (D(2026, 3, 2), "in_progress"),
            (D(2026, 3, 23), "blocked"),
            (D(2026, 3, 25), "in_progress"),
            (D(2026, 3, 26), "blocked"),
            (D(2026, 4, 9), "in_progress"),
        ]
        assert len(h.runs()) == (LAST - FIRST).days + 1 - len(OFF)


def test_real_files_and_the_command_line_across_qingming(tmp_path):
    """3.3.3 blocked from Thursday 4/2: the 问题升级 sheet gets 项目经理协调 on
    4/8 and 总负责人决策 on 4/13 (Qingming 4/4-4/6 in between), each once,
    although the job runs every night, weekends and holidays included."""
    data = demo_project()
    t = data.tables["tasks"]
    t.loc[t["wbs"] == "3.3.3", "status"] = "blocked"
    t.loc[t["wbs"] == "3.3.3", "blocked_reason"] = "CRM 接口权限未开通"
    wb = tmp_path / "p.xlsx"
    build_workbook(data).save(wb)
    runner = CliRunner()
    day = D(2026, 4, 2)
    levels = {}
    while day <= D(2026, 4, 13):
        res = runner.invoke(app, ["nightly", str(wb), "--once", "--as-of", day.isoformat()])
        assert res.exit_code == 0, res.output
        tasks = read_workbook(wb).tables["tasks"].set_index("wbs")
        levels[day] = tasks.loc["3.3.3", "escalation"]
        assert tasks.loc["3.3.3", "blocked_since"].date() == D(2026, 4, 2)
        day += dt.timedelta(days=1)
    assert levels[D(2026, 4, 7)] == "department" and levels[D(2026, 4, 8)] == "pm"
    assert levels[D(2026, 4, 10)] == "pm" and levels[D(2026, 4, 13)] == "lead"
    esc = read_workbook(wb).tables["escalations"]
    mine = esc[esc["task"] == "3.3.3"]
    assert [
        (lv, d.date(), who)
        for lv, d, who in zip(mine["level"], mine["raised_on"], mine["goes_to"], strict=False)
    ] == [
        ("department", D(2026, 4, 2), "高远"),
        ("pm", D(2026, 4, 8), "张伟"),
        ("lead", D(2026, 4, 13), "王建国"),
    ]
