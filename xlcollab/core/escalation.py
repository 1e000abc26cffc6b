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
  for a blocked task only, from the working days since it was blocked
  (``days_blocked``, the working days d with blocked_since < d <= as_of),
  via :func:`xlcollab.core.flags.escalation_level` with the thresholds of the
  参数 sheet. The procedure's ladder is for problems: a blocked task, or an
  issue raised by hand in 问题升级. A task that is overdue but not blocked
  does not climb the ladder: it is counted and listed as overdue (with its
  working days late) and discussed at the weekly meeting; when someone has
  to decide, the PM raises it in 问题升级 at the level needed. Done tasks
  and open tasks that are not blocked have no level.

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

    ``days_late`` is accepted for callers that pass it and not used: an
    overdue task that is not blocked has no level (see the module
    docstring).
    """
    del days_late
    index = tasks.index
    today = pd.Timestamp(to_date(as_of))
    status = tasks["status"] if "status" in tasks else pd.Series(None, index=index, dtype=object)
    blocked = (status == "blocked").fillna(False).astype(bool).to_numpy()
    since = column_dates(tasks, "blocked_since")
    fallback = column_dates(tasks, "actual_start")
    fallback = fallback.where(fallback.notna(), column_dates(tasks, "planned_start"))
    since = since.where(since.notna(), fallback)
    since = since.where(since.notna() & (since <= today), today)
    since = since.where(blocked)  # only blocked tasks have a date

    days_blocked = cal.workdays_between_many(since, today)
    count = days_blocked.to_numpy(dtype="float64", na_value=np.nan)
    count[~blocked] = np.nan
    return pd.DataFrame(
        {
            "blocked_since": since.astype("datetime64[ns]"),
            "days_blocked": days_blocked.where(pd.Series(blocked, index=index)).astype("Int64"),
            "escalation": flags.escalation_levels(
                pd.Series(count, index=index), pm_days, lead_days
            ),
        },
        index=index,
    )
