"""What every document's context builder shares: formatting, weeks, the
task table with its flags, people by role, findings as rows.

Everything here is a pure function of ProjectData, a date and a
WorkCalendar; nothing reads the clock or touches a file. Values handed to
templates are plain ``str``/``int``/``float``/``bool``, lists and dicts, so a
template (and a test reading the document back) sees exactly what a person
reads: dates as ``2026-04-01``, money as ``¥12,500.00``, percentages as
``60%``, choice values as their labels in the report's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import FinanceSummary, figures
from xlcollab.core.network import wbs_key
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date, to_date
from xlcollab.schema import (
    ESCALATION,
    PHASE,
    REVIEW_RESULT,
    RISK_LEVEL,
    RISK_STATUS,
    ROLE,
    SEVERITY,
    SHEETS,
    STATUS,
    YES_NO,
)
from xlcollab.schema.lang import tr

ZERO = Decimal("0.00")
DASH = "—"


def label(choice_list, key, lang: str) -> str:
    """A choice's label, or the value as written when it is not a key."""
    if is_missing(key):
        return ""
    try:
        return choice_list.label(str(key), lang)
    except KeyError:
        return str(key)


def status_label(key, lang: str) -> str:
    return label(STATUS, key, lang)


def phase_label(key, lang: str) -> str:
    return label(PHASE, key, lang)


def role_label(key, lang: str) -> str:
    return label(ROLE, key, lang)


def escalation_label(key, lang: str) -> str:
    return label(ESCALATION, key, lang)


def risk_level_label(key, lang: str) -> str:
    return label(RISK_LEVEL, key, lang)


def risk_status_label(key, lang: str) -> str:
    return label(RISK_STATUS, key, lang)


def review_label(key, lang: str) -> str:
    return label(REVIEW_RESULT, key, lang)


def yes_no(value, lang: str) -> str:
    if is_missing(value):
        return ""
    return YES_NO.label("yes" if bool(value) else "no", lang)


# ----------------------------------------------------------- formatting ---
def text(v) -> str:
    """Any cell value as text; empty for a missing one."""
    if is_missing(v):
        return ""
    if isinstance(v, (pd.Timestamp, dt.date)):
        return iso_date(v)
    return str(v).strip()


def fmt_month(month, lang: str) -> str:
    """A month ('2026-03', or any date in it) as people write it:
    ``2026年3月`` (en: ``March 2026``)."""
    if isinstance(month, str):
        year, mon = (int(p) for p in month.split("-")[:2])
        month = dt.date(year, mon, 1)
    return tr(lang, f"{month.year}年{month.month}月", month.strftime("%B %Y"))


def fmt_money(v) -> str:
    if is_missing(v):
        return ""
    d = v if isinstance(v, Decimal) else Decimal(str(v))
    sign = "-" if d < 0 else ""
    return f"{sign}¥{abs(d):,.2f}"


def fmt_pct(v, digits: int = 0) -> str:
    if is_missing(v):
        return ""
    return f"{float(v):.{digits}%}"


def fmt_int(v) -> str:
    return "" if is_missing(v) else str(int(v))


def money(v) -> Decimal:
    """A money cell as Decimal (0.00 when empty)."""
    if is_missing(v) or isinstance(v, bool):
        return ZERO
    return v if isinstance(v, Decimal) else Decimal(str(v))


def split_items(value) -> list[str]:
    """A text of several items separated by ；;、 or new lines, as a list."""
    import re

    if is_missing(value):
        return []
    return [p.strip() for p in re.split(r"[；;\n]+", str(value)) if p.strip()]


def split_codes(value) -> list[str]:
    """A REF cell (WBS codes separated by commas) as a list."""
    import re

    if is_missing(value):
        return []
    return [p.strip() for p in re.split(r"[,，、;；\s]+", str(value)) if p.strip()]


def fmt_codes(value, lang: str) -> str:
    """WBS codes (a REF cell such as ``3.4.4,3.4.5``) as a list a line can
    break between but never inside a code: ``3.4.4、3.4.5`` (en: ``3.4.4,
    3.4.5``)."""
    return tr(lang, "、", ", ").join(split_codes(value))


