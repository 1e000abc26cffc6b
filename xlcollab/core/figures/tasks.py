"""Tasks and summary rows: which WBS rows are tasks, what a summary row
shows, and every task's flags as of a date.

A WBS row whose code another row extends ("3.1" when "3.1.2" exists) is a
*summary row*: it takes its dates, progress and status from the tasks under
it (:func:`rollup`) and is never counted as a task. Every other row with a
WBS code or a name is a *task* (a work package, a leaf of the tree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import to_date

__all__ = [
    "wbs_text",
    "summary_mask",
    "leaf_mask",
    "descendants",
    "rollup",
    "with_rollup",
    "task_frame",
    "ROLLUP_COLUMNS",
]

ROLLUP_COLUMNS = (
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "progress",
    "status",
)


def wbs_text(v) -> str | None:
    """A WBS cell as its code text (None when empty)."""
    return None if is_missing(v) else str(v).strip()


def summary_mask(tasks: pd.DataFrame) -> pd.Series:
    """True for the rows whose WBS code another row extends (summary rows)."""
    codes = [wbs_text(w) for w in tasks["wbs"]]
    prefixes: set[str] = set()
    for c in codes:
        if c:
            parts = c.split(".")
            for i in range(1, len(parts)):
                prefixes.add(".".join(parts[:i]))
    return pd.Series(
        [c is not None and c in prefixes for c in codes], index=tasks.index, dtype=bool
    )


def leaf_mask(tasks: pd.DataFrame) -> pd.Series:
    """True for tasks (work packages): rows that are not summary rows."""
    return ~summary_mask(tasks)


def descendants(tasks: pd.DataFrame, leaves_only: bool = True) -> dict:
    """Summary row index -> the index labels of the rows under it (its
    tasks; with ``leaves_only=False`` its summary rows too), in sheet order."""
    codes = {i: wbs_text(w) for i, w in zip(tasks.index, tasks["wbs"], strict=False)}
    summary = summary_mask(tasks)
    under = [(i, c) for i, c in codes.items() if c and (not leaves_only or not summary[i])]
    out: dict = {}
    by_code: dict[str, list] = {}
    for i, c in codes.items():
        if summary[i] and c:
            out[i] = []
            by_code.setdefault(c, []).append(i)
    # a row is under each code its own extends ("3" and "3.1" for "3.1.2")
    for j, lc in under:
        if not lc:
            continue
        parts = lc.split(".")
        for k in range(1, len(parts)):
            for i in by_code.get(".".join(parts[:k]), ()):
                out[i].append(j)
    return out


def rollup(tasks: pd.DataFrame) -> pd.DataFrame:
    """What each summary row shows (index: the summary rows; columns
    :data:`ROLLUP_COLUMNS`), from the rows under it, as the workbook's
    SUMMARY_FORMULAS compute it: over every row under it, a summary row
    below counting with its own roll-up (computed deepest first).

    - planned start / finish: the earliest planned start, the latest
      planned finish (empty when none is given);
    - actual start: the earliest actual start (empty when none started);
      actual finish: the latest actual finish once every row under it is
      done;
    - progress: the mean progress of the rows under it (empty counts 0%);
    - status: 已完成 when every row under it is done; 未开始 when every one
      is not started; 阻塞 when every one that is not done is blocked; else
      进行中.
    """
    under = descendants(tasks, leaves_only=False)
    depth = {i: len(str(wbs_text(tasks.at[i, "wbs"])).split(".")) for i in under}
    values: dict[str, dict[Any, Any]] = {
        c: dict(zip(tasks.index, tasks[c].tolist(), strict=True))
        if c in tasks
        else dict.fromkeys(tasks.index)
        for c in ROLLUP_COLUMNS
    }
    rows = {}
    for i in sorted(under, key=lambda k: -depth[k]):
        kids = under[i]
        n = len(kids)

        def dates(col, kids=kids):
            return [d for d in (to_date(values[col][k], strict=False) for k in kids) if d]

        status = [None if is_missing(values["status"][k]) else values["status"][k] for k in kids]
        nd, nn, nb = (sum(s == key for s in status) for key in ("done", "not_started", "blocked"))
        if nd == n:
            st = "done"
        elif nn == n:
            st = "not_started"
        elif nd + nb == n:
            st = "blocked"
        else:
            st = "in_progress"
        ps, pf, ast, aft = (
            dates(c) for c in ("planned_start", "planned_finish", "actual_start", "actual_finish")
        )
        prog = [
            0.0 if is_missing(values["progress"][k]) else float(values["progress"][k]) for k in kids
        ]
        row = {
            "planned_start": min(ps) if ps else None,
            "planned_finish": max(pf) if pf else None,
            "actual_start": min(ast) if ast else None,
            "actual_finish": max(aft) if nd == n and aft else None,
            "progress": sum(prog) / n if n else None,
            "status": st,
        }
        rows[i] = row
        for c, v in row.items():
            values[c][i] = v
    order = [i for i in tasks.index if i in rows]
    frame = pd.DataFrame.from_dict(
        {i: rows[i] for i in order}, orient="index", columns=list(ROLLUP_COLUMNS)
    )
    for c in ("planned_start", "planned_finish", "actual_start", "actual_finish"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def with_rollup(tasks: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``tasks`` in which each summary row shows its roll-up
    (:func:`rollup`), as the workbook's formulas show it."""
    tasks = tasks.copy()
    roll = rollup(tasks) if len(tasks) and "wbs" in tasks else pd.DataFrame()
    for c in ROLLUP_COLUMNS:
        if c not in tasks or not len(roll):
            continue
        if pd.api.types.is_datetime64_any_dtype(tasks[c].dtype):
            tasks.loc[roll.index, c] = roll[c].to_numpy()
        else:
            col = tasks[c].astype(object)
            for i in roll.index:
                v = roll.at[i, c]
                col.at[i] = None if is_missing(v) else v
            tasks[c] = col.astype(tasks[c].dtype) if c == "progress" else col
    return tasks


