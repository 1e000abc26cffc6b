"""周例会进度报告 the weekly progress report (every Monday).

Per department a "5-minute" section: done since last week, due this week,
in progress, blocked (reason, blocked since, escalation level), overdue;
then the problem focus: every escalation by level, new and high risks,
decisions needed; a Gantt picture and a progress chart.

Week ``N`` of the project runs from the Monday ``(N-1)*7`` days after the
Monday of the start week. ``week=N`` reports as of that Monday; by default
the report is as of ``as_of``, in the week that contains it. Sections are
leaf tasks (work packages), and within a department they do not overlap
except that an overdue task is listed under 逾期 even when it is blocked:
blocked, then overdue, then due this week, then in progress.

基线偏差 (slippage against a baseline): ``slip`` is a comparison the caller
made (:class:`xlcollab.history.Slippage`; ``xlcollab report weekly
--baseline NAME`` and the nightly job's weekly report read it from the
history); the section lists it per department and the most slipped tasks
(:mod:`.slippage`). Without one the section says in one line that no
baseline was chosen. The builder itself never touches a file.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import Figures, figures
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date, to_date
from xlcollab.reports.common import (
    TaskTable,
    base_context,
    budget_total,
    decisions_needed,
    department_rows,
    escalation_rows,
    escalations_by_level,
    fmt_int,
    fmt_money,
    fmt_pct,
    label,
    limited,
    more_line,
    most_urgent,
    phase_label,
    report_rows,
    risk_row,
    status_label,
    task_rows,
    text,
    wbs_key,
    week_monday,
    week_number,
)
from xlcollab.reports.slippage import TOP as SLIP_TOP
from xlcollab.reports.slippage import slippage_context
from xlcollab.schema import GANTT, MEETING_TYPE, RISKS
from xlcollab.schema.lang import tr

TITLE = ("周例会进度报告", "Weekly progress report")  # zh, en


def report_date(data: ProjectData, as_of: dt.date, week: int | None) -> dt.date:
    """The date the report is as of: week N's Monday, else ``as_of``."""
    return week_monday(data, week, as_of) if week else as_of


def next_meeting(monday: dt.date, cal: WorkCalendar) -> dt.date:
    """Next week's Monday meeting; when that Monday is a holiday (清明 2026:
    Mon Apr 6), the first working day after it."""
    day = monday + dt.timedelta(days=7)
    return cal.week_first_workday(day) or cal.next_workday(day)


SECTIONS = ("done_recent", "due_week", "in_progress", "blocked", "overdue")


def section_label(key: str, lang: str) -> str:
    return {
        "done_recent": tr(lang, "上周以来完成", "Done since last week"),
        "due_week": tr(lang, "本周到期", "Due this week"),
        "in_progress": tr(lang, "进行中", "In progress"),
        "blocked": tr(lang, "阻塞", "Blocked"),
        "overdue": GANTT.col("overdue").header(lang),
    }[key]


