"""The escalation ladder over the history: which level a blocked task has
reached, on which working day, and who it goes to.

A task blocked since S (:meth:`History.blocked_since`) is at
部门内解决 ("department") from S, reaches 项目经理协调 ("pm") on the
working day when more than ``pm_days`` working days have passed
(``cal.add_workdays(S, pm_days + 1)``) and 总负责人决策 ("lead") when more
than ``lead_days`` have (``cal.add_workdays(S, lead_days + 1)``), the
thresholds of :func:`xlcollab.core.flags.escalation_level`.

Each (task, streak, level) is recorded once (a UNIQUE row in the
``escalations`` table); a run that catches up after days off records every
level passed meanwhile, each with the day it was reached. A task that is
unblocked and blocked again starts a new streak and climbs again.

Who it goes to: the department's liaison (部门 sheet) for "department";
the project manager for "pm"; the project lead for "lead" (项目概况, else
the person with that role on 组织架构).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData, is_missing

__all__ = [
    "LEVELS",
    "Escalation",
    "reached_on",
    "due_escalations",
    "goes_to",
    "record",
    "unwritten",
    "mark_written",
]

LEVELS = ("department", "pm", "lead")


@dataclass(frozen=True)
class Escalation:
    task: str  # WBS code
    since: dt.date  # blocked since
    level: str
    reached_on: dt.date
    goes_to: str | None = None
    issue: str | None = None
    id: int | None = None


def reached_on(
    since: dt.date, level: str, cal: WorkCalendar, pm_days: int, lead_days: int
) -> dt.date:
    if level == "department":
        return since
    return cal.add_workdays(since, (pm_days if level == "pm" else lead_days) + 1)


def due_escalations(
    since: dict[str, dt.date],
    as_of: dt.date,
    cal: WorkCalendar,
    pm_days: int = 2,
    lead_days: int = 5,
) -> list[Escalation]:
    """Every level each blocked task has reached by ``as_of`` (lowest
    first), with the day it was reached."""
    out = []
    for wbs, s in sorted(since.items()):
        level = flags.escalation_level(cal.workdays_between(s, as_of), pm_days, lead_days)
        for lv in LEVELS[: LEVELS.index(level) + 1]:
            out.append(Escalation(wbs, s, lv, reached_on(s, lv, cal, pm_days, lead_days)))
    return out


def _text(v) -> str | None:
    if is_missing(v):
        return None
    t = str(v).strip()
    return t or None


def goes_to(data: ProjectData, level: str, department: str | None) -> str | None:
    """The person a level of a task of ``department`` goes to."""
    team = data.tables.get("team")

    def by_role(role: str, dept: str | None = None) -> str | None:
        if team is None or not len(team):
            return None
        m = team[team["role"] == role]
        if dept is not None:
            m = m[m["department"] == dept]
        return _text(m["name"].iloc[0]) if len(m) else None

    if level == "department":
        deps = data.tables.get("departments")
        if deps is not None and len(deps) and department:
            m = deps[deps["name"] == department]
            if len(m) and _text(m["liaison"].iloc[0]):
                return _text(m["liaison"].iloc[0])
        return by_role("liaison", department)
    if level == "pm":
        return _text(data.overview.get("pm")) or by_role("pm")
    return _text(data.overview.get("project_lead")) or by_role("project_lead")


def record(conn, run_id: int, entries: list[Escalation]) -> list[Escalation]:
    """Insert the entries not recorded yet; return those (with ids)."""
    new = []
    for e in entries:
        cur = conn.execute(
            "INSERT OR IGNORE INTO escalations(task, streak_since, level, reached_on, run_id, "
            "goes_to, issue) VALUES (?,?,?,?,?,?,?)",
            (
                e.task,
                e.since.isoformat(),
                e.level,
                e.reached_on.isoformat(),
                run_id,
                e.goes_to,
                e.issue,
            ),
        )
        if cur.rowcount:
            new.append(
                Escalation(
                    e.task, e.since, e.level, e.reached_on, e.goes_to, e.issue, cur.lastrowid
                )
            )
    return new


def _rows(conn, where: str = "", args=()) -> list[Escalation]:
    return [
        Escalation(t, dt.date.fromisoformat(s), lv, dt.date.fromisoformat(r), g, i, eid)
        for eid, t, s, lv, r, g, i in conn.execute(
            "SELECT id, task, streak_since, level, reached_on, goes_to, issue "
            f"FROM escalations {where} ORDER BY reached_on, id",
            args,
        )
    ]


def all_recorded(conn) -> list[Escalation]:
    return _rows(conn)


def unwritten(conn) -> list[Escalation]:
    """Recorded but not yet in the workbook's 问题升级 sheet."""
    return _rows(conn, "WHERE written_run IS NULL")


def mark_written(conn, ids: list[int], run_id: int) -> None:
    conn.executemany("UPDATE escalations SET written_run=? WHERE id=?", [(run_id, i) for i in ids])
