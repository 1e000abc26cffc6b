"""Tasks and summary rows: which WBS rows are tasks, what a summary row
shows, and every task's flags as of a date.

A WBS row whose code another row extends ("3.1" when "3.1.2" exists) is a
*summary row*: it takes its dates, progress and status from the tasks under
it (:func:`rollup`) and is never counted as a task. Every other row with a
WBS code or a name is a *task* (a work package, a leaf of the tree).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import numpy as np
import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.core.network import wbs_codes, wbs_text
from xlcollab.model import ProjectData, is_missing, present
from xlcollab.model.dates import to_date

__all__ = [
    "wbs_text",
    "wbs_codes",
    "WbsTree",
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


def _prefixes(code: str):
    """The codes ``code`` extends: "3.1" and "3" for "3.1.2"."""
    k = code.rfind(".")
    while k >= 0:
        code = code[:k]
        yield code
        k = code.rfind(".")


@dataclass(frozen=True)
class WbsTree:
    """The WBS tree of a task frame, by row position: each row's code
    (None when empty), which rows are summary rows, and for each summary
    row the positions of every row under it (any depth), in sheet order."""

    codes: list[str | None]
    summary: np.ndarray  # bool per row
    under: dict[int, list[int]]  # summary row position -> positions under it

    @classmethod
    def of(cls, tasks: pd.DataFrame) -> WbsTree:
        """The tree of the frame's WBS codes (see :func:`_tree`)."""
        codes = wbs_codes(tasks["wbs"])
        summary, under = _tree(tuple(codes))
        return cls(codes, summary, under)

    def depth(self, position: int) -> int:
        """How many parts a row's code has ("3.1.2": 3)."""
        return str(self.codes[position]).count(".") + 1