def build(
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar,
    lang: str = "zh",
    findings=None,
    week: int | None = None,
    slip=None,
    fig: Figures | None = None,
    annex: bool = False,
    **_,
) -> dict:
    """The weekly report's context. Each table lists at most the 参数 sheet's
    报告每表最多行数 rows, the most urgent (:func:`most_urgent`); ``*_more``
    says how many more there are. ``annex``: every task of the department
    sections in ``annex_rows`` (the template's annex table)."""
    day = report_date(data, as_of, week)
    n = week_number(data, day)
    mon = week_monday(data, n, day)
    sun = mon + dt.timedelta(days=6)
    last_mon = mon - dt.timedelta(days=7)
    ctx = base_context(data, day, lang, tr(lang, *TITLE))
    ctx.update(
        week=n,
        week_start=mon.isoformat(),
        week_end=sun.isoformat(),
        last_week_start=last_mon.isoformat(),
        next_meeting=next_meeting(mon, cal).isoformat(),
    )
    top = report_rows(data)

    if fig is None or fig.as_of != day:
        fig = figures(data, day, cal)
    tt = TaskTable(fig.task_table, day)
    leaves = fig.tasks
    today = pd.Timestamp(day)
    af = pd.to_datetime(leaves["actual_finish"])
    pf = pd.to_datetime(leaves["planned_finish"])
    status = leaves["status"]
    done = (status == "done").fillna(False).astype(bool)
    blocked = (status == "blocked").fillna(False).astype(bool)
    overdue = leaves["overdue"].fillna(False).astype(bool)
    done_recent = done & (af >= pd.Timestamp(last_mon)) & (af <= today)
    due_week = ~done & ~blocked & ~overdue & (pf >= today) & (pf <= pd.Timestamp(sun))
    in_progress = (status == "in_progress").fillna(False).astype(bool) & ~overdue & ~due_week
    sections = {
        "done_recent": done_recent,
        "due_week": due_week,
        "in_progress": in_progress,
        "blocked": blocked,
        "overdue": overdue,
    }

    drows = department_rows(data)
    dept_of = leaves["department"].map(text)
    # each section's tasks by department, split once
    by_dept = {
        key: {d: rows for d, rows in leaves[mask].groupby(dept_of[mask], sort=False)}
        for key, mask in sections.items()
    }
    none = leaves.iloc[:0]
    groups = []
    annex_rows: list[dict] = []
    for df in fig.departments:
        dept = df.name
        g = {
            "name": dept,
            "liaison": drows.get(dept, {}).get("liaison", ""),
            "total": df.tasks,
            "done": df.done,
            "done_pct": fmt_pct(df.done / df.tasks) if df.tasks else "",
            "in_progress_total": df.by_status["in_progress"],
            "blocked_total": df.blocked,
            "overdue_total": df.overdue,
        }
        for key in sections:
            rows = by_dept[key].get(dept, none)
            g[key] = task_rows(most_urgent(rows, top), lang)
            g[key + "_count"] = len(rows)
            g[key + "_more"] = more_line(len(rows) - len(g[key]), lang, annex)
            if annex:
                annex_rows += annex_task_rows(rows, dept, section_label(key, lang), lang)
        g["line"] = tr(
            lang,
            f"共{g['total']}项，已完成{g['done']}项（{g['done_pct']}），"
            f"进行中{df.by_status['in_progress']}项，"
            f"阻塞{df.blocked}项，逾期{df.overdue}项；上周以来完成{g['done_recent_count']}项，"
            f"本周到期{g['due_week_count']}项",
            f"{g['total']} tasks, {g['done']} done ({g['done_pct']}), in progress "
            f"{df.by_status['in_progress']}, blocked {df.blocked}, overdue {df.overdue}; done "
            f"since last week {g['done_recent_count']}, due this week {g['due_week_count']}",
        )
        g["quiet"] = not any(g[k + "_count"] for k in sections)
        if g["quiet"]:
            g["line"] += tr(lang, "；本周无需汇报的事项。", "; nothing to report this week.")
        groups.append(g)
    ctx["departments"] = groups
    ctx["annex"] = annex
    ctx["annex_count"] = len(annex_rows)
    ctx["annex_rows"] = annex_rows

    ctx["figures"] = {
        "tasks": fig.total,
        "done": fig.done,
        "in_progress": fig.in_progress,
        "not_started": fig.not_started,
        "blocked": fig.blocked,
        "overdue": fig.overdue,
        "due_soon": fig.due_soon,
        "done_recent": int(done_recent.sum()),
        "due_week": int(due_week.sum()),
        "done_pct": fmt_pct(fig.done_pct) if fig.total else "",
        "escalations": dict(fig.escalations),
        "spent": fmt_money(fig.spent),
        "budget": fmt_money(fig.budget),
        "unbudgeted": fmt_money(fig.unbudgeted),
    }
    ctx["project"]["phase"] = phase_label(fig.phase, lang) or ctx["project"]["phase"]
    ctx["blocked"] = task_rows(most_urgent(leaves[blocked], top), lang)
    ctx["overdue"] = task_rows(most_urgent(leaves[overdue], top), lang)

    esc = escalation_rows(data, lang, until=day)
    ctx["escalations"], _ = limited(esc, top)
    levels = escalations_by_level(esc, lang, fig.escalations)
    for lv in levels:
        lv["entries"], k = limited(lv["entries"], top)
        lv["more"] = more_line(k, lang)
    ctx["escalation_levels"] = levels
    ctx["escalations_open"] = sum(e["open"] for e in esc)

    risks = fig.risk_table
    ctx["risks"], k = focus_risks(risks, last_mon, lang, top)
    ctx["risks_more"] = more_line(k - len(ctx["risks"]), lang)
    ctx["actions"], k = limited(open_actions(data, day, cal, lang), top)
    ctx["actions_more"] = more_line(k, lang)
    ctx["last_meeting"] = last_meeting(data, day)
    ctx["decisions"], k = limited(decisions_needed(data, tt, risks, esc, lang, fig.money), top)
    ctx["decisions_more"] = more_line(k, lang)
    ctx["budget_total"] = budget_total(fig.money, lang)
    ctx["has_gantt"] = ctx["has_progress"] = True
    ctx["baseline"] = slippage_context(slip, lang, min(top, SLIP_TOP))
    return ctx