# ----------------------------------------------------------------- weeks ---
def monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def week1_monday(data: ProjectData, fallback: dt.date) -> dt.date:
    """The Monday of the project's first week (of the start date; the
    fallback's when the start date is empty)."""
    start = (
        to_date(data.overview.get("start_date"))
        if not is_missing(data.overview.get("start_date"))
        else None
    )
    return monday(start or fallback)


def week_number(data: ProjectData, day: dt.date) -> int:
    """The project week of ``day``: (day - Monday of the start week)//7 + 1
    (0 or less before the project starts)."""
    return (day - week1_monday(data, day)).days // 7 + 1


def week_monday(data: ProjectData, n: int, fallback: dt.date) -> dt.date:
    """The Monday of project week ``n``."""
    return week1_monday(data, fallback) + dt.timedelta(days=7 * (n - 1))


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """'2026-04' -> (2026-04-01, 2026-04-30). ValueError when malformed."""
    try:
        year, mon = (int(p) for p in month.split("-"))
        first = dt.date(year, mon, 1)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a month (YYYY-MM): {month!r}") from exc
    nxt = dt.date(year + (mon == 12), 1 if mon == 12 else mon + 1, 1)
    return first, nxt - dt.timedelta(days=1)


# ------------------------------------------------------------- project ---
def project_info(data: ProjectData, lang: str) -> dict[str, Any]:
    o = data.overview
    return {
        "name": text(o.get("name")),
        "goal": text(o.get("goal")),
        "goals": split_items(o.get("goal")),
        "scope_in": text(o.get("scope_in")),
        "scope_in_items": split_items(o.get("scope_in")),
        "scope_out": text(o.get("scope_out")),
        "scope_out_items": split_items(o.get("scope_out")),
        "start": iso_date(o.get("start_date")),
        "end": iso_date(o.get("end_date")),
        "sponsor": text(o.get("sponsor")),
        "lead": text(o.get("project_lead")),
        "pm": text(o.get("pm")),
        "success_criteria": text(o.get("success_criteria")),
        "success_items": split_items(o.get("success_criteria")),
        "phase": phase_label(o.get("current_phase"), lang),
        "status_date": iso_date(o.get("status_date")),
    }


def base_context(data: ProjectData, as_of: dt.date, lang: str, title: str) -> dict[str, Any]:
    """Fields every document carries. The project's phase is the one the
    tasks' dates put it in on ``as_of`` (:func:`figures.current_phase`), the
    项目概况 sheet's 当前阶段 only when no task names a phase."""
    from xlcollab.core.figures import current_phase

    project = project_info(data, lang)
    phase = current_phase(data.tables["tasks"], as_of)
    if phase:
        project["phase"] = phase_label(phase, lang)
    return {
        "lang": lang,
        "title": title,
        "project": project,
        "as_of": as_of.isoformat(),
        "week": week_number(data, as_of),
        "generated_by": "xlcollab",
        "settings": {
            "escalation_pm_days": data.int_setting("escalation_pm_days"),
            "escalation_lead_days": data.int_setting("escalation_lead_days"),
            "due_soon_days": data.int_setting("due_soon_days"),
            "risk_review_days": data.int_setting("risk_review_days"),
        },
    }


def departments(data: ProjectData) -> list[str]:
    """Department names: the 部门 sheet's order, then any others the tasks,
    team or budget name (in order of appearance)."""
    seen: dict[str, None] = {}
    for frame_key, col in (
        ("departments", "name"),
        ("tasks", "department"),
        ("team", "department"),
        ("budget", "department"),
        ("expenses", "department"),
    ):
        df = data.tables.get(frame_key)
        if df is None or col not in df:
            continue
        for v in df[col]:
            if not is_missing(v):
                seen.setdefault(str(v).strip(), None)
    return list(seen)


def department_rows(data: ProjectData) -> dict[str, dict]:
    """The 部门 sheet by name: director, liaison, KPI weight."""
    out = {}
    df = data.tables.get("departments")
    if df is None:
        return out
    for _, r in df.iterrows():
        if is_missing(r["name"]):
            continue
        out[str(r["name"]).strip()] = {
            "director": text(r.get("director")),
            "liaison": text(r.get("liaison")),
            "kpi_weight": fmt_pct(r.get("kpi_weight")),
        }
    return out


