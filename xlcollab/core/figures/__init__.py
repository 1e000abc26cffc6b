"""Every figure any output shows, defined once (see README, "Figures").

``figures(data, as_of, cal)`` computes, from ProjectData and a date, the
task counts by status, department and phase; overdue, due soon, blocked and
days late; open escalations by level; milestones reached and reviewed;
risks by level and reviews overdue; the money (budget, spent in the month,
spent to date, budgeted and unbudgeted, by department and category); the
on-time rate and blocked days per department; the current phase; the
deliverables accepted and pending. ``show``,
``check``, the documents, the briefing, the finance workbook and report, the
nightly messages and the ribbon format these and compute none of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from importlib import import_module
from typing import TYPE_CHECKING, Any

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures.documents import (
    PHASE_ORDER,
    accepted_mask,
    collaboration_scorecard,
    current_phase,
    milestone_progress,
    overall_on_time_rate,
)
from xlcollab.core.figures.tasks import (
    ROLLUP_COLUMNS,
    descendants,
    leaf_mask,
    rollup,
    summary_mask,
    task_frame,
    wbs_codes,
    wbs_text,
    with_rollup,
)
from xlcollab.model import ProjectData, is_missing, present
from xlcollab.model.dates import to_date
from xlcollab.schema import ESCALATION, PHASE, STATUS, TASKS
from xlcollab.schema.lang import tr

if TYPE_CHECKING:
    from xlcollab.core.figures.money import FinanceSummary

#: the status page's figures (xlcollab.core.figures.status), imported when first asked for
STATUS_NAMES = (
    "StatusFigures",
    "department_status",
    "milestone_status",
    "page_figures",
    "page_tasks",
    "spending_by_department",
    "status_figures",
    "task_status",
    "top_risks",
    "traffic_light",
)
__all__ = [
    *STATUS_NAMES,
    "accepted_mask",
    "PHASE_ORDER",
    "collaboration_scorecard",
    "current_phase",
    "milestone_progress",
    "overall_on_time_rate",
    "Figures",
    "DepartmentFigures",
    "figures",
    "status_by_department",
    "monthly_summary",
    "FinanceSummary",
    "summary_mask",
    "leaf_mask",
    "descendants",
    "rollup",
    "task_frame",
    "wbs_text",
    "with_rollup",
    "ROLLUP_COLUMNS",
    "LEVELS",
]

LEVELS = tuple(ESCALATION.keys)  # department, pm, lead: bottom to top


def _count(mask) -> int:
    return int(pd.Series(mask).fillna(False).astype(bool).sum())


@dataclass(frozen=True)
class DepartmentFigures:
    """One department's tasks as of the date."""

    name: str
    tasks: int
    by_status: dict[str, int]
    overdue: int
    due_soon: int
    blocked: int
    counted: int  # done or overdue: the tasks whose timeliness is known
    on_time: int  # done with no working day late
    days_late: int  # working days late of its late tasks (done or overdue)
    blocked_days: int  # working days its blocked tasks have been blocked
    blocked_at: dict[str, int] = field(default_factory=dict)  # ladder level -> blocked tasks

    @property
    def done(self) -> int:
        return self.by_status.get("done", 0)

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.counted if self.counted else None


