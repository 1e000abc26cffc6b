"""Each department pack opens in a real spreadsheet engine (LibreOffice,
headless) and its native formulas agree with Python's flags."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import with_rollup
from xlcollab.io import read_workbook
from xlcollab.io.office import convert_many
from xlcollab.io.save import save_new_workbook
from xlcollab.packs.build import build_pack
from xlcollab.packs.split import split_plan
from xlcollab.workbook.demo import DEMO_PACK_DEPARTMENTS, demo_project

pytestmark = pytest.mark.libreoffice
DAY = dt.date(2026, 4, 7)  # the first working day after Qingming


@pytest.fixture(scope="module")
def recalculated(office, tmp_path_factory):
    data = demo_project()
    data.overview["status_date"] = DAY
    folder = tmp_path_factory.mktemp("packs-office")
    plans, paths = {}, []
    for dept in DEMO_PACK_DEPARTMENTS + ("客户服务部",):
        plan = split_plan(data, dept, "2026-04-07T09:00:00")
        path = folder / f"{len(paths)}.xlsx"
        save_new_workbook(build_pack(plan, dt.date(2026, 4, 10)), path)
        plans[path.resolve()] = plan
        paths.append(path)
    out = convert_many(paths, "xlsx", folder / "lo")
    return [(plans[src], read_workbook(dst)) for src, dst in out.items()]


def _bool(s: pd.Series) -> list[bool]:
    return [bool(v) if not pd.isna(v) else False for v in s]


def test_pack_formulas_agree_with_python(recalculated):
    assert len(recalculated) == 3
    for plan, lo in recalculated:
        data = plan.data
        tasks = data.tables["tasks"]
        cal = WorkCalendar.from_holidays(data.tables["holidays"])
        # a summary row shows its roll-up over the pack's rows (its formulas)
        py = flags.task_flags(with_rollup(tasks), DAY, cal, int(data.setting("due_soon_days")))
        got = lo.tables["tasks"]
        assert list(got["wbs"]) == list(tasks["wbs"]) and len(got) >= 5
        assert [int(v) for v in got["days_late"]] == [int(v) for v in py["days_late"]]
        assert _bool(got["overdue"]) == _bool(py["overdue"])
        assert _bool(got["due_soon"]) == _bool(py["due_soon"])
        risks = data.tables["risks"]
        rf = flags.risk_flags(
            risks,
            DAY,
            int(data.setting("risk_medium")),
            int(data.setting("risk_high")),
            int(data.setting("risk_review_days")),
        )
        assert [int(v) for v in lo.tables["risks"]["score"]] == [int(v) for v in rf["score"]]
        assert list(lo.tables["risks"]["level"]) == list(rf["level"])
        # the budget formulas sum the pack's own expenses
        budget = lo.tables["budget"]
        spent = lo.tables["expenses"].groupby(["department", "category"])["amount"].sum()
        for _, row in budget.iterrows():
            want = spent.get((row["department"], row["category"]), 0)
            assert row["used"] == want
