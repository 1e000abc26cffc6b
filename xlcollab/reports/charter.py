"""《项目章程》 the project charter (week 1): name, goals, scope in and out,
period, milestones, success criteria, sponsor, lead, PM, team, phases and
each department's resource commitments."""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import figures, leaf_mask
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date
from xlcollab.reports.common import (
    base_context,
    department_rows,
    departments,
    fmt_codes,
    fmt_money,
    label,
    phase_label,
    role_label,
    text,
    wbs_key,
    yes_no,
)
from xlcollab.schema import RESOURCE_TYPE
from xlcollab.schema.lang import tr

TITLE = ("项目章程", "Project charter")  # zh, en


def team_role(data: ProjectData, r) -> str:
    """A team member's role key; the 项目概况 sheet's sponsor and project lead
    are shown in those roles even where the 团队 sheet says 成员 or nothing."""
    role = None if is_missing(r["role"]) else str(r["role"])
    if role not in (None, "member"):
        return role
    name = text(r["name"])
    if name and name == text(data.overview.get("sponsor")):
        return "sponsor"
    if name and name == text(data.overview.get("project_lead")):
        return "project_lead"
    return role or "member"


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    start, end = data.overview.get("start_date"), data.overview.get("end_date")
    if not is_missing(start) and not is_missing(end):
        days = cal.workdays_between(start, end) + int(cal.is_workday(start))
        weeks = ((end - start).days // 7) + 1
        ctx["duration"] = tr(
            lang, f"{weeks}周，{days}个工作日", f"{weeks} weeks, {days} working days"
        )
    else:
        ctx["duration"] = ""
    ctx["milestones"] = [
        {
            "name": text(r["name"]),
            "phase": phase_label(r.get("phase"), lang),
            "planned": iso_date(r["planned_date"]),
            "tasks": fmt_codes(r.get("tasks"), lang),
        }
        for _, r in data.tables["milestones"].sort_values("planned_date").iterrows()
        if not is_missing(r["name"])
    ]
    ctx["team"] = [
        {
            "name": text(r["name"]),
            "department": text(r["department"]),
            "role": role_label(team_role(data, r), lang),
            "duty": text(r.get("duty")),
        }
        for _, r in data.tables["team"].iterrows()
        if not is_missing(r["name"])
    ]
    fig = figures(data, as_of, cal)
    ctx["budget_total"] = fmt_money(fig.budget)
    ctx["phases"] = _phases(fig.task_table, lang)
    ctx["resources"] = _resources(data, lang)
    ctx["resource_rows"] = [
        dict(item, department=g["department"]) for g in ctx["resources"] for item in g["items"]
    ]
    ctx["departments"] = [
        {"name": d, **department_rows(data).get(d, {})} for d in departments(data)
    ]
    return ctx


def _phases(tasks, lang: str) -> list[dict]:
    """The top-level WBS rows of the task table (summary rows rolled up):
    work content, responsible department, schedule."""
    tops = tasks[[not is_missing(w) and "." not in str(w) for w in tasks["wbs"]]]
    leaves = tasks[leaf_mask(tasks)]
    rows = []
    for _, r in sorted(tops.iterrows(), key=lambda x: wbs_key(x[1]["wbs"])):
        code = str(r["wbs"]).strip()
        kids = leaves[[str(w).startswith(code + ".") for w in leaves["wbs"]]]
        depts = list(dict.fromkeys(text(d) for d in kids["department"] if not is_missing(d)))
        rows.append(
            {
                "wbs": code,
                "name": text(r["name"]),
                "phase": phase_label(r.get("phase"), lang),
                "department": text(r["department"]),
                "departments": tr(lang, "、".join(depts), ", ".join(depts)),
                "start": iso_date(r["planned_start"]),
                "finish": iso_date(r["planned_finish"]),
                "content": tr(lang, "；", "; ").join(
                    text(n)
                    for n in kids.sort_values("wbs", key=lambda s: s.map(wbs_key))["name"].head(8)
                )
                + ("……" if len(kids) > 8 else ""),
            }
        )
    return rows


def _resources(data: ProjectData, lang: str) -> list[dict]:
    """Resource commitments grouped by department (in department order)."""
    res = data.tables["resources"]
    groups = []
    for dept in departments(data):
        items = res[res["department"] == dept]
        if not len(items):
            continue
        groups.append(
            {
                "department": dept,
                "items": [
                    {
                        "type": _resource_type(r["resource_type"], lang),
                        "description": text(r.get("description")),
                        "quantity": _qty(r["quantity"])
                        + (f" {text(r.get('unit'))}" if text(r.get("unit")) else ""),
                        "period": iso_date(r.get("period_start"))
                        + tr(lang, " 至 ", " to ")
                        + iso_date(r.get("period_end")),
                        "committed_by": text(r.get("committed_by")),
                        "approved": yes_no(r.get("approved"), lang),
                    }
                    for _, r in items.iterrows()
                ],
            }
        )
    return groups


def _resource_type(value, lang: str) -> str:
    key = RESOURCE_TYPE.parse(str(value)) if not is_missing(value) else None
    return label(RESOURCE_TYPE, key, lang) if key else text(value)


def _qty(v) -> str:
    if is_missing(v):
        return ""
    f = float(v)
    return str(int(f)) if f.is_integer() else f"{f:g}"
