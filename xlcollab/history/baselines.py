"""Named baselines: planned dates and budget frozen in the history, and
slippage against one of them.

``freeze(history, name, data, as_of)`` stores every task's planned start
and finish (by WBS code) and every budget line; any number of names;
freezing an existing name again is refused unless ``replace=True``.

``slippage(tasks, baseline, cal)`` compares: per task, the working days
between the baseline's planned finish (start) and today's (positive: later
than the baseline, negative: earlier; the sign of
``workdays_between``); per department, the tasks compared, how many
slipped, the total, largest and mean finish slip, and the budget then and
now. Tasks new since the baseline have no slip (``<NA>``), tasks gone are
listed with ``removed``. Pure: frames and a calendar in, frames out.

``latest(history)`` names the most recent baseline (newest as-of date,
then the one frozen last); :class:`Slippage` carries one comparison to the
reports (see :func:`xlcollab.history.workbook_slippage`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import leaf_mask
from xlcollab.history.rows import json_value
from xlcollab.model.dates import to_date

__all__ = ["Baseline", "Slippage", "freeze", "load", "names", "latest", "slippage", "BaselineError"]


class BaselineError(ValueError):
    pass


@dataclass
class Baseline:
    name: str
    as_of: dt.date
    tasks: pd.DataFrame  # wbs, name, department, planned_start, planned_finish
    budget: pd.DataFrame  # department, category, amount (Decimal)


@dataclass
class Slippage:
    """One comparison against a baseline: :func:`slippage`'s two frames
    with the baseline's name and date."""

    name: str
    as_of: dt.date
    tasks: pd.DataFrame
    departments: pd.DataFrame


def _text(v):
    v = json_value(v)
    return None if v in (None, "") else str(v).strip()


