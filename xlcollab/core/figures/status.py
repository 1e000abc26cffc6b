"""Figures of the status page and the portfolio (``xlcollab.page``).

Pure functions on ProjectData; the page code only formats what these return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures.documents import current_phase
from xlcollab.core.figures.tasks import leaf_mask
from xlcollab.core.network import wbs_key
from xlcollab.model import ProjectData
from xlcollab.model.dates import to_date
from xlcollab.schema import ESCALATION

LEVELS = tuple(ESCALATION.keys)  # the ladder, lowest first

# --- figures for the status page ---
#
# What the status page and the portfolio show, defined here and nowhere
# else (the page code only formats them):
#
# - a *task* is a leaf row of the WBS: a row whose code another row extends
#   ("3.1" when "3.1.2" exists) is a summary row and never counted;
# - *progress* is done tasks / tasks;
# - *blocked at a level*: leaf tasks with status 阻塞, by the ladder level of
#   their working days blocked (blocked since: the history's date when one is
#   given, else the workbook's 阻塞开始日期, else the task's start; see
#   :mod:`xlcollab.core.escalation`); an overdue task that is not blocked is
#   counted as overdue, not on the ladder;
# - *spent* is every expense dated on or before the status date (undated
#   lines count too); *unbudgeted* is the part of it with no budget line of
#   its department and category; both are always shown;
# - the *phase* is :func:`current_phase` (the documents' definition above);
# - the *traffic light* (``traffic_light``): red when a task is blocked at
#   总负责人决策, spending exceeds the budget, or more than 20% of the open
#   tasks are overdue; yellow when a task is blocked at 项目经理协调, any task
#   is overdue, an open high risk has no contingency plan, or spending
#   exceeds 90% of the budget; green otherwise.


def task_status(
    data: ProjectData,
    as_of: date,
    cal: WorkCalendar,
    blocked_since: dict[str, date] | None = None,
) -> pd.DataFrame:
    """Every task row (summary rows included, ``leaf`` tells them apart) in
    WBS order with what the page shows: the task's own columns plus
    ``days_late``, ``overdue``, ``due_soon`` (:func:`flags.task_flags`),
    ``blocked_since``, ``days_blocked`` and ``level`` (the ladder level of a
    blocked task, None otherwise). ``blocked_since``: WBS code -> date from the history, taking
    precedence over the workbook's column."""
    from xlcollab.core.escalation import escalations
    from xlcollab.model.data import is_missing

    tasks = data.tables["tasks"]
    keep = pd.Series([not is_missing(w) for w in tasks["wbs"]], index=tasks.index, dtype=bool)
    tasks = tasks[keep].copy()
    tasks["wbs"] = tasks["wbs"].map(lambda w: str(w).strip())
    if blocked_since:
        given = pd.to_datetime(tasks["wbs"].map(blocked_since), errors="coerce")
        own = (
            pd.to_datetime(tasks["blocked_since"], errors="coerce")
            if "blocked_since" in tasks
            else given
        )
        tasks["blocked_since"] = given.where(given.notna(), own)
    tf = flags.task_flags(tasks, as_of, cal, int(data.setting("due_soon_days")))
    esc = escalations(
        tasks,
        as_of,
        cal,
        int(data.setting("escalation_pm_days")),
        int(data.setting("escalation_lead_days")),
        days_late=tf["days_late"],
    )
    out = tasks.drop(
        columns=[c for c in ("days_late", "overdue", "due_soon", "escalation") if c in tasks]
    )
    out = out.assign(
        leaf=leaf_mask(tasks),
        days_late=tf["days_late"],
        overdue=tf["overdue"].fillna(False).astype(bool),
        due_soon=tf["due_soon"].fillna(False).astype(bool),
        blocked_since=esc["blocked_since"],
        days_blocked=esc["days_blocked"],
    )
    blocked = (out["status"] == "blocked").fillna(False).astype(bool)
    out["level"] = esc["escalation"].where(blocked, None)
    order = sorted(range(len(out)), key=lambda i: wbs_key(out["wbs"].iloc[i]))
    return out.iloc[order]


