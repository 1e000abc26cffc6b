"""History: what the nightly check remembers (SQLite beside the workbook).

A formula cannot know how long a task has been blocked, what changed since
yesterday or how far the plan has slipped; the history can. One database
file per workbook, by default ``.xlcollab/history.sqlite`` in the
workbook's folder (:func:`history_path`; the 参数 setting 历史数据库路径
or ``--history PATH`` choose another; a relative setting is taken from the
workbook's folder). Several workbooks may share one folder: the default
name then carries the workbook's stem (``.xlcollab/<stem>.history.sqlite``)
when more than one workbook is given the same default (see
:func:`history_path`'s ``shared``).

Modules:

- :mod:`.migrations`: versioned schema, upgraded in order on open;
- :mod:`.rows`: keys and JSON values of tracked rows (tasks by WBS code,
  risks by ID, expenses by invoice number; keyless rows by content hash);
- :mod:`.store`: :class:`History` (runs as single transactions, row
  versions, changes, blocked-since, status history, audit trail);
- :mod:`.ladder`: escalation levels reached and recorded once;
- :mod:`.baselines`: named baselines and slippage
  (:func:`workbook_slippage`: a workbook against a named or the latest
  baseline in its history, for ``check`` and the weekly report).

Everything takes ``as_of`` and frames; the clock is never read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.escalation import escalations
from xlcollab.history.baselines import (
    Baseline,
    BaselineError,
    Slippage,
    freeze,
    latest,
    load,
    names,
    slippage,
)
from xlcollab.history.ladder import Escalation, due_escalations, goes_to
from xlcollab.history.migrations import LATEST, migrate, schema_version
from xlcollab.history.rows import TRACKED, keyed_records
from xlcollab.history.store import Change, History, HistoryError, RunInfo, RunTx
from xlcollab.model.dates import to_date

__all__ = [
    "History",
    "HistoryError",
    "Change",
    "RunInfo",
    "RunTx",
    "Escalation",
    "Baseline",
    "BaselineError",
    "history_path",
    "task_escalations",
    "freeze",
    "load",
    "names",
    "slippage",
    "due_escalations",
    "goes_to",
    "migrate",
    "schema_version",
    "LATEST",
    "TRACKED",
    "keyed_records",
    "DEFAULT_NAME",
    "Slippage",
    "latest",
    "workbook_slippage",
]

DEFAULT_DIR = ".xlcollab"
DEFAULT_NAME = "history.sqlite"


def history_path(
    workbook: str | Path,
    setting: str | None = None,
    override: str | Path | None = None,
    *,
    shared: bool = False,
) -> Path:
    """Where the history of ``workbook`` lives: ``override`` (--history),
    else the 参数 setting (relative to the workbook's folder), else
    ``.xlcollab/history.sqlite`` beside the workbook
    (``.xlcollab/<stem>.history.sqlite`` when ``shared``: several
    workbooks in one folder)."""
    workbook = Path(workbook)
    if override:
        return Path(override)
    if setting and str(setting).strip():
        p = Path(str(setting).strip())
        return p if p.is_absolute() else workbook.parent / p
    name = f"{workbook.stem}.{DEFAULT_NAME}" if shared else DEFAULT_NAME
    return workbook.parent / DEFAULT_DIR / name


def task_escalations(
    tasks: pd.DataFrame,
    since: dict[str, dt.date],
    as_of: dt.date,
    cal: WorkCalendar,
    pm_days: int = 2,
    lead_days: int = 5,
    days_late: pd.Series | None = None,
) -> pd.DataFrame:
    """:func:`xlcollab.core.escalation.escalations` with the blocked-since dates
    the history knows (``since``: WBS code -> date, from
    :meth:`History.blocked_since`) instead of the workbook's column:
    blocked_since, days_blocked, escalation per task row."""
    t = tasks.copy()
    keys = [k for k, _, _ in keyed_records("tasks", tasks)]
    col = pd.Series(
        [pd.Timestamp(since[k]) if k in since else pd.NaT for k in keys],
        index=tasks.index,
        dtype="datetime64[ns]",
    )
    if "blocked_since" in t:
        old = pd.to_datetime(t["blocked_since"], errors="coerce")
        col = col.where(col.notna(), old)
    t["blocked_since"] = col
    return escalations(t, to_date(as_of), cal, pm_days, lead_days, days_late=days_late)


def workbook_slippage(
    workbook: str | Path,
    data,
    name: str | None = None,
    *,
    override: str | Path | None = None,
    shared: bool = False,
    cal: WorkCalendar | None = None,
) -> Slippage | None:
    """``data`` (the workbook at ``workbook``, read) against baseline
    ``name`` in the workbook's history (:func:`history_path`).

    ``name`` None: the most recent baseline, or None when the history or
    any baseline is missing (nothing to compare, not an error). A named
    baseline that is missing raises :class:`BaselineError` (also when
    there is no history database: it is not created just to say so)."""
    hfile = history_path(workbook, data.setting("history_path"), override, shared=shared)
    if not hfile.exists():
        if name is None:
            return None
        raise BaselineError(
            f"没有历史数据库 {hfile}；请先运行 xlcollab baseline / "
            f"no history database {hfile}; run xlcollab baseline first"
        )
    with History.open(hfile) as h:
        name = name or latest(h)
        if name is None:
            return None
        base = load(h, name)
    cal = cal or WorkCalendar.from_holidays(data.tables["holidays"])
    per_task, per_dept = slippage(data.tables["tasks"], base, cal, data.tables["budget"])
    return Slippage(base.name, base.as_of, per_task, per_dept)
