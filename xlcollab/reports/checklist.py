"""《跨部门任务协作清单》 the cross-department task checklist (week 2): the
work packages grouped by department with deliverable, owner and deadline;
the WBS summary; the approval block for the project lead."""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date
from xlcollab.reports.common import (
    base_context,
    department_rows,
    departments,
    phase_label,
    task_rows,
    task_table,
    text,
    wbs_key,
)
from xlcollab.schema import OVERVIEW
from xlcollab.schema.lang import tr

TITLE = ("跨部门任务协作清单", "Cross-department task checklist")  # zh, en


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    tt = task_table(data, as_of, cal)
    leaves = tt.leaves
    drows = department_rows(data)
    groups = []
    for dept in departments(data):
        mine = leaves[leaves["department"] == dept]
        if not len(mine):
            continue
        groups.append(
            {
                "name": dept,
                "liaison": drows.get(dept, {}).get("liaison", ""),
                "count": len(mine),
                "tasks": task_rows(mine, lang),
            }
        )
    other = leaves[leaves["department"].map(is_missing)]
    if len(other):
        groups.append(
            {
                "name": tr(lang, "（未指定部门）", "(no department)"),
                "liaison": "",
                "count": len(other),
                "tasks": task_rows(other, lang),
            }
        )
    ctx["groups"] = groups
    ctx["task_count"] = len(leaves)
    ctx["department_count"] = len(groups)
    summaries = tt.frame[~tt.frame["leaf"]]
    ctx["wbs_summary"] = [
        {
            "wbs": text(r["wbs"]),
            "name": text(r["name"]),
            "phase": phase_label(r["phase"], lang),
            "department": text(r["department"]),
            "start": iso_date(r["planned_start"]),
            "finish": iso_date(r["planned_finish"]),
        }
        for _, r in sorted(summaries.iterrows(), key=lambda x: wbs_key(x[1]["wbs"]))
    ]
    unapproved = leaves[~leaves["approved"].fillna(False).astype(bool)]
    ctx["unapproved"] = task_rows(unapproved, lang)
    ctx["approved_count"] = len(leaves) - len(unapproved)
    ctx["approval"] = {
        "approver": text(data.overview.get("project_lead")),
        "approver_role": OVERVIEW.col("project_lead").header(lang),
        "prepared_by": text(data.overview.get("pm")),
        "prepared_role": OVERVIEW.col("pm").header(lang),
        "date": as_of.isoformat(),
    }
    return ctx