def _money(values) -> Decimal:
    from xlcollab.model.data import is_missing

    total = Decimal("0.00")
    for v in values:
        if is_missing(v) or isinstance(v, bool):
            continue
        total += v if isinstance(v, Decimal) else Decimal(str(v))
    return total


def _casefold(v) -> str | None:
    from xlcollab.model.data import is_missing

    return None if is_missing(v) else str(v).strip().casefold()


def spending_by_department(data: ProjectData, as_of: date) -> pd.DataFrame:
    """Per department (budget order, then departments with spending only):
    ``budget``, ``spent`` (to date, see the section's definitions),
    ``unbudgeted`` (spent with no budget line of its department and
    category), ``remaining`` (budget - spent), all Decimal; ``used_pct``
    (spent / budget, None without a budget)."""
    budget, expenses = data.tables["budget"], data.tables["expenses"]
    lines = {
        (_casefold(d), _casefold(c))
        for d, c in zip(budget["department"], budget["category"], strict=False)
    }
    dates = pd.to_datetime(expenses["date"], errors="coerce")
    to_date_ = (dates.isna() | (dates <= pd.Timestamp(as_of))).to_numpy()
    rows: dict[str, dict] = {}

    def row(dept) -> dict:
        name = str(dept).strip()
        return rows.setdefault(
            name,
            {"budget": Decimal("0.00"), "spent": Decimal("0.00"), "unbudgeted": Decimal("0.00")},
        )

    for dept, amount in zip(budget["department"], budget["amount"], strict=False):
        if _casefold(dept) is not None:
            row(dept)["budget"] += _money([amount])
    for keep, dept, cat, amount in zip(
        to_date_, expenses["department"], expenses["category"], expenses["amount"], strict=False
    ):
        if not keep or _casefold(dept) is None:
            continue
        r = row(dept)
        value = _money([amount])
        r["spent"] += value
        if (_casefold(dept), _casefold(cat)) not in lines:
            r["unbudgeted"] += value
    frame = pd.DataFrame(
        [{"department": k, **v} for k, v in rows.items()],
        columns=["department", "budget", "spent", "unbudgeted"],
    )
    frame["remaining"] = [b - s for b, s in zip(frame["budget"], frame["spent"], strict=False)]
    frame["used_pct"] = [
        float(s / b) if b else None for b, s in zip(frame["budget"], frame["spent"], strict=False)
    ]
    return frame


def department_status(tasks: pd.DataFrame) -> pd.DataFrame:
    """Per department, from :func:`task_status` (leaf tasks only): tasks,
    done, in_progress, blocked, overdue, due_soon, and blocked at each
    ladder level (``department``/``pm``/``lead`` columns prefixed
    ``at_``)."""
    leaves = tasks[tasks["leaf"]]
    out = []
    for dept in pd.unique(leaves["department"].dropna()):
        t = leaves[leaves["department"] == dept]
        out.append(
            {
                "department": str(dept),
                "tasks": len(t),
                "done": int((t["status"] == "done").sum()),
                "in_progress": int((t["status"] == "in_progress").sum()),
                "blocked": int((t["status"] == "blocked").sum()),
                "overdue": int(t["overdue"].sum()),
                "due_soon": int(t["due_soon"].sum()),
                **{f"at_{lv}": int((t["level"] == lv).sum()) for lv in LEVELS},
            }
        )
    return pd.DataFrame(
        out,
        columns=[
            "department",
            "tasks",
            "done",
            "in_progress",
            "blocked",
            "overdue",
            "due_soon",
            *(f"at_{lv}" for lv in LEVELS),
        ],
    )


