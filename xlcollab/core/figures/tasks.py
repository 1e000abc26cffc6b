"""Tasks and summary rows: which WBS rows are tasks, what a summary row
shows, and every task's flags as of a date.

A WBS row whose code another row extends ("3.1" when "3.1.2" exists) is a
*summary row*: it takes its dates, progress and status from the tasks under
it (:func:`rollup`) and is never counted as a task. Every other row with a
WBS code or a name is a *task* (a work package, a leaf of the tree).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar, to_date
from xlcollab.core.escalation import escalations
from xlcollab.model import ProjectData, is_missing

__all__ = [
    "wbs_text",
    "summary_mask",
    "leaf_mask",
    "descendants",
    "rollup",
    "task_frame",
    "ROLLUP_COLUMNS",
    "int_setting",
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


def descendants(tasks: pd.DataFrame) -> dict:
    """Summary row index -> the index labels of the tasks (leaves) under it."""
    codes = {i: wbs_text(w) for i, w in zip(tasks.index, tasks["wbs"], strict=False)}
    summary = summary_mask(tasks)
    leaves = [(i, c) for i, c in codes.items() if c and not summary[i]]
    out = {}
    for i, c in codes.items():
        if summary[i]:
            head = c + "."
            out[i] = [j for j, lc in leaves if lc.startswith(head)]
    return out


def _date_or_none(v):
    if is_missing(v):
        return None
    try:
        return to_date(v)
    except (TypeError, ValueError):
        return None


def rollup(tasks: pd.DataFrame) -> pd.DataFrame:
    """What each summary row shows, from the tasks under it (index: the
    summary rows; columns :data:`ROLLUP_COLUMNS`):

    - planned start / finish: the earliest planned start and the latest
      planned finish of its tasks;
    - actual start: the earliest actual start (empty when none started);
      actual finish: the latest actual finish once every task is done;
    - progress: the mean of its tasks' progress, a done task counting 100%
      and an empty progress 0%;
    - status: 已完成 when every task is done, else 阻塞 when any is blocked,
      else 进行中 when any is in progress or done, else 未开始.
    """
    rows = {}
    for i, kids in descendants(tasks).items():
        sub = tasks.loc[kids]
        ps = [d for d in map(_date_or_none, sub["planned_start"]) if d]
        pf = [d for d in map(_date_or_none, sub["planned_finish"]) if d]
        ast = [d for d in map(_date_or_none, sub.get("actual_start", [])) if d]
        aft = [d for d in map(_date_or_none, sub.get("actual_finish", [])) if d]
        status = [None if is_missing(s) else str(s) for s in sub["status"]]
        all_done = bool(status) and all(s == "done" for s in status)
        if all_done:
            st = "done"
        elif "blocked" in status:
            st = "blocked"
        elif "in_progress" in status or "done" in status:
            st = "in_progress"
        else:
            st = "not_started"
        prog = []
        for s, p in zip(status, sub.get("progress", [None] * len(sub)), strict=False):
            prog.append(1.0 if s == "done" else (0.0 if is_missing(p) else float(p)))
        rows[i] = {
            "planned_start": min(ps) if ps else None,
            "planned_finish": max(pf) if pf else None,
            "actual_start": min(ast) if ast else None,
            "actual_finish": max(aft) if all_done and aft else None,
            "progress": float(np.mean(prog)) if prog else None,
            "status": st,
        }
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(ROLLUP_COLUMNS))
    for c in ("planned_start", "planned_finish", "actual_start", "actual_finish"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def int_setting(data: ProjectData, key: str) -> int:
    """A whole-number setting; the schema default when it is not one (the
    settings rules report it)."""
    from xlcollab.schema import SHEETS

    try:
        return int(data.setting(key))
    except (TypeError, ValueError):
        return int(SHEETS["settings"].col(key).default)


def task_frame(data: ProjectData, as_of: dt.date, cal: WorkCalendar) -> pd.DataFrame:
    """The task sheet as of a date: rows with a WBS code or a name; summary
    rows show their roll-up; added columns ``summary`` and ``leaf`` (bool),
    ``days_late``, ``overdue``, ``due_soon`` (:func:`flags.task_flags`),
    ``blocked_since`` (as :func:`escalations` takes it), ``blocked_days``
    and ``escalation_now`` (the ladder level of a blocked task)."""
    tasks = data.tables["tasks"].copy()
    keep = [
        not is_missing(w) or not is_missing(n)
        for w, n in zip(tasks["wbs"], tasks["name"], strict=False)
    ]
    tasks = tasks[keep]
    summary = summary_mask(tasks)
    roll = rollup(tasks)
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
    tasks["summary"] = summary
    tasks["leaf"] = ~summary
    tf = flags.task_flags(tasks, as_of, cal, int_setting(data, "due_soon_days"))
    for k in ("days_late", "overdue", "due_soon"):
        tasks[k] = tf[k]
    esc = escalations(
        tasks,
        as_of,
        cal,
        int_setting(data, "escalation_pm_days"),
        int_setting(data, "escalation_lead_days"),
    )
    tasks["blocked_since"] = esc["blocked_since"]
    tasks["blocked_days"] = esc["days_blocked"]
    tasks["escalation_now"] = esc["escalation"].where(~summary, None)
    return tasks