def people_by_role(data: ProjectData) -> dict[str, list[dict]]:
    """Team members by role key, each {name, department, duty, phone, email}."""
    out: dict[str, list[dict]] = {}
    for _, r in data.tables["team"].iterrows():
        if is_missing(r["name"]):
            continue
        out.setdefault(str(r["role"]) if not is_missing(r["role"]) else "member", []).append(
            {
                "name": text(r["name"]),
                "department": text(r["department"]),
                "duty": text(r["duty"]),
                "phone": text(r.get("phone")),
                "email": text(r.get("email")),
            }
        )
    return out


def first_person(data: ProjectData, role: str) -> str:
    people = people_by_role(data).get(role, [])
    return people[0]["name"] if people else ""


# ----------------------------------------------------------------- tasks ---


@dataclass
class TaskTable:
    """The task sheet with everything the reports show, as of a date: the
    frame of :func:`xlcollab.core.figures.task_frame` (summary rows rolled
    up; ``leaf``, ``days_late``, ``overdue``, ``due_soon``,
    ``blocked_since``, ``blocked_days``, ``escalation_now``)."""

    frame: pd.DataFrame
    as_of: dt.date

    @property
    def leaves(self) -> pd.DataFrame:
        return self.frame[self.frame["leaf"]]


def task_table(data: ProjectData, as_of: dt.date, cal: WorkCalendar) -> TaskTable:
    return TaskTable(figures(data, as_of, cal).task_table, as_of)


def task_row(r, lang: str) -> dict[str, Any]:
    """One task as template values."""
    reason = text(r.get("blocked_reason"))
    return {
        "wbs": text(r["wbs"]),
        "name": text(r["name"]),
        "phase": phase_label(r.get("phase"), lang),
        "department": text(r["department"]),
        "owner": text(r.get("owner")),
        "deliverable": text(r.get("deliverable")),
        "planned_start": iso_date(r.get("planned_start")),
        "planned_finish": iso_date(r.get("planned_finish")),
        "actual_start": iso_date(r.get("actual_start")),
        "actual_finish": iso_date(r.get("actual_finish")),
        "progress": fmt_pct(r.get("progress")),
        "status": status_label(r.get("status"), lang),
        "status_key": text(r.get("status")),
        "days_late": fmt_int(r.get("days_late")),
        "overdue": bool(r.get("overdue")) if not is_missing(r.get("overdue")) else False,
        "blocked_reason": reason
        or (tr(lang, "（未填写）", "(not given)") if r.get("status") == "blocked" else ""),
        "blocked_reason_given": reason,
        "blocked_since": iso_date(r.get("blocked_since")),
        "blocked_days": fmt_int(r.get("blocked_days")),
        "escalation": escalation_label(r.get("escalation_now"), lang),
        "escalation_key": text(r.get("escalation_now")),
        "predecessors": fmt_codes(r.get("predecessors"), lang),
        "approved": yes_no(r.get("approved"), lang),
        "notes": text(r.get("notes")),
    }


#: the task columns :func:`task_row` reads
TASK_ROW_COLUMNS = (
    "wbs",
    "name",
    "phase",
    "department",
    "owner",
    "deliverable",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "progress",
    "status",
    "days_late",
    "overdue",
    "blocked_reason",
    "blocked_since",
    "blocked_days",
    "escalation_now",
    "predecessors",
    "approved",
    "notes",
)


def row_dicts(df: pd.DataFrame, columns: Iterable[str]) -> list[dict]:
    """The rows of ``df`` as dicts of ``columns`` (those it has): what
    ``to_dict("records")`` gives, built from the columns' lists (quicker)."""
    if df.empty:
        return []
    cols = [c for c in columns if c in df.columns]
    values = zip(*(df[c].tolist() for c in cols), strict=True)
    return [dict(zip(cols, r, strict=True)) for r in values]


def task_rows(df: pd.DataFrame, lang: str) -> list[dict]:
    """Tasks as template rows, in WBS order."""
    records = row_dicts(df, TASK_ROW_COLUMNS)
    records.sort(key=lambda r: wbs_key(r["wbs"]))
    return [task_row(r, lang) for r in records]


