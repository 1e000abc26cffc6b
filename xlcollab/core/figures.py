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
from xlcollab.model.dates import to_date
from xlcollab.schema import STATUS, TASKS
from xlcollab.schema.lang import tr


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
    return tr(lang, "合计", "Total")


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
        start=to_date(data.overview.get("start_date"), strict=False),
        end=to_date(data.overview.get("end_date"), strict=False),
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


# --- figures for the documents ---
# Figures the documents show beyond the key figures above. Each takes the
# work packages (leaf task rows, with the columns ``flags.task_flags`` adds:
# ``days_late``, ``overdue``; and ``blocked_days``, the working days a
# blocked task has been blocked on the date) and returns plain numbers.

#: The procedure's phases in order; 监控 runs alongside 执行 and is never
#: the current phase by itself while 执行 work is under way.
PHASE_ORDER = ("kickoff", "planning", "execution", "closing")


def current_phase(tasks: pd.DataFrame, day: date) -> str | None:
    """The phase the project is in on ``day``: the last phase, in the
    procedure's order (启动, 计划, 执行, 收尾), whose first task has planned
    to start by ``day``; the first phase before anything starts; None when
    no task names a phase. On the project's last day this is 收尾 (closing)
    once closing work has started, whatever the overview sheet says."""
    starts: dict[str, pd.Timestamp] = {}
    for phase, start in zip(tasks["phase"], tasks["planned_start"], strict=False):
        if phase in PHASE_ORDER and not pd.isna(start):
            t = pd.Timestamp(start)
            starts[phase] = min(starts.get(phase, t), t)
    if not starts:
        return None
    begun = [p for p in PHASE_ORDER if p in starts and starts[p] <= pd.Timestamp(day)]
    return begun[-1] if begun else min(starts, key=lambda p: starts[p])


def _bools(s: pd.Series) -> pd.Series:
    return s.fillna(False).astype(bool)


def milestone_progress(leaves: pd.DataFrame) -> dict[str, int]:
    """A milestone's work packages: ``tasks``, ``done``, ``open`` (not done),
    ``late`` (done late or overdue: any working day late) and
    ``late_done`` (done, but late)."""
    done = _bools(leaves["status"] == "done")
    late = leaves["days_late"].fillna(0).astype(int) > 0
    return {
        "tasks": len(leaves),
        "done": int(done.sum()),
        "open": int((~done).sum()),
        "late": int(late.sum()),
        "late_done": int((late & done).sum()),
    }


def collaboration_scorecard(leaves: pd.DataFrame, by: str = "department") -> list[dict]:
    """Per department (or per ``owner``), in first-seen order:

    - ``tasks``: work packages; ``done``: of them done;
    - ``counted``: done or overdue on the date (the ones whose timeliness is
      known); ``on_time``: done with no working day late;
      ``on_time_rate``: on_time / counted (None when nothing is counted);
    - ``late_tasks``: counted work packages late by a working day or more,
      ``max_days_late``: the longest of those delays in working days (never a
      sum: delays of parallel tasks overlap), ``late_codes``: their WBS codes;
    - ``blocked_tasks``: work packages blocked on the date,
      ``blocked_days``: blocked days caused, the working days its blocked
      work packages have been blocked (one task blocked 4 days: 4).
    """
    done = _bools(leaves["status"] == "done")
    blocked = _bools(leaves["status"] == "blocked")
    overdue = _bools(leaves["overdue"])
    late = leaves["days_late"].fillna(0).astype(int)
    bdays = leaves["blocked_days"].fillna(0).astype(int)
    out = []
    keys = dict.fromkeys(str(v).strip() for v in leaves[by] if not pd.isna(v) and str(v).strip())
    for key in keys:
        m = _bools(leaves[by].astype(object).map(lambda v, k=key: str(v).strip() == k))
        counted = m & (done | overdue)
        on_time = m & done & (late == 0)
        is_late = counted & (late > 0)
        n = int(counted.sum())
        out.append(
            {
                "name": key,
                "tasks": int(m.sum()),
                "done": int((m & done).sum()),
                "counted": n,
                "on_time": int(on_time.sum()),
                "on_time_rate": float(on_time.sum() / n) if n else None,
                "late_tasks": int(is_late.sum()),
                "max_days_late": int(late[is_late].max()) if is_late.any() else 0,
                "late_codes": [str(w) for w in leaves.loc[is_late, "wbs"]],
                "blocked_tasks": int((m & blocked).sum()),
                "blocked_days": int(bdays[m & blocked].sum()),
            }
        )
    return out


def overall_on_time_rate(cards: list[dict]) -> float | None:
    """On-time work packages over counted ones, all departments."""
    counted = sum(c["counted"] for c in cards)
    return sum(c["on_time"] for c in cards) / counted if counted else None
