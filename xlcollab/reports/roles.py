"""《职责分工说明书》 the responsibility statement (week 1): the six roles
of the procedure with their people and duties, each department's liaison
and tasks, and a RACI matrix of departments x phases."""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData
from xlcollab.reports.common import (
    base_context,
    department_rows,
    departments,
    people_by_role,
    phase_label,
    role_label,
    text,
    wbs_key,
)
from xlcollab.schema import PHASE
from xlcollab.schema.lang import tr

TITLE = ("职责分工说明书", "Responsibility statement")  # zh, en

# the procedure's six roles (三、组织架构与职责分工) and their duties
ROLE_DUTIES = {
    "project_lead": (
        "统筹项目全局，审批重大决策，协调高层资源支持；问题升级的最终决策层级",
        "Overall control, approves major decisions, secures senior support; "
        "the final escalation level",
    ),
    "pm": (
        "负责项目日常管理、进度跟踪、风险预警、会议组织与报告编制",
        "Daily management, progress tracking, risk warning, meetings and reports",
    ),
    "liaison": (
        "负责本部门资源调配、任务执行与信息同步",
        "Own department's resources, task execution and information sync",
    ),
    "quality": (
        "在关键里程碑独立评估项目质量与合规性，出具《质量评估意见》",
        "Independent quality and compliance review at key milestones; issues the "
        "quality assessment opinion",
    ),
    "finance": (
        "审核预算执行、成本控制与资金拨付，按月发布《项目资金使用报告》",
        "Budget execution, cost control and fund disbursement; the monthly fund usage report",
    ),
    "it_support": (
        "保障协同平台稳定运行，负责数据共享、权限管理与数据同步",
        "Keeps the collaboration platform running: data sharing, permissions, data sync",
    ),
}
RACI_LEGEND = (  # zh, en
    "R＝负责执行（承担该阶段任务）；A＝最终负责（总负责人所在部门审批）；"
    "C＝咨询（质量监督、财务协调）；I＝知会（周例会同步）",
    "R = responsible (owns tasks in the phase); A = accountable (the project lead's "
    "department approves); C = consulted (quality, finance); I = informed (weekly meeting)",
)


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    by_role = people_by_role(data)
    sep = tr(lang, "、", ", ")
    ctx["roles"] = []
    for key, (zh, en) in ROLE_DUTIES.items():
        people = list(by_role.get(key, []))
        if key == "liaison":  # liaisons are also named on the 部门 sheet
            named = {p["name"] for p in people}
            for dept, row in department_rows(data).items():
                if row["liaison"] and row["liaison"] not in named:
                    people.append({"name": row["liaison"], "department": dept, "duty": ""})
                    named.add(row["liaison"])
        ctx["roles"].append(
            {
                "key": key,
                "role": role_label(key, lang),
                "duty": tr(lang, zh, en),
                "people": sep.join(p["name"] for p in people),
                "departments": sep.join(dict.fromkeys(p["department"] for p in people)),
                "count": len(people),
            }
        )
    ctx["members"] = [
        {
            "name": p["name"],
            "department": p["department"],
            "role": role_label(k, lang),
            "duty": p["duty"],
            "phone": p["phone"],
            "email": p["email"],
        }
        for k, ps in by_role.items()
        for p in ps
    ]
    ctx["members"].sort(
        key=lambda m: (
            departments(data).index(m["department"]) if m["department"] in departments(data) else 99
        )
    )

    from xlcollab.core.figures import figures

    fig = figures(data, as_of, cal)
    leaves = fig.tasks
    drows = department_rows(data)
    ctx["departments"] = []
    for dept in departments(data):
        mine = leaves[leaves["department"] == dept]
        mine = mine.iloc[sorted(range(len(mine)), key=lambda i: wbs_key(mine.iloc[i]["wbs"]))]
        ctx["departments"].append(
            {
                "name": dept,
                "director": drows.get(dept, {}).get("director", ""),
                "liaison": drows.get(dept, {}).get("liaison", ""),
                "kpi_weight": drows.get(dept, {}).get("kpi_weight", ""),
                "task_count": fig.department(dept).tasks if fig.department(dept) else 0,
                "tasks": tr(lang, "；", "; ").join(
                    f"{text(r['wbs'])} {text(r['name'])}" for _, r in mine.iterrows()
                )
                or tr(lang, "（无任务）", "(no tasks)"),
            }
        )
    ctx.update(raci(data, lang))
    return ctx


def raci(data: ProjectData, lang: str) -> dict:
    """RACI matrix: ``raci_phases`` (labels) and ``raci`` rows
    {department, cells: [..]} with R / A / A/R / C / I per phase."""
    from xlcollab.core.figures import leaf_mask

    tasks = data.tables["tasks"]
    leaves = tasks[leaf_mask(tasks)]
    phases = list(PHASE.keys)  # a fixed list: the template has one column each
    by_role = people_by_role(data)
    dept_of = lambda role: {p["department"] for p in by_role.get(role, [])}  # noqa: E731
    lead_depts = dept_of("project_lead")
    consulted = dept_of("quality") | dept_of("finance")
    rows = []
    for dept in departments(data):
        cells = []
        for ph in phases:
            owns = bool(((leaves["department"] == dept) & (leaves["phase"] == ph)).any())
            if dept in lead_depts:
                cells.append("A/R" if owns else "A")
            elif owns:
                cells.append("R")
            elif dept in consulted:
                cells.append("C")
            else:
                cells.append("I")
        rows.append({"department": dept, "cells": cells})
    return {
        "raci_phases": [phase_label(p, lang) for p in phases],
        "raci": rows,
        "raci_legend": tr(lang, *RACI_LEGEND),
    }