def annex_task_rows(tasks: pd.DataFrame, department: str, section: str, lang: str) -> list[dict]:
    """Every task of a department's section as annex rows (plain text, WBS
    order): department, section, WBS, name, owner, planned finish, days late,
    status."""
    cols = ("wbs", "name", "owner", "planned_finish", "days_late", "status")
    records = list(zip(*(tasks[c] for c in cols), strict=True))
    records.sort(key=lambda r: wbs_key(r[0]))
    return [
        {
            "department": department,
            "section": section,
            "wbs": text(w),
            "name": text(nm),
            "owner": text(o),
            "finish": iso_date(f),
            "days_late": fmt_int(late),
            "status": status_label(st, lang),
        }
        for w, nm, o, f, late, st in records
    ]


def focus_risks(
    risks: pd.DataFrame, since: dt.date, lang: str, top: int | None = None
) -> tuple[list[dict], int]:
    """Open risks that are high, were identified on or after ``since``, or
    whose two-weekly review is overdue, highest score first (the first
    ``top`` of them), and how many there are; ``tag`` says which (新增 / 高 /
    复核逾期)."""
    picked = []
    for r in risks.to_dict("records"):
        if is_missing(r["risk_id"]) or r["status"] == "closed":
            continue
        new = not is_missing(r["identified"]) and pd.Timestamp(r["identified"]) >= pd.Timestamp(
            since
        )
        high = r["level"] == "high"
        review = bool(r.get("review_overdue")) and not is_missing(r.get("review_overdue"))
        if not (new or high or review):
            continue
        score = int(r["score"]) if not is_missing(r["score"]) else -1
        picked.append((-score, text(r["risk_id"]), r, new, high, review))
    picked.sort(key=lambda x: x[:2])
    out = []
    for _, _, r, new, high, review in picked[:top]:
        row = risk_row(r, lang)
        tags = (
            ([tr(lang, "新增", "new")] if new else [])
            + ([tr(lang, "高", "high")] if high else [])
            + ([RISKS.col("review_overdue").header(lang).lower()] if review else [])
        )
        row["tag"] = tr(lang, "、".join(tags), ", ".join(tags))
        row["new"], row["high"] = new, high
        out.append(row)
    return out, len(picked)


def last_meeting(data: ProjectData, day: dt.date) -> str:
    """The date of the last weekly meeting held on or before ``day`` ('' when
    none)."""
    m = data.tables["meetings"]
    dates = [
        to_date(d)
        for d, t in zip(m["date"], m["type"], strict=False)
        if not is_missing(d) and t == "weekly" and to_date(d) <= day
    ]
    return max(dates).isoformat() if dates else ""


def open_actions(data: ProjectData, day: dt.date, cal: WorkCalendar, lang: str) -> list[dict]:
    """Action items from the meetings held on or before ``day`` that are not
    done (the last meeting's and any older one still open), oldest due
    first; ``state`` says 已逾期 when the due date has passed."""
    out = []
    for r in data.tables["meetings"].to_dict("records"):
        if is_missing(r["action_item"]) or is_missing(r["date"]) or to_date(r["date"]) > day:
            continue
        if not is_missing(r.get("action_done")) and bool(r["action_done"]):
            continue
        due = None if is_missing(r.get("action_due")) else to_date(r["action_due"])
        late = due is not None and due < day
        out.append(
            {
                "meeting": iso_date(r["date"]),
                "type": label(MEETING_TYPE, r.get("type"), lang),
                "item": text(r["action_item"]),
                "owner": text(r.get("action_owner")),
                "due": iso_date(due),
                "late": late,
                "state": tr(lang, "已逾期", "Past due") if late else tr(lang, "未到期", "Open"),
                "_key": (due or dt.date.max, iso_date(r["date"])),
            }
        )
    out.sort(key=lambda x: x["_key"])
    for x in out:
        del x["_key"]
    return out
