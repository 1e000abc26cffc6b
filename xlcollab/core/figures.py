"""The project at a glance: counts by status and department, key figures.

Pure functions on ProjectData; the CLI (`xlcollab show`) and the reports
render what these return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData
from xlcollab.schema import STATUS, TASKS


def status_by_department(tasks: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Tasks counted by department (rows) and status (columns, in schema
    order, labelled in ``lang``), with a total row and column."""
    statuses = list(STATUS.keys)
    depts = [d for d in pd.unique(tasks["department"].dropna())]
    table = pd.crosstab(tasks["department"], tasks["status"]) if len(tasks) else pd.DataFrame()
    table = table.reindex(index=depts, columns=statuses, fill_value=0).fillna(0).astype(int)
    total = _total_label(lang)
    table[total] = table.sum(axis=1)
    table.loc[total] = table.sum(axis=0)
    table.columns = [STATUS.label(c, lang) if c in STATUS.keys else c for c in table.columns]
    table.index.name = TASKS.col("department").header(lang)
    return table


def _total_label(lang: str) -> str:
    return "合计" if lang == "zh" else "Total"


@dataclass(frozen=True)
class KeyFigures:
    name: str
    start: date | None
    end: date | None
    as_of: date
    tasks: int
    done: int
    in_progress: int
    blocked: int
    not_started: int
    overdue: int
    due_soon: int
    risks_high: int
    budget: Decimal
    spent: Decimal

    @property
    def done_pct(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0


def key_figures(data: ProjectData, as_of: date, cal: WorkCalendar) -> KeyFigures:
    tasks = data.tables["tasks"]
    tf = flags.task_flags(tasks, as_of, cal, int(data.setting("due_soon_days")))
    rf = flags.risk_flags(
        data.tables["risks"],
        as_of,
        int(data.setting("risk_medium")),
        int(data.setting("risk_high")),
        int(data.setting("risk_review_days")),
    )
    counts = tasks["status"].value_counts()
    money = lambda s: sum((v for v in s.dropna()), Decimal("0.00"))  # noqa: E731
    return KeyFigures(
        name=str(data.overview.get("name") or ""),
        start=as_date(data.overview.get("start_date")),
        end=as_date(data.overview.get("end_date")),
        as_of=as_of,
        tasks=len(tasks),
        done=int(counts.get("done", 0)),
        in_progress=int(counts.get("in_progress", 0)),
        blocked=int(counts.get("blocked", 0)),
        not_started=int(counts.get("not_started", 0)),
        overdue=int(tf["overdue"].fillna(False).sum()),
        due_soon=int(tf["due_soon"].fillna(False).sum()),
        risks_high=int((rf["level"] == "high").sum()),
        budget=money(data.tables["budget"]["amount"]),
        spent=money(data.tables["expenses"]["amount"]),
    )


def as_date(value) -> date | None:
    """A date from a date or Timestamp cell; None for anything else (empty, text, numbers)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value if isinstance(value, date) else None
