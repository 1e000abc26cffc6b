"""Figures the documents show beyond the core figures (milestone progress,
the collaboration scorecard, the current phase from the task rows)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from xlcollab.model import is_missing
from xlcollab.model.dates import to_date

#: The procedure's phases in order; 监控 runs alongside 执行 and is never
#: the current phase by itself while other work is under way.
PHASE_ORDER = ("kickoff", "planning", "execution", "closing")


def current_phase(tasks: pd.DataFrame, day: date) -> str | None:
    """The phase the project is in on ``day`` (the one definition; the
    Figures' ``phase`` and every document use it): the last phase, in the
    procedure's order (启动, 计划, 执行, 收尾), whose earliest planned task
    start is on or before ``day``; 监控 only when no other phase has tasks;
    the first phase with tasks before anything starts; None when no task
    names a phase. On the project's last day this is 收尾 (closing) once
    closing work has started, whatever the overview sheet says. ``tasks``:
    the task rows (summary rows take their children's earliest start, so
    they change nothing)."""
    current = first = None
    for ph in (*PHASE_ORDER, "monitoring"):
        rows = tasks.loc[(tasks["phase"] == ph).fillna(False), "planned_start"]
        earliest = _earliest(rows)
        if earliest is None:
            continue
        first = first or ph
        if earliest <= day and (ph != "monitoring" or current is None):
            current = ph
    return current or first


def _earliest(starts: pd.Series) -> date | None:
    """The earliest date of a column (None when it has none): on the
    column when it holds dates, else cell by cell."""
    if pd.api.types.is_datetime64_any_dtype(starts.dtype):
        low = starts.min()
        return None if pd.isna(low) else to_date(low)
    days = [d for d in (to_date(v, strict=False) for v in starts) if d is not None]
    return min(days) if days else None


def accepted_mask(deliverables: pd.DataFrame) -> pd.Series:
    """True for the deliverables whose 已验收 is checked (empty: pending)."""
    return pd.Series(
        [not is_missing(v) and bool(v) for v in deliverables["accepted"]],
        index=deliverables.index,
        dtype=bool,
    )


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