def most_urgent(tasks: pd.DataFrame, n: int) -> pd.DataFrame:
    """The ``n`` most urgent of ``tasks`` (all of them when they are no more):
    blocked first, then the most working days late, then the nearest planned
    finish (no date last), WBS order on ties. The rows keep their order."""
    if len(tasks) <= n:
        return tasks
    blocked = (tasks["status"] == "blocked").fillna(False).to_numpy(dtype=bool)
    keys = (
        (~blocked).astype("int64"),
        -pd.to_numeric(tasks["days_late"], errors="coerce").fillna(0).to_numpy(dtype="int64"),
        pd.to_datetime(tasks["planned_finish"], errors="coerce")
        .fillna(pd.Timestamp.max)
        .to_numpy(dtype="datetime64[D]")
        .astype("int64"),
    )
    # the n-th smallest key, then every row up to it (ties included) in WBS order
    nth = np.lexsort(keys[::-1])[n - 1]
    a, b, c = keys
    upto = (a < a[nth]) | (a == a[nth]) & ((b < b[nth]) | (b == b[nth]) & (c <= c[nth]))
    cand = np.flatnonzero(upto)
    wbs = tasks["wbs"].to_numpy()
    cand = sorted(cand, key=lambda i: (a[i], b[i], c[i], wbs_key(wbs[i])))[:n]
    return tasks.iloc[sorted(cand)]


def limited(rows: list, n: int) -> tuple[list, int]:
    """The first ``n`` of ``rows`` (already most important first) and how many
    were left out."""
    return rows[:n], max(len(rows) - n, 0)


def more_line(k: int, lang: str, annex: bool = False) -> str:
    """The line under a table that lists only the most urgent rows: how many
    are left out and where to find them ('' when none is)."""
    return more_format(lang, annex).format(n=k) if k > 0 else ""


def more_format(lang: str, annex: bool = False) -> str:
    """:func:`more_line` with ``{n}`` for the count (a slide table's last row)."""
    if annex:
        return tr(lang, "另有 {n} 项未列出，见附件", "{n} more not listed: see the annex")
    return tr(lang, "另有 {n} 项未列出，见完整清单", "{n} more not listed: see the full list")


def report_rows(data: ProjectData) -> int:
    """Rows per report table at most (the 参数 sheet's 报告每表最多行数)."""
    return max(data.int_setting("report_rows"), 1)


# ----------------------------------------------------------------- risks ---
def risk_table(data: ProjectData, as_of: dt.date) -> pd.DataFrame:
    """The risk register with score, level and review_overdue (the figures')."""
    return figures(data, as_of).risk_table


def risk_row(r, lang: str) -> dict[str, Any]:
    return {
        "id": text(r["risk_id"]),
        "description": text(r["description"]),
        "category": text(r.get("category")),
        "probability": fmt_int(r.get("probability")),
        "impact": fmt_int(r.get("impact")),
        "score": fmt_int(r.get("score")),
        "level": risk_level_label(r.get("level"), lang),
        "level_key": text(r.get("level")),
        "owner": text(r.get("owner")),
        "contingency": text(r.get("contingency"))
        or tr(lang, "（缺少应急预案）", "(no contingency plan)"),
        "status": risk_status_label(r.get("status"), lang),
        "identified": iso_date(r.get("identified")),
        "last_review": iso_date(r.get("last_review")),
    }


# ---------------------------------------------------------------- budget ---
def budget_by_department(money: FinanceSummary) -> list[dict]:
    """Budget, spent this month and to date, remaining and % used per
    department, from the money figures; spending on lines without a budget
    is in ``unbudgeted`` (and in ``used``: spent to date is all spending).
    Decimal values under ``*_value`` keys, formatted ones beside."""
    unb: dict[str, Decimal] = {}
    lines = money.lines
    for d, t, ok in zip(lines["department"], lines["to_date"], lines["budgeted"], strict=False):
        if not ok:
            unb[str(d)] = unb.get(str(d), ZERO) + t
    rows = []
    for _, r in money.by_department.iterrows():
        name = str(r["department"])
        row = _budget_row(name, r["budget"], r["to_date"], unb.get(name, ZERO))
        row["month_value"] = r["month"]
        row["month"] = fmt_money(r["month"])
        rows.append(row)
    return rows


