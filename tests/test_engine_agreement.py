"""The workbook's native formulas and Python's flags agree, in a real engine.

The demo project is built with its status date pinned to a given day,
LibreOffice headless opens it, recalculates every formula and saves it; the
recalculated cells (read back with the ordinary reader) must equal what
:mod:`xlcollab.core.flags` computes for the same data and the same day. The days
are chosen around Qingming (Apr 4-6 2026) so the holiday list matters.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd
import pytest

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.io import read_workbook
from xlcollab.io.office import recalculate
from xlcollab.io.save import save_new_workbook
from xlcollab.workbook import build_workbook
from xlcollab.workbook.demo import demo_project

pytestmark = pytest.mark.libreoffice

DAYS = [
    dt.date(2026, 4, 1),  # the demo's own status date, week 5
    dt.date(2026, 4, 7),  # the first working day after Qingming
    dt.date(2026, 3, 13),  # end of planning, week 2
]


@pytest.fixture(scope="module", params=DAYS, ids=str)
def recalculated(request, office, tmp_path_factory):
    day = request.param
    data = demo_project()
    data.overview["status_date"] = day
    folder = tmp_path_factory.mktemp(f"engine-{day}")
    src = folder / "demo.xlsx"
    save_new_workbook(build_workbook(data), src)
    out = recalculate(src, folder / "lo")
    return day, data, read_workbook(out)


def _bool(s: pd.Series) -> list[bool]:
    return [bool(v) if not pd.isna(v) else False for v in s]


def test_task_flags_agree(recalculated):
    day, data, lo = recalculated
    tasks = data.tables["tasks"]
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    py = flags.task_flags(tasks, day, cal, int(data.setting("due_soon_days")))
    got = lo.tables["tasks"]
    assert len(got) == len(tasks) >= 60
    assert list(got["wbs"]) == list(tasks["wbs"])
    assert [int(v) for v in got["days_late"]] == [int(v) for v in py["days_late"]]
    assert _bool(got["overdue"]) == _bool(py["overdue"])
    assert _bool(got["due_soon"]) == _bool(py["due_soon"])
    # the demo is meant to show problems: some tasks are late on every day tested
    if day >= dt.date(2026, 4, 1):
        assert sum(_bool(py["overdue"])) >= 3


def test_risk_flags_agree(recalculated):
    day, data, lo = recalculated
    risks = data.tables["risks"]
    py = flags.risk_flags(
        risks,
        day,
        int(data.setting("risk_medium")),
        int(data.setting("risk_high")),
        int(data.setting("risk_review_days")),
    )
    got = lo.tables["risks"]
    assert [int(v) for v in got["score"]] == [int(v) for v in py["score"]]
    assert list(got["level"]) == list(py["level"])
    assert set(py["level"]) == {"low", "medium", "high"}
    assert _bool(got["review_overdue"]) == _bool(py["review_overdue"])


def test_budget_used_agrees(recalculated):
    _, data, lo = recalculated
    py = flags.budget_used(data.tables["budget"], data.tables["expenses"])
    got = lo.tables["budget"]
    cent = Decimal("0.01")
    assert [Decimal(str(v)).quantize(cent) for v in got["used"]] == [
        v.quantize(cent) for v in py["used"]
    ]
    assert [Decimal(str(v)).quantize(cent) for v in got["remaining"]] == [
        v.quantize(cent) for v in py["remaining"]
    ]
    assert [round(float(v), 6) for v in got["used_pct"]] == [
        round(float(v), 6) for v in py["used_pct"]
    ]
    # at least one line is over budget in the demo
    assert any(float(v) > 1 for v in py["used_pct"])