@lru_cache(maxsize=4)
def _tree(codes: tuple[str | None, ...]) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Which rows are summary rows and the positions under each, for a
    sequence of codes: one pass, each row listed under every code it
    extends. Kept for the last few sequences (reading, the checks, the
    schedule's figures and the documents ask for the same tree), so the
    result is shared: read it, never change it (the array is read-only)."""
    under_code: dict[str, list[int]] = {}
    for j, c in enumerate(codes):
        if c:
            for p in _prefixes(c):
                under_code.setdefault(p, []).append(j)
    summary = np.fromiter(
        (c is not None and c in under_code for c in codes), dtype=bool, count=len(codes)
    )
    summary.flags.writeable = False
    under = {int(i): under_code[codes[i]] for i in np.flatnonzero(summary)}  # type: ignore[index]
    return summary, under


def summary_mask(tasks: pd.DataFrame) -> pd.Series:
    """True for the rows whose WBS code another row extends (summary rows)."""
    summary, _ = _tree(tuple(wbs_codes(tasks["wbs"])))
    return pd.Series(summary.copy(), index=tasks.index, dtype=bool)


def leaf_mask(tasks: pd.DataFrame) -> pd.Series:
    """True for tasks (work packages): rows that are not summary rows."""
    return ~summary_mask(tasks)


def descendants(tasks: pd.DataFrame, leaves_only: bool = True) -> dict:
    """Summary row index -> the index labels of the rows under it (its
    tasks; with ``leaves_only=False`` its summary rows too), in sheet order."""
    tree = WbsTree.of(tasks)
    labels = tasks.index.tolist()
    out = {}
    for i, kids in tree.under.items():
        if leaves_only:
            kids = [j for j in kids if not tree.summary[j]]
        out[labels[i]] = [labels[j] for j in kids]
    return out


_NAT = np.iinfo(np.int64).min
_FAR = np.iinfo(np.int64).max
_S_PER_DAY = 86_400  # the roll-up's dates are datetime64[s], as pd.to_datetime gives
_STATUS_CODES = {"done": 1, "not_started": 2, "blocked": 3}
_STATUS_KEYS = np.array(["in_progress", "done", "not_started", "blocked"], dtype=object)


def _days(tasks: pd.DataFrame, key: str) -> np.ndarray:
    """Column ``key`` as whole days since 1970 (int64, _NAT where no date),
    as :func:`to_date` reads each cell."""
    if key not in tasks:
        return np.full(len(tasks), _NAT, dtype=np.int64)
    s = tasks[key]
    if isinstance(s.dtype, np.dtype) and s.dtype.kind == "M":  # naive datetimes, any unit
        return s.to_numpy().astype("datetime64[D]").view(np.int64)  # floored to the day
    epoch = dt.date(1970, 1, 1).toordinal()
    dates = [to_date(v, strict=False) for v in s]
    return np.fromiter(
        (_NAT if d is None else d.toordinal() - epoch for d in dates),
        dtype=np.int64,
        count=len(dates),
    )


def _status_codes(tasks: pd.DataFrame) -> np.ndarray:
    """0 (another status or none), 1 done, 2 not started, 3 blocked."""
    if "status" not in tasks:
        return np.zeros(len(tasks), dtype=np.int8)
    values = tasks["status"].tolist()
    table = {v: _STATUS_CODES.get(v, 0) if isinstance(v, str) else 0 for v in dict.fromkeys(values)}
    return np.fromiter(map(table.__getitem__, values), dtype=np.int8, count=len(values))


def _progress(tasks: pd.DataFrame, wanted: np.ndarray) -> list:
    """Each row's progress as a float (empty counts 0), where ``wanted``."""
    if "progress" not in tasks:
        return [0.0] * len(tasks)
    s = tasks["progress"]
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        x = s.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.where(np.isnan(x), 0.0, x).tolist()
    return [
        (0.0 if is_missing(v) else float(v)) if w else 0.0
        for v, w in zip(s.tolist(), wanted.tolist(), strict=True)
    ]


def _empty_rollup() -> pd.DataFrame:
    frame = pd.DataFrame.from_dict({}, orient="index", columns=list(ROLLUP_COLUMNS))
    for c in ("planned_start", "planned_finish", "actual_start", "actual_finish"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def _earliest(days: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """The earliest day of each group (_NAT when the group has none)."""
    first = np.minimum.reduceat(np.where(days == _NAT, _FAR, days), starts)
    return np.where(first == _FAR, _NAT, first)


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

    The summary rows of one depth are computed together, on arrays.
    """
    tree = WbsTree.of(tasks)
    if not tree.under:
        return _empty_rollup()
    ps, pf, ast, aft = (
        _days(tasks, c)
        for c in ("planned_start", "planned_finish", "actual_start", "actual_finish")
    )
    status = _status_codes(tasks)
    wanted = np.zeros(len(tasks), dtype=bool)
    for kids in tree.under.values():
        wanted[kids] = True
    progress = _progress(tasks, wanted)
    levels: dict[int, list[int]] = {}
    for i in tree.under:
        levels.setdefault(tree.depth(i), []).append(i)
    for depth in sorted(levels, reverse=True):
        at = np.array(levels[depth], dtype=np.intp)
        groups = [tree.under[i] for i in levels[depth]]
        sizes = np.fromiter(map(len, groups), dtype=np.intp, count=len(groups))
        starts = np.zeros(len(groups), dtype=np.intp)
        np.cumsum(sizes[:-1], out=starts[1:])
        pos = np.fromiter(chain.from_iterable(groups), dtype=np.intp, count=int(sizes.sum()))
        st = status[pos]
        nd, nn, nb = (np.add.reduceat((st == k).astype(np.int64), starts) for k in (1, 2, 3))
        code = np.where(nd == sizes, 1, np.where(nn == sizes, 2, np.where(nd + nb == sizes, 3, 0)))
        status[at] = code
        ps[at] = _earliest(ps[pos], starts)
        pf[at] = np.maximum.reduceat(pf[pos], starts)  # _NAT is the smallest int64
        ast[at] = _earliest(ast[pos], starts)
        aft[at] = np.where(nd == sizes, np.maximum.reduceat(aft[pos], starts), _NAT)
        for i, group in zip(levels[depth], groups, strict=True):
            progress[i] = sum([progress[k] for k in group]) / len(group)
    rows = np.flatnonzero(tree.summary)

    def day_column(days: np.ndarray) -> np.ndarray:
        d = days[rows]
        return np.where(d == _NAT, _NAT, d * _S_PER_DAY).view("datetime64[s]")

    return pd.DataFrame(
        {
            "planned_start": day_column(ps),
            "planned_finish": day_column(pf),
            "actual_start": day_column(ast),
            "actual_finish": day_column(aft),
            "progress": np.array([progress[i] for i in rows], dtype=np.float64),
            "status": _STATUS_KEYS[status[rows]],
        },
        index=tasks.index[rows],
        columns=list(ROLLUP_COLUMNS),
    )


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
            col.loc[roll.index] = [None if is_missing(v) else v for v in roll[c].tolist()]
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
    tasks = data.tables["tasks"]
    keep = (present(tasks["wbs"]) | present(tasks["name"])).to_numpy(dtype=bool)
    # with_rollup works on a copy: the data's frame is left as it is
    tasks = with_rollup(tasks if keep.all() else tasks.loc[keep])
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
