"""Flags with hand-computed expectations, on the 2026 Chinese calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.frames import frame

D = dt.date
NA = pd.NA


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


def _task(wbs, status, pf, af=None):
    return {
        "wbs": wbs,
        "name": f"任务{wbs}",
        "status": status,
        "planned_finish": pf,
        "planned_start": D(2026, 3, 2),
        "actual_finish": af,
    }


def _values(series):
    return [None if v is NA else v for v in series]


# as_of Wednesday 2026-04-01; Qingming is Sat Apr 4 - Mon Apr 6
CASES = [
    # wbs, status, planned finish, actual finish -> days_late, overdue, due_soon
    ("1", "not_started", D(2026, 3, 27), None, 3, True, False),  # Mar 30, 31, Apr 1
    ("2", "in_progress", D(2026, 4, 1), None, 0, False, True),  # due today
    ("3", "in_progress", D(2026, 4, 7), None, 0, False, True),  # Apr 2, 3, 7 = 3
    ("4", "in_progress", D(2026, 4, 8), None, 0, False, False),  # 4 working days away
    ("5", "done", D(2026, 4, 3), D(2026, 4, 7), 1, False, False),  # only Tue Apr 7
    ("6", "done", D(2026, 3, 27), None, 0, False, False),  # no actual finish: 0
    ("7", "done", D(2026, 3, 27), D(2026, 3, 20), 0, False, False),  # early
    ("8", "blocked", D(2026, 3, 31), None, 1, True, False),
    ("9", "in_progress", None, None, None, None, None),  # no planned finish
    ("10", None, D(2026, 3, 20), None, None, None, None),  # no status
    ("11", "blocked", D(2026, 4, 3), None, 0, False, True),  # Apr 2, 3 = 2
    ("12", "not_started", D(2026, 4, 5), None, 0, False, True),  # a holiday Sunday: 2 days
    ("13", "done", D(2026, 3, 13), D(2026, 3, 16), 1, False, False),  # over a weekend
]


def test_task_flags_hand_computed(cal):
    tasks = frame("tasks", [_task(w, s, pf, af) for w, s, pf, af, *_ in CASES])
    got = flags.task_flags(tasks, D(2026, 4, 1), cal, 3)
    assert list(got.columns) == ["days_late", "overdue", "due_soon"]
    assert str(got["days_late"].dtype) == "Int64"
    assert str(got["overdue"].dtype) == "boolean" and str(got["due_soon"].dtype) == "boolean"
    assert list(got.index) == list(tasks.index)
    assert _values(got["days_late"]) == [c[4] for c in CASES]
    assert _values(got["overdue"]) == [c[5] for c in CASES]
    assert _values(got["due_soon"]) == [c[6] for c in CASES]


def test_task_flags_after_qingming(cal):
    tasks = frame(
        "tasks",
        [
            _task("1", "in_progress", D(2026, 4, 3)),
            _task("2", "in_progress", D(2026, 4, 2)),
            _task("3", "in_progress", D(2026, 4, 7)),
        ],
    )
    got = flags.task_flags(tasks, D(2026, 4, 7), cal, 3)
    assert _values(got["days_late"]) == [1, 2, 0]  # Apr 6 is no working day
    assert _values(got["overdue"]) == [True, True, False]
    assert _values(got["due_soon"]) == [False, False, True]


def test_task_flags_around_labour_day(cal):
    # as_of Thu Apr 30; May 1-5 off, Sat May 9 a make-up workday
    tasks = frame(
        "tasks",
        [
            _task("1", "in_progress", D(2026, 5, 8)),
            _task("2", "in_progress", D(2026, 5, 9)),
            _task("3", "in_progress", D(2026, 5, 6)),
            _task("4", "done", D(2026, 4, 30), D(2026, 5, 9)),
        ],
    )
    got = flags.task_flags(tasks, D(2026, 4, 30), cal, 3)
    assert _values(got["due_soon"]) == [True, False, True, False]
    assert _values(got["days_late"]) == [0, 0, 0, 4]  # May 6, 7, 8, 9


def test_task_flags_national_day_2025(cal):
    tasks = frame(
        "tasks",
        [_task("1", "in_progress", D(2025, 9, 30)), _task("2", "not_started", D(2025, 9, 26))],
    )
    got = flags.task_flags(tasks, D(2025, 10, 9), cal, 3)
    assert _values(got["days_late"]) == [1, 4]  # Oct 9 / Sep 28, 29, 30, Oct 9


def test_due_soon_window_setting(cal):
    tasks = frame("tasks", [_task("1", "in_progress", D(2026, 4, 7))])
    assert _values(flags.task_flags(tasks, D(2026, 4, 1), cal, 2)["due_soon"]) == [False]
    assert _values(flags.task_flags(tasks, D(2026, 4, 1), cal, 0)["due_soon"]) == [False]
    today = frame("tasks", [_task("1", "in_progress", D(2026, 4, 1))])
    assert _values(flags.task_flags(today, D(2026, 4, 1), cal, 0)["due_soon"]) == [True]


def test_task_flags_honour_overrides():
    cal = WorkCalendar(
        frame("holidays", [{"date": D(2026, 3, 31), "type": "off", "name": "公司停工日"}])
    )
    tasks = frame("tasks", [_task("1", "in_progress", D(2026, 3, 27))])
    assert _values(flags.task_flags(tasks, D(2026, 4, 1), cal, 3)["days_late"]) == [2]


def test_task_flags_empty_frame(cal):
    got = flags.task_flags(frame("tasks", []), D(2026, 4, 1), cal, 3)
    assert len(got) == 0 and list(got.columns) == ["days_late", "overdue", "due_soon"]


def test_task_flags_accept_object_date_columns(cal):
    tasks = pd.DataFrame(
        {
            "planned_finish": [D(2026, 3, 27), None],
            "actual_finish": [None, None],
            "status": ["blocked", "done"],
        },
        index=[5, 6],
    )
    got = flags.task_flags(tasks, D(2026, 4, 1), cal, 3)
    assert _values(got["days_late"]) == [3, None]


def test_task_flags_20k_tasks(cal):
    rng = np.random.default_rng(5)
    n = 20_000
    pf = pd.Series(np.datetime64("2026-01-01") + rng.integers(0, 200, n).astype("timedelta64[D]"))
    af = pf + pd.to_timedelta(rng.integers(-3, 10, n), unit="D")
    status = rng.choice(["not_started", "in_progress", "done", "blocked"], n)
    tasks = pd.DataFrame(
        {
            "planned_finish": pf.astype("datetime64[ns]"),
            "actual_finish": af.astype("datetime64[ns]").where(status == "done"),
            "status": pd.Series(status, dtype=object),
        }
    )
    got = flags.task_flags(tasks, D(2026, 4, 1), cal, 3)
    for i in rng.integers(0, n, 200):
        row = tasks.iloc[i]
        p = row.planned_finish.date()
        if row.status == "done":
            exp = cal.workdays_between(p, row.actual_finish.date())
        else:
            exp = cal.workdays_between(p, D(2026, 4, 1))
        assert got["days_late"].iloc[i] == exp


# ------------------------------------------------------------------ risks ---
IDENTIFIED = D(2026, 3, 2)


def _risk(rid, p, i, status="open", identified=IDENTIFIED, last=None):
    return {
        "risk_id": rid,
        "description": "x",
        "category": "other",
        "probability": p,
        "impact": i,
        "status": status,
        "identified": identified,
        "last_review": last,
    }


def test_risk_flags_hand_computed():
    risks = frame(
        "risks",
        [
            _risk("R1", 3, 5, last=D(2026, 3, 18)),  # 15 high; 14 days: not overdue
            _risk("R2", 2, 4, last=D(2026, 3, 17)),  # 8 medium; 15 days: overdue
            _risk("R3", 2, 3, identified=D(2026, 3, 1)),  # 6 low; never reviewed, 31 days
            _risk("R4", None, 3, identified=D(2026, 3, 30)),  # no score
            _risk("R5", 5, 5, status="closed", last=D(2026, 1, 1)),  # closed: no flag
            _risk(None, 1, 1, last=D(2026, 1, 1)),  # no ID: no flag
            _risk("R7", 4, 2, identified=None, last=None),  # no dates: no flag
            _risk("R8", 3, 3, status="monitoring", identified=D(2026, 3, 25)),  # 7 days
            _risk("R9", 5, 3, status="occurred", last=D(2026, 3, 31)),  # 15 high
        ],
    )
    got = flags.risk_flags(risks, D(2026, 4, 1), 8, 15, 14)
    assert str(got["score"].dtype) == "Int64" and str(got["review_overdue"].dtype) == "boolean"
    assert _values(got["score"]) == [15, 8, 6, None, 25, 1, 8, 9, 15]
    assert _values(got["level"]) == [
        "high",
        "medium",
        "low",
        None,
        "high",
        "low",
        "medium",
        "medium",
        "high",
    ]
    assert _values(got["review_overdue"]) == [
        False,
        True,
        True,
        False,
        None,
        None,
        None,
        False,
        False,
    ]


def test_risk_review_counts_calendar_days():
    # across Qingming: holidays do not stop the clock
    risks = frame(
        "risks", [_risk("R1", 1, 1, last=D(2026, 4, 6)), _risk("R2", 1, 1, last=D(2026, 4, 5))]
    )
    got = flags.risk_flags(risks, D(2026, 4, 20), 8, 15, 14)
    assert _values(got["review_overdue"]) == [False, True]


def test_risk_level_thresholds():
    assert flags.risk_level(7, 8, 15) == "low"
    assert flags.risk_level(8, 8, 15) == "medium"
    assert flags.risk_level(14, 8, 15) == "medium"
    assert flags.risk_level(15, 8, 15) == "high"
    assert flags.risk_level(None, 8, 15) is None
    assert flags.risk_level(12, 5, 10) == "high"


# ----------------------------------------------------------------- budget ---
def test_budget_used_hand_computed():
    budget = frame(
        "budget",
        [
            {"department": "市场部", "category": "人工", "amount": Decimal("1000.00")},
            {"department": "市场部", "category": "差旅", "amount": Decimal("0")},
            {"department": "销售部", "category": "Custom cat", "amount": None},
            {"department": None, "category": "人工", "amount": Decimal("500")},
            {"department": "信息技术部", "category": "外包服务", "amount": Decimal("200000.00")},
        ],
    )
    expenses = frame(
        "expenses",
        [
            {"date": D(2026, 3, 2), "department": "市场部", "category": "人工", "amount": "300.50"},
            {"date": D(2026, 3, 3), "department": "市场部", "category": "人工", "amount": "200.25"},
            {"date": D(2026, 3, 3), "department": "市场部", "category": "人工", "amount": None},
            {"date": D(2026, 3, 4), "department": "市场部", "category": "差旅", "amount": "88.80"},
            {
                "date": D(2026, 3, 4),
                "department": "销售部",
                "category": "custom CAT",
                "amount": "10",
            },
            {
                "date": D(2026, 3, 5),
                "department": "信息技术部",
                "category": "外包服务",
                "amount": "120000.00",
            },
            {
                "date": D(2026, 3, 6),
                "department": "信息技术部",
                "category": "外包服务",
                "amount": "90000.00",
            },
            {"date": D(2026, 3, 6), "department": "信息技术部", "category": "设备", "amount": "5"},
        ],
    )
    got = flags.budget_used(budget, expenses)
    assert got["used"].tolist() == [
        Decimal("500.75"),
        Decimal("88.80"),
        Decimal("10.00"),
        None,
        Decimal("210000.00"),
    ]
    assert got["remaining"].tolist() == [
        Decimal("499.25"),
        Decimal("-88.80"),
        Decimal("-10.00"),
        None,
        Decimal("-10000.00"),
    ]
    assert all(isinstance(v, Decimal) for v in got["used"].dropna())
    pct = _values(got["used_pct"])
    assert pct[0] == pytest.approx(0.50075)
    assert pct[1] is None and pct[2] is None and pct[3] is None  # zero/empty amount, no dept
    assert pct[4] == pytest.approx(1.05)


def test_budget_used_empty():
    got = flags.budget_used(frame("budget", []), frame("expenses", []))
    assert len(got) == 0
    budget = frame("budget", [{"department": "财务部", "category": "其他", "amount": "5000"}])
    got = flags.budget_used(budget, frame("expenses", []))
    assert got["used"].tolist() == [Decimal("0.00")]
    assert _values(got["used_pct"]) == [0.0]


# ------------------------------------------------------------- escalation ---
@pytest.mark.parametrize(
    "days, level",
    [
        (0, "department"),
        (1, "department"),
        (2, "department"),
        (3, "pm"),
        (5, "pm"),
        (6, "lead"),
        (30, "lead"),
        (None, None),
        (NA, None),
    ],
)
def test_escalation_level_defaults(days, level):
    assert flags.escalation_level(days, 2, 5) == level


def test_escalation_level_thresholds_and_series(cal):
    assert flags.escalation_level(3, pm_days=3, lead_days=4) == "department"
    assert flags.escalation_level(4, pm_days=3, lead_days=4) == "pm"
    assert flags.escalation_level(5, pm_days=3, lead_days=4) == "lead"
    # blocked since Thu Mar 26 -> Wed Apr 1: Mar 27, 30, 31, Apr 1 = 4 working days
    blocked = pd.Series(
        [
            cal.workdays_between(D(2026, 3, 26), D(2026, 4, 1)),
            None,
            cal.workdays_between(D(2026, 4, 2), D(2026, 4, 13)),
        ],
        index=[7, 8, 9],
    )
    assert list(blocked[[7, 9]]) == [4, 6]
    got = flags.escalation_levels(blocked, 2, 5)
    assert list(got.index) == [7, 8, 9]
    assert list(got) == ["pm", None, "lead"]
