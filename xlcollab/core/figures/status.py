"""The status page's and the portfolio's selection of the figures
(``xlcollab.page``): every number comes from :class:`Figures`; this module
only shapes it for the page (columns named as the page prints them, the key
figures in one record) and holds the page's own rule, the traffic light.

- the *traffic light* (:func:`traffic_light`): red when a task is blocked
  at 总负责人决策, spending exceeds the budget, or more than 20% of the open
  tasks are overdue; yellow when a task is blocked at 项目经理协调, any task
  is overdue, an open high risk has no contingency plan, or spending exceeds
  90% of the budget; green otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import LEVELS, Figures, figures, wbs_text
from xlcollab.core.network import wbs_key
from xlcollab.model import ProjectData


def page_tasks(fig: Figures) -> pd.DataFrame:
    """Every task row of :attr:`Figures.task_table` (summary rows included,
    ``leaf`` tells them apart) in WBS order, with the flags as plain bools
    and the ladder columns named as the page shows them: ``days_blocked``,
    ``level`` (the ladder level of a blocked task, None otherwise)."""
    t = fig.task_table
    out = t.drop(columns=["blocked_days", "escalation_now"]).assign(
        wbs=t["wbs"].map(lambda w: wbs_text(w) or ""),
        overdue=t["overdue"].fillna(False).astype(bool),
        due_soon=t["due_soon"].fillna(False).astype(bool),
        days_blocked=t["blocked_days"],
        level=t["escalation_now"],
    )
    order = sorted(range(len(out)), key=lambda i: wbs_key(out["wbs"].iloc[i]))
    return out.iloc[order]


def task_status(
    data: ProjectData,
    as_of: date,
    cal: WorkCalendar,
    blocked_since: dict[str, date] | None = None,
) -> pd.DataFrame:
    """:func:`page_tasks` of the figures as of ``as_of`` (``blocked_since``:
    the history's dates, see :func:`figures`)."""
    return page_tasks(figures(data, as_of, cal, blocked_since))


def spending_by_department(fig: Figures) -> pd.DataFrame:
    """The money figures per department (budget order, then departments
    with spending only): ``budget``, ``spent`` (to date), ``unbudgeted``
    (spent on lines with no budget), ``remaining``, all Decimal;
    ``used_pct`` (spent / budget, None without a budget)."""
    money = fig.money
    lines = money.lines
    unb: dict[str, Decimal] = {}
    for d, t, ok in zip(lines["department"], lines["to_date"], lines["budgeted"], strict=False):
        if not ok:
            unb[d] = unb.get(d, Decimal("0.00")) + t
    d = money.by_department
    return pd.DataFrame(
        {
            "department": d["department"],
            "budget": d["budget"],
            "spent": d["to_date"],
            "unbudgeted": [unb.get(n, Decimal("0.00")) for n in d["department"]],
            "remaining": d["remaining"],
            "used_pct": d["used_pct"],
        },
        columns=["department", "budget", "spent", "unbudgeted", "remaining", "used_pct"],
    )


def department_status(fig: Figures) -> pd.DataFrame:
    """Per department (:attr:`Figures.departments`): tasks, done,
    in_progress, blocked, overdue, due_soon, and blocked at each ladder
    level (columns ``at_department``, ``at_pm``, ``at_lead``)."""
    columns = ["department", "tasks", "done", "in_progress", "blocked", "overdue", "due_soon"]
    return pd.DataFrame(
        [
            {
                "department": d.name,
                "tasks": d.tasks,
                "done": d.done,
                "in_progress": d.by_status["in_progress"],
                "blocked": d.blocked,
                "overdue": d.overdue,
                "due_soon": d.due_soon,
                **{f"at_{lv}": d.blocked_at[lv] for lv in LEVELS},
            }
            for d in fig.departments
        ],
        columns=[*columns, *(f"at_{lv}" for lv in LEVELS)],
    )


def milestone_status(data: ProjectData, as_of: date) -> pd.DataFrame:
    """:attr:`Figures.milestone_table` as of ``as_of``."""
    return figures(data, as_of).milestone_table


def top_risks(fig: Figures, n: int = 5) -> pd.DataFrame:
    """The ``n`` open risks with the highest score (:meth:`Figures.top_risks`):
    risk_id, description, score, level, owner, contingency, review_overdue."""
    frame = fig.top_risks(n)
    return frame[
        ["risk_id", "description", "score", "level", "owner", "contingency", "review_overdue"]
    ].assign(review_overdue=frame["review_overdue"].fillna(False).astype(bool))


@dataclass(frozen=True)
class StatusFigures:
    """The status page's key figures, picked from :class:`Figures`."""

    as_of: date
    phase: str | None
    tasks: int
    done: int
    in_progress: int
    blocked: int
    not_started: int
    overdue: int
    due_soon: int
    blocked_at: dict[str, int]  # ladder level -> blocked tasks
    risks_high: int  # open high risks
    risks_high_no_plan: int  # ... of which without a contingency plan
    budget: Decimal
    spent: Decimal
    unbudgeted: Decimal
    milestones: int
    milestones_reached: int
    next_milestone: str | None
    next_milestone_date: date | None
    light: str  # green | yellow | red
    light_reasons: tuple[str, ...]  # keys of the rule that set it

    @property
    def progress(self) -> float:
        return self.done / self.tasks if self.tasks else 0.0

    @property
    def spent_pct(self) -> float | None:
        return float(self.spent / self.budget) if self.budget else None


def traffic_light(
    blocked_at: dict[str, int],
    overdue: int,
    open_tasks: int,
    high_no_plan: int,
    budget: Decimal,
    spent: Decimal,
) -> tuple[str, tuple[str, ...]]:
    """(light, reasons) by the rule in the module's header."""
    red, yellow = [], []
    if blocked_at.get("lead"):
        red.append("blocked_lead")
    if budget and spent > budget:
        red.append("over_budget")
    if open_tasks and overdue / open_tasks > 0.2:
        red.append("overdue_share")
    if blocked_at.get("pm"):
        yellow.append("blocked_pm")
    if overdue:
        yellow.append("overdue")
    if high_no_plan:
        yellow.append("risk_no_plan")
    if budget and spent > budget * Decimal("0.9") and "over_budget" not in red:
        yellow.append("budget_90")
    if red:
        return "red", tuple(red + yellow)
    return ("yellow", tuple(yellow)) if yellow else ("green", ())


def page_figures(fig: Figures) -> StatusFigures:
    """The status page's key figures."""
    ms = fig.milestones
    nxt = fig.next_milestone
    risks = fig.risks
    blocked_at = dict(fig.blocked_by_level)
    light, reasons = traffic_light(
        blocked_at,
        fig.overdue,
        fig.total - fig.done,
        risks["high_no_plan"],
        fig.budget,
        fig.spent,
    )
    return StatusFigures(
        as_of=fig.as_of,
        phase=fig.phase,
        tasks=fig.total,
        done=fig.done,
        in_progress=fig.in_progress,
        blocked=fig.blocked,
        not_started=fig.not_started,
        overdue=fig.overdue,
        due_soon=fig.due_soon,
        blocked_at=blocked_at,
        risks_high=risks["high"],
        risks_high_no_plan=risks["high_no_plan"],
        budget=fig.budget,
        spent=fig.spent,
        unbudgeted=fig.unbudgeted,
        milestones=ms["total"],
        milestones_reached=ms["reached"],
        next_milestone=None if nxt is None else nxt["name"],
        next_milestone_date=None if nxt is None else nxt["planned"],
        light=light,
        light_reasons=reasons,
    )


def status_figures(
    data: ProjectData, as_of: date, cal: WorkCalendar, tasks: pd.DataFrame | None = None
) -> StatusFigures:
    """:func:`page_figures` as of ``as_of``; ``tasks``: a :func:`task_status`
    frame whose blocked-since dates (the history's, when it was made with
    them) the figures take."""
    since = None
    if tasks is not None:
        blocked = tasks[(tasks["status"] == "blocked").fillna(False).astype(bool)]
        since = {
            w: d.date()
            for w, d in zip(blocked["wbs"], pd.to_datetime(blocked["blocked_since"]), strict=False)
            if w and not pd.isna(d)
        }
    return page_figures(figures(data, as_of, cal, since))