def _budget_row(name: str, budget: Decimal, used: Decimal, unbudgeted: Decimal) -> dict:
    remaining = budget - used
    pct = float(used / budget) if budget else None
    return {
        "department": name,
        "budget_value": budget,
        "used_value": used,
        "remaining_value": remaining,
        "unbudgeted_value": unbudgeted,
        "budget": fmt_money(budget),
        "used": fmt_money(used),
        "remaining": fmt_money(remaining),
        "unbudgeted": fmt_money(unbudgeted) if unbudgeted else "",
        "used_pct": fmt_pct(pct) if pct is not None else "",
        "over": bool(budget and used > budget),
    }


def budget_total(money: FinanceSummary, lang: str) -> dict:
    """The total row of :func:`budget_by_department`."""
    lines = money.lines
    x = sum((t for t, ok in zip(lines["to_date"], lines["budgeted"], strict=False) if not ok), ZERO)
    row = _budget_row(tr(lang, "合计", "Total"), money.budget, money.spent_to_date, x)
    row["month_value"] = money.spent_month
    row["month"] = fmt_money(money.spent_month)
    return row


def over_budget_lines(money: FinanceSummary) -> list[dict]:
    """The budget lines spent beyond their budget to date (the figures'
    own remaining, negative here, and rate of use)."""
    ln = money.lines
    return [
        {
            "department": text(r["department"]),
            "category": text(r["category"]),
            "budget": fmt_money(r["budget"]),
            "used": fmt_money(r["to_date"]),
            "over": fmt_money(-r["remaining"]),
            "used_pct": fmt_pct(r["used_pct"]),
        }
        for _, r in ln[ln["over"]].iterrows()
    ]


# ----------------------------------------------------------- escalations ---
def escalation_rows(data: ProjectData, lang: str, *, until: dt.date | None = None) -> list[dict]:
    """The 问题升级 log, most severe level first, then by date raised; an
    escalation is open when it has no closing date (or closed after
    ``until``)."""
    esc = data.tables["escalations"]
    rank = {"lead": 0, "pm": 1, "department": 2}
    rows = []
    for r in esc.to_dict("records"):
        if is_missing(r["issue"]):
            continue
        raised = to_date(r["raised_on"]) if not is_missing(r["raised_on"]) else None
        if until is not None and raised is not None and raised > until:
            continue
        closed = to_date(r["closed_on"]) if not is_missing(r["closed_on"]) else None
        is_open = closed is None or (until is not None and closed > until)
        rows.append(
            {
                "issue": text(r["issue"]),
                "task": text(r.get("task")),
                "level": escalation_label(r["level"], lang),
                "level_key": text(r["level"]),
                "raised_by": text(r.get("raised_by")),
                "raised_on": iso_date(raised),
                "goes_to": text(r.get("goes_to")),
                "decision": text(r.get("decision")),
                "closed_on": iso_date(closed) if not is_open else "",
                "open": is_open,
                "state": tr(lang, "处理中", "Open") if is_open else tr(lang, "已关闭", "Closed"),
                "_rank": (rank.get(text(r["level"]), 3), raised or dt.date.min),
            }
        )
    rows.sort(key=lambda x: x["_rank"])
    for r in rows:
        del r["_rank"]
    return rows


def escalations_by_level(
    rows: list[dict], lang: str, open_counts: dict[str, int] | None = None
) -> list[dict]:
    """[{level, level_key, entries, count, open}] for each ladder level, top
    first (not ``items``: Jinja would find the dict method). ``open`` is the
    figures' count of open problems at the level (blocked tasks and open
    entries, each once) when ``open_counts`` is given."""
    out = []
    for key in ("lead", "pm", "department"):
        items = [r for r in rows if r["level_key"] == key]
        out.append(
            {
                "level": escalation_label(key, lang),
                "level_key": key,
                "entries": items,
                "count": len(items),
                "open": (
                    open_counts[key] if open_counts is not None else sum(r["open"] for r in items)
                ),
            }
        )
    return out


