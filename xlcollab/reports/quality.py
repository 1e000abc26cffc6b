"""《质量评估意见》 the quality assessment opinion (at each milestone): an
assessment of one milestone: its work packages done and late
(:func:`xlcollab.core.figures.milestone_progress`), its deliverables and
their acceptance, the findings of ``check`` on that milestone's own rows (its
tasks, its deliverables, its 里程碑 row; never the rest of the workbook such
as the expense ledger), and the review result and opinion from the 里程碑
sheet, or boxes and a marked field for the quality supervisor to fill.

``milestone=NAME`` picks the milestone; by default the latest one that is
due on ``as_of`` and not yet reviewed, else the latest due one, else the
first one.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import accepted_mask, milestone_progress
from xlcollab.model import ProjectData, is_missing, messages
from xlcollab.model.dates import iso_date, to_date
from xlcollab.reports.common import (
    base_context,
    finding_rows,
    first_person,
    fmt_codes,
    phase_label,
    review_label,
    split_codes,
    task_rows,
    task_table,
    text,
    yes_no,
)
from xlcollab.schema import REVIEW_RESULT, SHEETS
from xlcollab.schema.lang import tr

TITLE = (  # zh, en
    messages.LABELS["quality_title"]["zh"],
    messages.LABELS["quality_title"]["en"],
)


class MilestoneNotFound(LookupError):
    def __init__(self, name: str, known: list[str]):
        self.name, self.known = name, known
        super().__init__(f"no milestone named {name!r}; known: {', '.join(known)}")


def pick_milestone(data: ProjectData, as_of: dt.date, name: str | None = None):
    ms = data.tables["milestones"]
    ms = ms[[not is_missing(n) for n in ms["name"]]]
    if not len(ms):
        return None
    if name:
        hit = ms[[text(n).casefold() == name.strip().casefold() for n in ms["name"]]]
        if not len(hit):
            raise MilestoneNotFound(name, [text(n) for n in ms["name"]])
        return hit.iloc[0]
    ms = ms.sort_values("planned_date", na_position="last", kind="stable")
    passed = ms[[not is_missing(d) and to_date(d) <= as_of for d in ms["planned_date"]]]
    waiting = passed[[is_missing(r) for r in passed["review_result"]]]
    if len(waiting):
        return waiting.iloc[-1]
    return passed.iloc[-1] if len(passed) else ms.iloc[0]


def milestone_tasks(tasks: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """Leaf tasks a milestone names: the codes themselves, or the leaves
    under a summary code."""
    keep = []
    for i, (w, leaf) in enumerate(zip(tasks["wbs"], tasks["leaf"], strict=False)):
        w = text(w)
        if leaf and any(w == c or w.startswith(c + ".") for c in codes):
            keep.append(i)
    return tasks.iloc[keep]


def build(
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar,
    lang: str = "zh",
    findings=None,
    milestone: str | None = None,
    **_,
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    m = pick_milestone(data, as_of, milestone)
    tt = task_table(data, as_of, cal)
    if m is None:
        ctx["milestone"] = {"name": tr(lang, "（无里程碑）", "(no milestone)"), "reviewed": False}
        mt = tt.frame.iloc[0:0]
    else:
        reviewed = not is_missing(m.get("review_result"))
        ctx["milestone"] = {
            "name": text(m["name"]),
            "phase": phase_label(m.get("phase"), lang),
            "planned": iso_date(m["planned_date"]),
            "actual": iso_date(m.get("actual_date")),
            "reached": not is_missing(m.get("actual_date")),
            "tasks": fmt_codes(m.get("tasks"), lang),
            "reviewer": text(m.get("reviewer")) or first_person(data, "quality"),
            "review_date": iso_date(m.get("review_date")),
            "result": review_label(m.get("review_result"), lang)
            if reviewed
            else tr(lang, "尚未评审", "Not yet reviewed"),
            "result_key": text(m.get("review_result")),
            "opinion": text(m.get("opinion")),
            "reviewed": reviewed,
        }
        mt = milestone_tasks(tt.frame, split_codes(m.get("tasks")))
        if not len(mt) and not is_missing(m["planned_date"]):  # no tasks named: due by it
            pf = pd.to_datetime(tt.leaves["planned_finish"])
            mt = tt.leaves[pf <= pd.Timestamp(m["planned_date"])]
    rows = task_rows(mt, lang)
    accepted = _accepted_by_task(data, lang)
    for r in rows:
        r["accepted"] = accepted.get(r["wbs"], "")
    ctx["tasks"] = rows
    ctx["counts"] = milestone_progress(mt)
    codes = {r["wbs"] for r in rows}
    ctx["deliverables"] = [d for d in deliverable_rows(data, lang) if d["task"] in codes]
    accepted_n = sum(d["accepted_flag"] for d in ctx["deliverables"])
    ctx["deliverable_counts"] = {
        "total": len(ctx["deliverables"]),
        "accepted": accepted_n,
        "pending": len(ctx["deliverables"]) - accepted_n,
    }
    own = own_rows(data, mt, m)
    findings = [f for f in (findings or []) if (f.sheet, f.row) in own]
    ctx["findings"] = finding_rows(findings, lang)
    sev = [f["severity_key"] for f in ctx["findings"]]
    ctx["finding_counts"] = {
        "error": sev.count("error"),
        "warning": sev.count("warning"),
        "info": sev.count("info"),
        "total": len(sev),
    }
    ctx["all_milestones"] = [
        {
            "name": text(r["name"]),
            "planned": iso_date(r["planned_date"]),
            "actual": iso_date(r.get("actual_date")),
            "result": review_label(r.get("review_result"), lang)
            or tr(lang, "未评审", "not reviewed"),
            "reviewer": text(r.get("reviewer")),
        }
        for _, r in data.tables["milestones"].sort_values("planned_date").iterrows()
        if not is_missing(r["name"])
    ]
    ctx["supervisor"] = first_person(data, "quality")
    ctx["choices"] = "　".join(
        ("■ " if ctx["milestone"].get("result_key") == k else "□ ") + review_label(k, lang)
        for k in REVIEW_RESULT.keys
    )
    return ctx


def own_rows(data: ProjectData, tasks: pd.DataFrame, milestone) -> set[tuple[str, int]]:
    """(sheet name, Excel row) of the milestone's own rows: its work
    packages, their deliverables and the milestone itself. The frames'
    index is the Excel row."""
    codes = {text(w) for w in tasks["wbs"]}
    out = set()
    for lang in ("zh", "en"):
        out |= {(SHEETS["tasks"].name(lang), int(i)) for i in tasks.index}
        dl = data.tables["deliverables"]
        out |= {
            (SHEETS["deliverables"].name(lang), int(i))
            for i, t in zip(dl.index, dl["task"], strict=False)
            if text(t) in codes
        }
        if milestone is not None:
            out.add((SHEETS["milestones"].name(lang), int(milestone.name)))
    return out


def deliverable_rows(data: ProjectData, lang: str) -> list[dict]:
    tasks = data.tables["tasks"]
    status = {text(w): s for w, s in zip(tasks["wbs"], tasks["status"], strict=False)}
    from xlcollab.reports.common import status_label

    out = []
    d = data.tables["deliverables"]
    for (_, r), acc in zip(d.iterrows(), accepted_mask(d), strict=True):
        if is_missing(r["name"]):
            continue
        out.append(
            {
                "name": text(r["name"]),
                "task": text(r["task"]),
                "department": text(r["department"]),
                "task_status": status_label(status.get(text(r["task"])), lang),
                "accepted": yes_no(acc, lang),
                "accepted_flag": acc,
                "accepted_on": iso_date(r.get("accepted_on")),
                "signed_by": text(r.get("signed_by")),
                "state": messages.label("accepted", lang) if acc else tr(lang, "待验收", "Pending"),
                "notes": text(r.get("notes")),
            }
        )
    return out


def _accepted_by_task(data: ProjectData, lang: str) -> dict[str, str]:
    return {d["task"]: d["state"] for d in deliverable_rows(data, lang)}