@dataclass
class Figures:
    """The project's figures as of ``as_of``; see :func:`figures`."""

    data: ProjectData = field(repr=False)
    as_of: dt.date
    cal: WorkCalendar = field(repr=False)
    # WBS code -> date first seen blocked (the nightly history's), over the sheet's column
    blocked_since: dict[str, dt.date] | None = field(default=None, repr=False)

    # ----------------------------------------------------------- tasks ---
    @cached_property
    def task_table(self) -> pd.DataFrame:
        """Every WBS row (summary rows rolled up) with its flags."""
        return task_frame(self.data, self.as_of, self.cal, self.blocked_since)

    @cached_property
    def tasks(self) -> pd.DataFrame:
        """The tasks: leaf rows only (one frame, shared: read it, never
        write to it)."""
        t = self.task_table
        return t[t["leaf"]]

    @property
    def summary_rows(self) -> pd.DataFrame:
        t = self.task_table
        return t[t["summary"]]

    @property
    def total(self) -> int:
        return len(self.tasks)

    @cached_property
    def by_status(self) -> dict[str, int]:
        """Tasks per status key, in the schema's order (every key present)."""
        counts = self.tasks["status"].value_counts()
        return {k: int(counts.get(k, 0)) for k in STATUS.keys}

    @property
    def done(self) -> int:
        return self.by_status["done"]

    @property
    def in_progress(self) -> int:
        return self.by_status["in_progress"]

    @property
    def not_started(self) -> int:
        return self.by_status["not_started"]

    @property
    def blocked(self) -> int:
        return self.by_status["blocked"]

    @property
    def done_pct(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def overdue(self) -> int:
        return _count(self.tasks["overdue"])

    @property
    def due_soon(self) -> int:
        return _count(self.tasks["due_soon"])

    def flagged(self, key: str) -> pd.DataFrame:
        """The tasks with a flag (``overdue``, ``due_soon``) or a status key."""
        t = self.tasks
        if key in ("overdue", "due_soon"):
            return t[t[key].fillna(False).astype(bool)]
        return t[(t["status"] == key).fillna(False).astype(bool)]

    @cached_property
    def departments(self) -> list[DepartmentFigures]:
        """Per department with tasks, in order of first appearance."""
        return self.by_group("department")

    def by_group(self, by: str = "department") -> list[DepartmentFigures]:
        """Per value of a task column (``department``, ``owner``) with tasks,
        in order of first appearance: counts by status, overdue, due soon,
        blocked; on time (done with no working day late) among the counted
        tasks (done or overdue); working days late of its late counted tasks;
        working days its blocked tasks have been blocked."""
        t = self.tasks
        out = []
        done = (t["status"] == "done").fillna(False).astype(bool)
        overdue = t["overdue"].fillna(False).astype(bool)
        late = t["days_late"].fillna(0).astype(int)
        bdays = t["blocked_days"].fillna(0).astype(int)
        level = t["escalation_now"]
        names = dict.fromkeys(str(d).strip() for d in t[by] if not is_missing(d))
        dept = t[by].map(lambda d: None if is_missing(d) else str(d).strip())
        for name in names:
            m = (dept == name).to_numpy()
            counts = t["status"][m].value_counts()
            counted = m & (done | overdue).to_numpy()
            out.append(
                DepartmentFigures(
                    name=name,
                    tasks=int(m.sum()),
                    by_status={k: int(counts.get(k, 0)) for k in STATUS.keys},
                    overdue=int((m & overdue.to_numpy()).sum()),
                    due_soon=_count(t["due_soon"][m]),
                    blocked=int(counts.get("blocked", 0)),
                    counted=int(counted.sum()),
                    on_time=int((m & done.to_numpy() & (late == 0).to_numpy()).sum()),
                    days_late=int(late[counted & (late > 0).to_numpy()].sum()),
                    blocked_days=int(bdays[m].sum()),
                    blocked_at={lv: _count(level[m] == lv) for lv in LEVELS},
                )
            )
        return out

    def department(self, name: str) -> DepartmentFigures | None:
        for d in self.departments:
            if d.name == name:
                return d
        return None

    @cached_property
    def by_phase(self) -> dict[str, dict[str, int]]:
        """Tasks per phase key (schema order, phases with tasks) and status."""
        t = self.tasks
        out = {}
        for ph in PHASE.keys:
            sub = t[(t["phase"] == ph).fillna(False).astype(bool)]
            if len(sub):
                counts = sub["status"].value_counts()
                out[ph] = {k: int(counts.get(k, 0)) for k in STATUS.keys}
        return out

    @cached_property
    def phase(self) -> str | None:
        """The current phase (:func:`current_phase`, on the tasks)."""
        return current_phase(self.tasks, self.as_of)

    # ----------------------------------------------------- escalations ---
    @cached_property
    def open_raised(self) -> pd.DataFrame:
        """The 问题升级 entries raised on or before the date and open on it."""
        e = self.data.tables["escalations"]
        keep = []
        for issue, raised, closed in zip(e["issue"], e["raised_on"], e["closed_on"], strict=False):
            r, c = to_date(raised, strict=False), to_date(closed, strict=False)
            keep.append(
                not is_missing(issue)
                and (r is None or r <= self.as_of)
                and (c is None or c > self.as_of)
            )
        return e[pd.Series(keep, index=e.index, dtype=bool)]

    @cached_property
    def escalation_items(self) -> list[dict]:
        """Every open problem once, at its highest level: each blocked task
        (its ladder level, or an open 问题升级 entry's level for it when
        higher) and each open 问题升级 entry for no blocked task. Items:
        {level, task (WBS or None), row (问题升级 row or None), blocked}."""
        rank = {k: i for i, k in enumerate(LEVELS)}
        items: dict = {}
        t = self.tasks
        ladder = present(t["escalation_now"]).to_numpy()
        codes = wbs_codes(t["wbs"][ladder])
        for level, code in zip(t["escalation_now"][ladder], codes, strict=True):
            items[("task", code)] = {"level": level, "task": code, "row": None, "blocked": True}
        e = self.open_raised
        tasks = e["task"] if "task" in e else [None] * len(e)
        for i, raw, task_cell in zip(e.index, e["level"], tasks, strict=True):
            level = None if is_missing(raw) else str(raw)
            if level not in rank:
                continue
            task = wbs_text(task_cell)
            key = ("task", task) if ("task", task) in items else ("row", i)
            old = items.get(key)
            if old is None or rank[level] > rank[old["level"]]:
                items[key] = {
                    "level": level,
                    "task": task,
                    "row": int(i),
                    "blocked": bool(old and old["blocked"]),
                }
        return list(items.values())

    @cached_property
    def escalations(self) -> dict[str, int]:
        """Open problems per ladder level (each counted once, at its
        highest level)."""
        out = dict.fromkeys(LEVELS, 0)
        for item in self.escalation_items:
            out[item["level"]] += 1
        return out

    @cached_property
    def blocked_by_level(self) -> dict[str, int]:
        """Blocked tasks per ladder level (working days blocked)."""
        counts = self.tasks["escalation_now"].value_counts()
        return {k: int(counts.get(k, 0)) for k in LEVELS}

    # ------------------------------------------------------ milestones ---
    @cached_property
    def milestone_table(self) -> pd.DataFrame:
        """The milestones with a name, in planned order (undated last, then
        by name): name, phase, planned, actual (when reached), review_result,
        ``reached`` (actual date on or before the date), ``due`` (planned on
        or before the date), ``late`` (planned before the date and not
        reached, as a task is overdue), ``reviewed`` (a review result dated
        on or before the date)."""
        ms = self.data.tables["milestones"]
        rows = []
        for _, r in ms.iterrows():
            if is_missing(r["name"]):
                continue
            planned = to_date(r["planned_date"], strict=False)
            actual = to_date(r.get("actual_date"), strict=False)
            reviewed = to_date(r.get("review_date"), strict=False)
            reached = actual is not None and actual <= self.as_of
            due = planned is not None and planned <= self.as_of
            rows.append(
                {
                    "name": str(r["name"]).strip(),
                    "phase": r.get("phase"),
                    "planned": planned,
                    "actual": actual if reached else None,
                    "review_result": r.get("review_result"),
                    "reached": reached,
                    "due": due,
                    "late": planned is not None and planned < self.as_of and not reached,
                    "reviewed": reviewed is not None
                    and reviewed <= self.as_of
                    and not is_missing(r.get("review_result")),
                }
            )
        rows.sort(key=lambda x: (x["planned"] or dt.date.max, x["name"]))
        columns = ["name", "phase", "planned", "actual", "review_result"]
        return pd.DataFrame(rows, columns=[*columns, "reached", "due", "late", "reviewed"])

    @cached_property
    def milestones(self) -> dict[str, int]:
        """total; reached, due, late and reviewed as in
        :attr:`milestone_table`."""
        ms = self.milestone_table
        out = {k: _count(ms[k]) for k in ("reached", "due", "late", "reviewed")}
        return {"total": len(ms), **out}

    @property
    def next_milestone(self) -> dict | None:
        """The first milestone not reached (planned order), as a row of
        :attr:`milestone_table`; None when every one is reached."""
        ms = self.milestone_table
        upcoming = ms[~ms["reached"].astype(bool)]
        return upcoming.iloc[0].to_dict() if len(upcoming) else None

    # ----------------------------------------------------------- risks ---
    @cached_property
    def risk_table(self) -> pd.DataFrame:
        """The risk register with score, level and review_overdue."""
        d = self.data
        risks = d.tables["risks"].copy()
        rf = flags.risk_flags(
            risks,
            self.as_of,
            d.int_setting("risk_medium"),
            d.int_setting("risk_high"),
            d.int_setting("risk_review_days"),
        )
        for k in ("score", "level", "review_overdue"):
            risks[k] = rf[k]
        return risks

    @property
    def open_risks(self) -> pd.DataFrame:
        r = self.risk_table
        keep = [
            not is_missing(i) and s != "closed"
            for i, s in zip(r["risk_id"], r["status"], strict=False)
        ]
        return r[pd.Series(keep, index=r.index, dtype=bool)]

    def top_risks(self, n: int | None = None) -> pd.DataFrame:
        """The open risks with a score, highest score first (ties in sheet
        order); the first ``n`` when given."""
        o = self.open_risks
        o = o[o["score"].notna()].sort_values("score", ascending=False, kind="stable")
        return o if n is None else o.head(n)

    @cached_property
    def risks(self) -> dict[str, int]:
        """Open risks by level (high, medium, low) and open risks whose
        review is overdue (review_overdue)."""
        o = self.open_risks
        counts = o["level"].value_counts()
        out = {k: int(counts.get(k, 0)) for k in ("high", "medium", "low")}
        out["open"] = len(o)
        out["review_overdue"] = _count(o["review_overdue"])
        high = o[(o["level"] == "high").fillna(False).astype(bool)]
        out["high_no_plan"] = sum(is_missing(c) for c in high["contingency"])
        return out

    # ----------------------------------------------------------- money ---
    @cached_property
    def money(self) -> FinanceSummary:
        """Budget, spent in the date's month and to date (through the date),
        by department, category and line, unbudgeted spending included."""
        from xlcollab.core.figures.money import monthly_summary

        return monthly_summary(
            self.data.tables["budget"],
            self.data.tables["expenses"],
            self.as_of,
            self.data.lang,
            through=self.as_of,
        )

    def money_month(self, month, lang: str | None = None) -> FinanceSummary:
        """A monthly document's money: to date means the month's last day."""
        from xlcollab.core.figures.money import monthly_summary

        return monthly_summary(
            self.data.tables["budget"], self.data.tables["expenses"], month, lang or self.data.lang
        )

    @property
    def budget(self) -> Decimal:
        return self.money.budget

    @property
    def spent(self) -> Decimal:
        """Spent to date (through the date), unbudgeted spending included."""
        return self.money.spent_to_date

    @property
    def unbudgeted(self) -> Decimal:
        """Spent to date on department x category lines with no budget."""
        lines = self.money.lines
        if not len(lines):
            return Decimal("0.00")
        return sum(lines.loc[~lines["budgeted"], "to_date"], Decimal("0.00"))

    # ---------------------------------------------------- deliverables ---
    @cached_property
    def deliverables(self) -> dict:
        """The 交付物 rows with a name: ``total``, ``accepted`` (已验收
        checked), ``pending`` (the others) and ``by_department`` (department
        -> the same three, in order of first appearance)."""
        d = self.data.tables["deliverables"]
        d = d[d["name"].map(lambda n: not is_missing(n)).astype(bool)]
        acc = accepted_mask(d).to_numpy()
        by: dict[str, dict[str, int]] = {}
        for dept, ok in zip(d["department"], acc, strict=False):
            name = "" if is_missing(dept) else str(dept).strip()
            row = by.setdefault(name, {"total": 0, "accepted": 0, "pending": 0})
            row["total"] += 1
            row["accepted" if ok else "pending"] += 1
        n, a = len(d), int(acc.sum())
        return {"total": n, "accepted": a, "pending": n - a, "by_department": by}


def figures(
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar | None = None,
    blocked_since: dict[str, dt.date] | None = None,
) -> Figures:
    """The project's figures as of ``as_of`` (computed lazily, each once);
    ``blocked_since``: the nightly history's first-seen-blocked dates by WBS
    code, over the sheet's 阻塞开始日期."""
    if cal is None:
        cal = WorkCalendar.from_holidays(data.tables.get("holidays"))
    day = to_date(as_of)
    if day is None:
        raise ValueError("figures need a date")
    return Figures(data, day, cal, blocked_since)


def status_by_department(fig: Figures, lang: str = "zh") -> pd.DataFrame:
    """Tasks counted by department (rows) and status (columns, in schema
    order, labelled in ``lang``), with a total row and column."""
    total = tr(lang, "合计", "Total")
    rows = {d.name: [d.by_status[k] for k in STATUS.keys] for d in fig.departments}
    table = pd.DataFrame.from_dict(
        rows, orient="index", columns=[STATUS.label(k, lang) for k in STATUS.keys]
    )
    if table.empty:
        table = pd.DataFrame(columns=[STATUS.label(k, lang) for k in STATUS.keys], dtype=int)
    table = table.astype(int)
    table[total] = table.sum(axis=1)
    table.loc[total] = table.sum(axis=0)
    table.index.name = TASKS.col("department").header(lang)
    return table


# ---------------------------------------------------------------------------
# Figures the documents add (small functions over Figures), below this line.


# The money of a month (finance, the documents) and the status page's
# selection of the figures are imported when first asked for: ``check``
# needs neither.
_LAZY = {
    "FinanceSummary": "xlcollab.core.figures.money",
    "monthly_summary": "xlcollab.core.figures.money",
    **dict.fromkeys(STATUS_NAMES, "xlcollab.core.figures.status"),
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(module), name)