def decisions_needed(
    data: ProjectData,
    tt: TaskTable,
    risks: pd.DataFrame,
    esc_rows: list[dict],
    lang: str,
    money: FinanceSummary | None = None,
) -> list[dict]:
    """What someone has to decide now, and who: open escalations, blocked
    tasks past the lead threshold without an open lead escalation,
    over-budget lines, high risks without a contingency plan."""
    lead = text(data.overview.get("project_lead"))
    pm = text(data.overview.get("pm"))
    out = []
    for e in esc_rows:
        if e["open"]:
            out.append(
                {
                    "item": e["issue"],
                    "source": SHEETS["escalations"].name(lang),
                    "level": e["level"],
                    "who": e["goes_to"] or (lead if e["level_key"] == "lead" else pm),
                    "since": e["raised_on"],
                }
            )
    lead_open = {e["task"] for e in esc_rows if e["open"] and e["level_key"] == "lead"}
    blocked = tt.leaves[tt.leaves["escalation_now"] == "lead"]
    for r in row_dicts(blocked, ("wbs", "name", "blocked_reason", "blocked_since")):
        if text(r["wbs"]) in lead_open:
            continue
        out.append(
            {
                "item": tr(
                    lang,
                    f"阻塞任务 {text(r['wbs'])} {text(r['name'])}："
                    f"{text(r.get('blocked_reason')) or '阻塞原因未填写'}",
                    f"Blocked task {text(r['wbs'])} {text(r['name'])}: "
                    f"{text(r.get('blocked_reason')) or 'no reason given'}",
                ),
                "source": SHEETS["tasks"].name(lang),
                "level": escalation_label("lead", lang),
                "who": lead,
                "since": iso_date(r.get("blocked_since")),
            }
        )
    if money is None:
        money = figures(data, tt.as_of).money
    for b in over_budget_lines(money):
        out.append(
            {
                "item": tr(
                    lang,
                    f"{b['department']}/{b['category']} 超支 {b['over']}（预算 {b['budget']}，"
                    f"已支出 {b['used']}），需审批预算调整",
                    f"{b['department']}/{b['category']} over budget by {b['over']} (budget "
                    f"{b['budget']}, spent {b['used']}): approve a budget change",
                ),
                "source": SHEETS["budget"].name(lang),
                "level": escalation_label("lead", lang),
                "who": lead,
                "since": "",
            }
        )
    open_high = risks[
        ((risks["level"] == "high") & (risks["status"] != "closed")).fillna(False).astype(bool)
    ]
    for r in open_high.to_dict("records"):
        if r["level"] == "high" and r["status"] != "closed" and is_missing(r.get("contingency")):
            out.append(
                {
                    "item": tr(
                        lang,
                        f"高风险 {text(r['risk_id'])} 缺少应急预案：{text(r['description'])}",
                        f"High risk {text(r['risk_id'])} has no contingency plan: "
                        f"{text(r['description'])}",
                    ),
                    "source": SHEETS["risks"].name(lang),
                    "level": escalation_label("pm", lang),
                    "who": pm,
                    "since": iso_date(r.get("identified")),
                }
            )
    return out


# -------------------------------------------------------------- findings ---
def finding_rows(findings: Iterable | None, lang: str, limit: int | None = None) -> list[dict]:
    """Findings (objects with severity, location, message, hint) as rows,
    errors first."""
    from xlcollab.model.findings import SEVERITY_ORDER

    items = list(findings or [])
    items.sort(
        key=lambda f: (
            SEVERITY_ORDER.get(getattr(f, "severity", "info"), 9),
            str(getattr(f, "sheet", "")),
            getattr(f, "row", 0) or 0,
            str(getattr(f, "cell", "") or ""),
        )
    )
    rows = []
    for f in items[:limit] if limit else items:
        sev = getattr(f, "severity", "info")
        rows.append(
            {
                "severity": label(SEVERITY, sev, lang),
                "severity_key": sev,
                "rule": str(getattr(f, "rule_id", "")),
                "location": str(getattr(f, "location", getattr(f, "sheet", ""))),
                "message": str(getattr(f, "message", f)),
                "hint": str(getattr(f, "hint", "") or ""),
            }
        )
    return rows
