"""《项目交付确认书》 the delivery confirmation (week 9): every deliverable
with its acceptance state and signer, acceptance by department (the
deliverables figure of :mod:`xlcollab.core.figures`), and the signature
blocks."""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import figures
from xlcollab.model import ProjectData
from xlcollab.reports.common import (
    base_context,
    department_rows,
    departments,
    first_person,
    text,
)
from xlcollab.reports.quality import deliverable_rows
from xlcollab.schema import OVERVIEW
from xlcollab.schema.lang import tr

TITLE = ("项目交付确认书", "Delivery confirmation")  # zh, en


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    rows = deliverable_rows(data, lang)
    counts = figures(data, as_of, cal).deliverables
    ctx["deliverables"] = rows
    ctx["pending"] = [r for r in rows if not r["accepted_flag"]]
    ctx["counts"] = {k: counts[k] for k in ("total", "accepted", "pending")}
    ctx["all_accepted"] = bool(counts["total"]) and not counts["pending"]
    # the departments in the 部门 sheet's order, then any other a deliverable names
    by = counts["by_department"]
    listed = [d for d in departments(data) if d in by]
    ctx["by_department"] = [
        {"name": d or tr(lang, "（未填部门）", "(no department)"), **by[d]}
        for d in listed + [d for d in by if d not in listed]
    ]
    n, a, p = counts["total"], counts["accepted"], counts["pending"]
    ctx["conclusion"] = (
        tr(
            lang,
            f"全部{n}项交付物已验收，同意项目交付。",
            f"All {n} deliverables are accepted; the project is delivered.",
        )
        if ctx["all_accepted"]
        else tr(
            lang,
            f"共{n}项交付物，已验收{a}项，待验收{p}项；待验收项完成后方可签署。",
            f"{n} deliverables, {a} accepted, {p} pending; "
            "sign once the pending ones are accepted.",
        )
    )
    o = data.overview
    signers = [
        (OVERVIEW.col("sponsor").header(lang), text(o.get("sponsor")), ""),
        (OVERVIEW.col("project_lead").header(lang), text(o.get("project_lead")), ""),
        (OVERVIEW.col("pm").header(lang), text(o.get("pm")), ""),
        (tr(lang, "质量监督员", "Quality supervisor"), first_person(data, "quality"), ""),
    ]
    drows = department_rows(data)
    for d in ctx["by_department"]:
        signers.append(
            (
                tr(lang, "部门对接人", "Department liaison"),
                drows.get(d["name"], {}).get("liaison", ""),
                d["name"],
            )
        )
    dept_of = {
        text(n): text(d)
        for n, d in zip(
            data.tables["team"]["name"], data.tables["team"]["department"], strict=False
        )
    }
    ctx["signatures"] = [
        {"role": r, "name": n, "department": d or dept_of.get(n, "")} for r, n, d in signers if n
    ]
    return ctx