def task_frame(
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar,
    blocked_since: dict[str, dt.date] | None = None,
) -> pd.DataFrame:
    """The task sheet as of a date: rows with a WBS code or a name; summary
    rows show their roll-up; added columns ``summary`` and ``leaf`` (bool),
    ``days_late``, ``overdue``, ``due_soon`` (:func:`flags.task_flags`),
    ``blocked_since`` (as :func:`escalations` takes it), ``blocked_days``
    and ``escalation_now`` (the ladder level of a blocked task).

    ``blocked_since``: WBS code -> the date a task was first seen blocked
    (the nightly history's), taking precedence over the sheet's column."""
    tasks = data.tables["tasks"].copy()
    keep = [
        not is_missing(w) or not is_missing(n)
        for w, n in zip(tasks["wbs"], tasks["name"], strict=False)
    ]
    tasks = with_rollup(tasks.loc[np.array(keep, dtype=bool)])
    if blocked_since:
        given = pd.to_datetime(tasks["wbs"].map(wbs_text).map(blocked_since), errors="coerce")
        own = pd.to_datetime(tasks.get("blocked_since", given), errors="coerce")
        tasks["blocked_since"] = given.where(given.notna(), own)
    summary = summary_mask(tasks)
    tasks["summary"] = summary
    tasks["leaf"] = ~summary
    tf = flags.task_flags(tasks, as_of, cal, data.int_setting("due_soon_days"))
    for k in ("days_late", "overdue", "due_soon"):
        tasks[k] = tf[k]
    esc = escalations(
        tasks,
        as_of,
        cal,
        data.int_setting("escalation_pm_days"),
        data.int_setting("escalation_lead_days"),
    )
    tasks["blocked_since"] = esc["blocked_since"]
    tasks["blocked_days"] = esc["days_blocked"]
    tasks["escalation_now"] = esc["escalation"].where(~summary, None)
    return tasks