def milestone_status(data: ProjectData, as_of: date) -> pd.DataFrame:
    """Milestones in date order: name, phase, planned, actual, ``reached``
    (an actual date on or before the status date), ``late`` (not reached
    and planned before the status date), review_result."""
    ms = data.tables["milestones"]
    rows = []
    for _, r in ms.iterrows():
        if _casefold(r["name"]) is None:
            continue
        planned = to_date(r["planned_date"], strict=False)
        actual = to_date(r["actual_date"], strict=False)
        reached = actual is not None and actual <= as_of
        rows.append(
            {
                "name": str(r["name"]).strip(),
                "phase": r.get("phase"),
                "planned": planned,
                "actual": actual if reached else None,
                "reached": reached,
                "late": (not reached) and planned is not None and planned < as_of,
                "review_result": r.get("review_result"),
            }
        )
    rows.sort(key=lambda x: (x["planned"] or date.max, x["name"]))
    return pd.DataFrame(
        rows, columns=["name", "phase", "planned", "actual", "reached", "late", "review_result"]
    )


def top_risks(data: ProjectData, as_of: date, n: int = 5) -> pd.DataFrame:
    """The ``n`` open risks with the highest score (P x I), highest first:
    risk_id, description, score, level, owner, contingency,
    review_overdue."""
    risks = data.tables["risks"]
    rf = flags.risk_flags(
        risks,
        as_of,
        int(data.setting("risk_medium")),
        int(data.setting("risk_high")),
        int(data.setting("risk_review_days")),
    )
    frame = risks.assign(
        score=rf["score"], level=rf["level"], review_overdue=rf["review_overdue"].fillna(False)
    )
    frame = frame[(frame["status"] != "closed").fillna(True) & frame["score"].notna()]
    frame = frame.sort_values("score", ascending=False, kind="stable").head(n)
    return frame[
        ["risk_id", "description", "score", "level", "owner", "contingency", "review_overdue"]
    ]


@dataclass(frozen=True)
class StatusFigures:
    """The status page's key figures (see the section's definitions)."""

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
    """(light, reasons) by the rule in the section's header."""
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


def status_figures(
    data: ProjectData, as_of: date, cal: WorkCalendar, tasks: pd.DataFrame | None = None
) -> StatusFigures:
    """The key figures of the status page; ``tasks``: :func:`task_status`
    when already computed (it carries the history's blocked-since dates)."""
    if tasks is None:
        tasks = task_status(data, as_of, cal)
    leaves = tasks[tasks["leaf"]]
    counts = leaves["status"].value_counts()
    blocked_at = {lv: int((leaves["level"] == lv).sum()) for lv in LEVELS}
    top = top_risks(data, as_of, n=len(data.tables["risks"]))
    high = top[top["level"] == "high"]
    no_plan = sum(1 for c in high["contingency"] if _casefold(c) is None)
    money = spending_by_department(data, as_of)
    budget, spent = _money(money["budget"]), _money(money["spent"])
    ms = milestone_status(data, as_of)
    upcoming = ms[~ms["reached"]] if len(ms) else ms
    nxt = upcoming.iloc[0] if len(upcoming) else None
    overdue = int(leaves["overdue"].sum())
    done = int(counts.get("done", 0))
    light, reasons = traffic_light(blocked_at, overdue, len(leaves) - done, no_plan, budget, spent)
    return StatusFigures(
        as_of=as_of,
        phase=current_phase(leaves, as_of),
        tasks=len(leaves),
        done=done,
        in_progress=int(counts.get("in_progress", 0)),
        blocked=int(counts.get("blocked", 0)),
        not_started=int(counts.get("not_started", 0)),
        overdue=overdue,
        due_soon=int(leaves["due_soon"].sum()),
        blocked_at=blocked_at,
        risks_high=len(high),
        risks_high_no_plan=no_plan,
        budget=budget,
        spent=spent,
        unbudgeted=_money(money["unbudgeted"]),
        milestones=len(ms),
        milestones_reached=int(ms["reached"].sum()) if len(ms) else 0,
        next_milestone=None if nxt is None else nxt["name"],
        next_milestone_date=None if nxt is None else nxt["planned"],
        light=light,
        light_reasons=reasons,
    )
