"""基线偏差: the weekly report's slippage section, from a comparison the
caller made (:class:`xlcollab.history.Slippage`; the CLI and the nightly
job read it from the history). Pure: frames in, template rows out.

Per department: tasks compared, tasks finishing later than the baseline,
the total and the largest finish slip in working days, the most slipped
department first (departments with no compared task are left out). Then the slipped tasks,
largest slip first
(WBS order on ties), at most ``TOP`` of them (``more`` says how many were
left out). Without a comparison the context is ``None`` and the template
says in one line that no baseline was chosen.
"""

from __future__ import annotations

from xlcollab.model import is_missing
from xlcollab.model.dates import iso_date
from xlcollab.reports.common import text, wbs_key
from xlcollab.schema.lang import tr

__all__ = ["slippage_context", "TOP"]

TOP = 15


def slippage_context(slip, lang: str, top: int = TOP) -> dict | None:
    """The template's ``baseline``: name, as_of, departments, tasks, more,
    slipped, total, line; None when ``slip`` is None."""
    if slip is None:
        return None
    depts = []
    for r in slip.departments.to_dict("records"):
        if not r["tasks"]:
            continue
        depts.append(
            {
                "department": text(r["department"]),
                "tasks": int(r["tasks"]),
                "slipped": int(r["slipped"]),
                "total_slip": int(r["total_slip"]),
                "max_slip": max(int(r["max_slip"]), 0),
            }
        )
    depts.sort(key=lambda d: (-d["total_slip"], -d["slipped"]))  # stable: name order on ties
    late = [
        r
        for r in slip.tasks.to_dict("records")
        if not is_missing(r["finish_slip"]) and int(r["finish_slip"]) > 0
    ]
    late.sort(key=lambda r: (-int(r["finish_slip"]), wbs_key(r["wbs"])))
    rows = [
        {
            "wbs": text(r["wbs"]),
            "name": text(r["name"]),
            "department": text(r["department"]),
            "baseline_finish": iso_date(r["baseline_finish"]),
            "planned_finish": iso_date(r["planned_finish"]),
            "slip": int(r["finish_slip"]),
        }
        for r in late[:top]
    ]
    total = sum(d["total_slip"] for d in depts)
    n = len(late)
    return {
        "name": slip.name,
        "as_of": slip.as_of.isoformat(),
        "departments": depts,
        "tasks": rows,
        "more": max(n - top, 0),
        "slipped": n,
        "total": total,
        "line": tr(
            lang,
            f"与基线“{slip.name}”（{slip.as_of.isoformat()}）相比，{n}项任务完成日期推迟，"
            f"合计{total}个工作日",
            f"Against baseline {slip.name} ({slip.as_of.isoformat()}): {n} tasks finish "
            f"later, {total} working days in all",
        ),
    }