def freeze(
    history, name: str, data, as_of: dt.date, *, workbook: str | None = None, replace: bool = False
) -> Baseline:
    name = (name or "").strip()
    if not name:
        raise BaselineError("基线名称不能为空 / a baseline needs a name")
    conn = history.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM baselines WHERE name=?", (name,)).fetchone():
            if not replace:
                raise BaselineError(f"基线“{name}”已存在 / baseline {name!r} exists")
            conn.execute("DELETE FROM baselines WHERE name=?", (name,))
        conn.execute(
            "INSERT INTO baselines(name, as_of, workbook) VALUES (?,?,?)",
            (name, to_date(as_of).isoformat(), workbook),
        )
        tasks = data.tables["tasks"]
        seen = set()
        rows = []
        for rec in tasks.to_dict("records"):
            wbs = _text(rec.get("wbs"))
            if not wbs or wbs in seen:
                continue
            seen.add(wbs)
            rows.append(
                (
                    name,
                    wbs,
                    _text(rec.get("name")),
                    _text(rec.get("department")),
                    json_value(rec.get("planned_start")),
                    json_value(rec.get("planned_finish")),
                )
            )
        conn.executemany("INSERT INTO baseline_tasks VALUES (?,?,?,?,?,?)", rows)
        conn.executemany(
            "INSERT INTO baseline_budget VALUES (?,?,?,?)",
            [
                (
                    name,
                    _text(r.get("department")),
                    _text(r.get("category")),
                    json_value(r.get("amount")),
                )
                for r in data.tables["budget"].to_dict("records")
            ],
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return load(history, name)


def names(history) -> list[tuple[str, dt.date]]:
    return [
        (n, dt.date.fromisoformat(a))
        for n, a in history.conn.execute("SELECT name, as_of FROM baselines ORDER BY as_of, name")
    ]


def latest(history) -> str | None:
    """The most recent baseline's name (newest as-of date, then the one
    frozen last); None when there is none."""
    row = history.conn.execute(
        "SELECT name FROM baselines ORDER BY as_of DESC, rowid DESC LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def load(history, name: str) -> Baseline:
    row = history.conn.execute("SELECT as_of FROM baselines WHERE name=?", (name,)).fetchone()
    if row is None:
        known = "、".join(n for n, _ in names(history)) or "—"
        raise BaselineError(f"没有名为“{name}”的基线（已有：{known}）/ no baseline {name!r}")
    tasks = pd.DataFrame(
        history.conn.execute(
            "SELECT wbs, name, department, planned_start, planned_finish FROM baseline_tasks "
            "WHERE baseline=? ORDER BY rowid",
            (name,),
        ).fetchall(),
        columns=["wbs", "name", "department", "planned_start", "planned_finish"],
    )
    for c in ("planned_start", "planned_finish"):
        tasks[c] = pd.to_datetime(tasks[c])
    budget = pd.DataFrame(
        history.conn.execute(
            "SELECT department, category, amount FROM baseline_budget WHERE baseline=? "
            "ORDER BY rowid",
            (name,),
        ).fetchall(),
        columns=["department", "category", "amount"],
    )
    budget["amount"] = [Decimal(a) if a is not None else None for a in budget["amount"]]
    return Baseline(name, dt.date.fromisoformat(row[0]), tasks, budget)


def _signed(cal: WorkCalendar, a, b):
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return pd.NA
    a, b = to_date(a), to_date(b)
    return cal.workdays_between(a, b) - cal.workdays_between(b, a)


def slippage(
    tasks: pd.DataFrame, baseline: Baseline, cal: WorkCalendar, budget: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per task, per department) slippage against ``baseline``; see the
    module docstring. Tasks only: summary rows, which roll up from their
    tasks, are left out (README, "Figures")."""
    tasks = tasks[leaf_mask(tasks)]
    base = baseline.tasks[leaf_mask(baseline.tasks)].set_index("wbs")
    rows = []
    seen = set()
    for rec in tasks.to_dict("records"):
        wbs = _text(rec.get("wbs"))
        if not wbs or wbs in seen:
            continue
        seen.add(wbs)
        b = base.loc[wbs] if wbs in base.index else None
        rows.append(
            {
                "wbs": wbs,
                "name": _text(rec.get("name")),
                "department": _text(rec.get("department"))
                or (b["department"] if b is not None else None),
                "baseline_start": None if b is None else b["planned_start"],
                "baseline_finish": None if b is None else b["planned_finish"],
                "planned_start": rec.get("planned_start"),
                "planned_finish": rec.get("planned_finish"),
                "start_slip": pd.NA
                if b is None
                else _signed(cal, b["planned_start"], rec.get("planned_start")),
                "finish_slip": pd.NA
                if b is None
                else _signed(cal, b["planned_finish"], rec.get("planned_finish")),
                "status": "new" if b is None else "compared",
            }
        )
    for wbs, b in base.iterrows():
        if wbs not in seen:
            rows.append(
                {
                    "wbs": wbs,
                    "name": b["name"],
                    "department": b["department"],
                    "baseline_start": b["planned_start"],
                    "baseline_finish": b["planned_finish"],
                    "planned_start": None,
                    "planned_finish": None,
                    "start_slip": pd.NA,
                    "finish_slip": pd.NA,
                    "status": "removed",
                }
            )
    per_task = pd.DataFrame(
        rows,
        columns=[
            "wbs",
            "name",
            "department",
            "baseline_start",
            "baseline_finish",
            "planned_start",
            "planned_finish",
            "start_slip",
            "finish_slip",
            "status",
        ],
    )
    for c in ("start_slip", "finish_slip"):
        per_task[c] = pd.array(per_task[c].tolist(), dtype="Int64")
    for c in ("baseline_start", "baseline_finish", "planned_start", "planned_finish"):
        per_task[c] = pd.to_datetime(per_task[c])

    def money(frame):
        out: dict[str, Decimal] = {}
        if frame is None:
            return out
        for d, a in zip(frame["department"], frame["amount"], strict=False):
            d = _text(d)
            if d and a is not None and not (isinstance(a, float) and pd.isna(a)):
                out[d] = out.get(d, Decimal("0.00")) + Decimal(str(a))
        return out

    then, now = money(baseline.budget), money(budget)
    depts = sorted({d for d in per_task["department"].dropna()} | set(then) | set(now))
    drows = []
    for d in depts:
        m = per_task[(per_task["department"] == d) & (per_task["status"] == "compared")]
        fs = m["finish_slip"].dropna()
        drows.append(
            {
                "department": d,
                "tasks": int(len(m)),
                "slipped": int((fs > 0).sum()),
                "total_slip": int(fs.clip(lower=0).sum()) if len(fs) else 0,
                "max_slip": int(fs.max()) if len(fs) else 0,
                "mean_slip": round(float(fs.mean()), 2) if len(fs) else 0.0,
                "budget_baseline": then.get(d),
                "budget_now": now.get(d) if budget is not None else None,
            }
        )
    per_dept = pd.DataFrame(
        drows,
        columns=[
            "department",
            "tasks",
            "slipped",
            "total_slip",
            "max_slip",
            "mean_slip",
            "budget_baseline",
            "budget_now",
        ],
    )
    return per_task, per_dept
