"""The values of the master's computed columns, as the workbook's formulas
compute them, so that the saved file carries them as cached values
(:mod:`xlcollab.io.cached`): 延误工作日, 是否逾期, 即将到期 on 任务清单;
风险值, 风险等级, 复核逾期 on 风险登记册; 已使用, 剩余, 使用率 on 预算.

Computed with :mod:`xlcollab.core.flags` as of the overview's status date
(the workbook's ``xc_today``). Without a status date the formulas use
TODAY(), which Python does not read: no values then (Excel recalculates on
open in any case).
"""

from __future__ import annotations

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import with_rollup
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import to_date
from xlcollab.schema import SHEETS, YES_NO, Computed, T

__all__ = ["computed_values"]


def _shown(col, value, lang: str):
    """What the column's formula shows for ``value`` (None: an empty text)."""
    if is_missing(value):
        return None
    if col.type is T.BOOL:
        return YES_NO.label("yes", lang) if bool(value) else None
    if col.type is T.ENUM and col.choice_list is not None:
        return col.choice_list.label(str(value), lang)
    if col.type is T.INT:
        return int(value)
    if col.type is T.PERCENT:
        return float(value)
    return value


def computed_values(data: ProjectData, lang: str) -> dict[str, pd.DataFrame]:
    """Sheet key -> the computed Excel columns' shown values per record (in
    record order); empty without a status date."""
    as_of = to_date(data.overview.get("status_date"), strict=False)
    if as_of is None:
        return {}
    cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
    t = data.tables
    raw = {
        # a summary row's flags follow its roll-up, as its formulas do
        "tasks": flags.task_flags(
            with_rollup(t["tasks"]), as_of, cal, data.int_setting("due_soon_days")
        ),
        "risks": flags.risk_flags(
            t["risks"],
            as_of,
            data.int_setting("risk_medium"),
            data.int_setting("risk_high"),
            data.int_setting("risk_review_days"),
        ),
        "budget": flags.budget_used(t["budget"], t["expenses"]),
    }
    out = {}
    for key, frame in raw.items():
        sheet = SHEETS[key]
        cols = {}
        for col in sheet.columns:
            if col.computed is Computed.EXCEL and col.key in frame:
                cols[col.key] = [_shown(col, v, lang) for v in frame[col.key].tolist()]
        out[key] = pd.DataFrame(cols, dtype=object)
    return out
