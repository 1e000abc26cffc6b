"""Blocked since and escalation level: the two task columns only Python fills.

The escalation ladder of the procedure (部门内解决 → 项目经理协调 →
总负责人决策) depends on how long a task has been blocked, in working days.
Until the status history exists (a later issue), "how long" is taken from
the workbook itself:

- **blocked since** (``blocked_since``), for a task whose status is 阻塞:
  the date already in the workbook's 阻塞开始日期 column, if there is one (a
  previous ``check --write`` or the nightly run wrote it, or a person typed
  it); otherwise the task's last known date: its actual start, else its
  planned start. A date after ``as_of`` is taken as ``as_of`` (blocked from
  today), and so is a task with no date at all. A task that is no longer
  blocked loses its date (the column is cleared), so a task blocked again
  later starts counting afresh.
- **escalation** (``escalation``, a key of the ``escalation`` choice list):
  from the working days since the task was blocked (``days_blocked``, the
  working days d with blocked_since < d <= as_of), or, for a task that is
  overdue, from the working days it is late (``days_late`` of
  :func:`xlcollab.core.flags.task_flags`). A task both blocked and overdue
  counts its blocked days: the ladder is about the blockage, and a task
  blocked yesterday starts at the bottom (as the demo project records).
  Levels via :func:`xlcollab.core.flags.escalation_level` with
  the thresholds of the 参数 sheet. Done tasks, and open tasks neither
  blocked nor overdue, have none.

Pure: frames, dates and a calendar in, a frame out; the clock is never read.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.dates import column_dates, to_date

__all__ = ["escalations"]


def escalations(
    tasks: pd.DataFrame,
    as_of: dt.date,
    cal: WorkCalendar,
    pm_days: int = 2,
    lead_days: int = 5,
    days_late: pd.Series | None = None,
) -> pd.DataFrame:
    """blocked_since (datetime64), days_blocked (Int64), escalation (object:
    "department" / "pm" / "lead" or None) per task; index of ``tasks``.

    ``days_late`` (from :func:`xlcollab.core.flags.task_flags`) is computed when
    not given. See the module docstring for the rules.
    """
    index = tasks.index
    today = pd.Timestamp(to_date(as_of))
    status = tasks["status"] if "status" in tasks else pd.Series(None, index=index, dtype=object)
    blocked = (status == "blocked").fillna(False).astype(bool).to_numpy()
    done = (status == "done").fillna(False).astype(bool).to_numpy()

    since = column_dates(tasks, "blocked_since")
    fallback = column_dates(tasks, "actual_start")
    fallback = fallback.where(fallback.notna(), column_dates(tasks, "planned_start"))
    since = since.where(since.notna(), fallback)
    since = since.where(since.notna() & (since <= today), today)
    since = since.where(blocked)  # only blocked tasks have a date

    days_blocked = cal.workdays_between_many(since, today)
    if days_late is None:
        if "planned_finish" in tasks:
            days_late = flags.task_flags(tasks, today.date(), cal, 0)["days_late"]
        else:
            days_late = pd.Series(pd.array([pd.NA] * len(index), dtype="Int64"), index=index)
    pf = column_dates(tasks, "planned_finish")
    overdue = (~done) & pf.notna().to_numpy() & (today > pf).fillna(False).to_numpy()
    late = pd.array(days_late, dtype="Int64").to_numpy(dtype="float64", na_value=np.nan)
    blk = days_blocked.to_numpy(dtype="float64", na_value=np.nan)

    count = np.full(len(index), np.nan)
    count[overdue] = late[overdue]
    count[blocked] = blk[blocked]
    level = [
        flags.escalation_level(None if np.isnan(c) else int(c), pm_days, lead_days) for c in count
    ]
    return pd.DataFrame(
        {
            "blocked_since": since.astype("datetime64[ns]"),
            "days_blocked": days_blocked.where(pd.Series(blocked, index=index)).astype("Int64"),
            "escalation": pd.Series(level, index=index, dtype=object),
        },
        index=index,
    )
