"""Blocked since and escalation level without history."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.model.frames import frame
from xlcollab.workbook.demo import STATUS_DATE, demo_project

D = dt.date
CAL = WorkCalendar()


def _t(wbs, status, ps, pf, actual_start=None, blocked_since=None):
    return {
        "wbs": wbs,
        "name": wbs,
        "status": status,
        "planned_start": ps,
        "planned_finish": pf,
        "actual_start": actual_start,
        "blocked_since": blocked_since,
    }


def test_blocked_since_sources_and_levels():
    as_of = D(2026, 4, 9)  # Thursday after Qingming (Apr 4-6 off)
    tasks = frame(
        "tasks",
        [
            _t("1", "blocked", D(2026, 3, 20), D(2026, 4, 30), D(2026, 3, 23), D(2026, 4, 3)),
            _t("2", "blocked", D(2026, 3, 20), D(2026, 4, 30), D(2026, 3, 30)),
            _t("3", "blocked", D(2026, 4, 2), D(2026, 4, 30)),
            _t("4", "blocked", D(2026, 4, 20), D(2026, 4, 30)),  # planned in the future
            _t("5", "in_progress", D(2026, 3, 2), D(2026, 4, 30), blocked_since=D(2026, 3, 5)),
            _t("6", "in_progress", D(2026, 3, 2), D(2026, 3, 31)),  # overdue
            _t("7", "done", D(2026, 3, 2), D(2026, 3, 5)),
        ],
    )
    e = escalations(tasks, as_of, CAL, pm_days=2, lead_days=5)
    e.index = tasks["wbs"]
    ts = pd.Timestamp
    # the workbook's own date wins: Apr 3 -> Apr 7, 8, 9 = 3 working days -> PM
    assert e.loc["1", "blocked_since"] == ts("2026-04-03")
    assert e.loc["1", "days_blocked"] == 3 and e.loc["1", "escalation"] == "pm"
    # else the actual start: Mar 30 -> 31, Apr 1, 2, 3, 7, 8, 9 = 7 -> lead
    assert e.loc["2", "blocked_since"] == ts("2026-03-30")
    assert e.loc["2", "days_blocked"] == 7 and e.loc["2", "escalation"] == "lead"
    # else the planned start: Apr 2 -> 3, 7, 8, 9 = 4 -> PM
    assert e.loc["3", "blocked_since"] == ts("2026-04-02") and e.loc["3", "escalation"] == "pm"
    # a future date counts from today
    assert e.loc["4", "blocked_since"] == ts("2026-04-09")
    assert e.loc["4", "days_blocked"] == 0 and e.loc["4", "escalation"] == "department"
    # no longer blocked: the old date is cleared; not overdue: no level
    assert pd.isna(e.loc["5", "blocked_since"]) and e.loc["5", "escalation"] is None
    # overdue since Mar 31 (6 working days late) but not blocked: not on the
    # ladder (README, "Figures": the ladder is for blocked tasks and issues
    # raised in 问题升级)
    assert pd.isna(e.loc["6", "blocked_since"]) and e.loc["6", "escalation"] is None
    assert e.loc["7", "escalation"] is None


def test_demo_escalations_match_the_recorded_ones():
    data = demo_project()
    tasks = data.tables["tasks"]
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    e = escalations(tasks, STATUS_DATE, cal, 2, 5)
    blocked = tasks["status"] == "blocked"
    assert (e.loc[blocked, "blocked_since"] == tasks.loc[blocked, "blocked_since"]).all()
    assert list(e.loc[blocked, "escalation"]) == list(tasks.loc[blocked, "escalation"])
