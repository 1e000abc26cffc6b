"""月度高层简报 the monthly executive briefing (.pptx): one slide each for
the status at a glance, milestones, what the project lead decides (level 3,
总负责人决策: the ladder's problems, then the budget overspends awaiting
approval), budget (with the unbudgeted spending), top risks and decisions
needed.

``month='YYYY-MM'`` picks the month (default: the month of ``as_of``); the
briefing is as of ``as_of`` when that falls in the month, else as of the
month's last day.
"""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import Figures, figures
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date, to_date
from xlcollab.reports.common import (
    TaskTable,
    base_context,
    budget_by_department,
    budget_total,
    decisions_needed,
    escalation_rows,
    fmt_money,
    fmt_month,
    fmt_pct,
    limited,
    month_bounds,
    most_urgent,
    over_budget_lines,
    phase_label,
    report_rows,
    risk_row,
    task_rows,
    text,
)
from xlcollab.schema.lang import tr

TITLE = ("月度高层简报", "Monthly executive briefing")  # zh, en
TOP_RISKS = 5


def report_date(as_of: dt.date, month: str | None) -> tuple[dt.date, dt.date, dt.date]:
    """(first day, last day, as-of date) of the briefing's month."""
    first, last = month_bounds(month or as_of.strftime("%Y-%m"))
    return first, last, as_of if first <= as_of <= last else last


def build(
    data: ProjectData,
    as_of: dt.date,
    cal: WorkCalendar,
    lang: str = "zh",
    findings=None,
    month: str | None = None,
    fig: Figures | None = None,
    **_,
) -> dict:
    """The briefing's context; its lists hold at most the 参数 sheet's
    报告每表最多行数 rows, the most urgent, with ``*_total`` counting all."""
    first, last, day = report_date(as_of, month)
    top = report_rows(data)
    ctx = base_context(data, day, lang, tr(lang, *TITLE))
    ctx["month"] = first.strftime("%Y-%m")
    ctx["month_label"] = fmt_month(first, lang)
    if fig is None or fig.as_of != day:
        fig = figures(data, day, cal)
    tt = TaskTable(fig.task_table, day)
    leaves = fig.tasks
    blocked = fig.blocked
    overdue = fig.overdue
    # a monthly document: money to the month's end, as the fund report
    money = fig.money_month(ctx["month"], lang)
    rows = budget_by_department(money)
    total = budget_total(money, lang)
    esc = escalation_rows(data, lang, until=day)
    risks = fig.risk_table
    decisions = decisions_needed(data, tt, risks, esc, lang, money)

    lead_all = leaves[leaves["escalation_now"] == "lead"]
    lead_blocked = task_rows(most_urgent(lead_all, top), lang)
    level3 = [
        e
        for e in esc
        if e["level_key"] == "lead"
        and (
            e["open"]
            or (e["raised_on"] and first.isoformat() <= e["raised_on"] <= last.isoformat())
            or (e["closed_on"] and first.isoformat() <= e["closed_on"] <= last.isoformat())
        )
    ]
    red = bool(lead_blocked or any(e["open"] for e in level3))
    amber = bool(blocked or overdue or any(r["over"] for r in rows))
    rag = "red" if red else "amber" if amber else "green"
    ctx["status"] = {
        "rag": rag,
        "rag_label": {
            "red": tr(lang, "红：需总负责人决策", "Red: the lead must decide"),
            "amber": tr(
                lang,
                "黄：存在阻塞/逾期/超支，可控",
                "Amber: blocked, overdue or overspent items, under control",
            ),
            "green": tr(lang, "绿：按计划推进", "Green: on plan"),
        }[rag],
        "tasks": fig.total,
        "done": fig.done,
        "done_pct": fmt_pct(fig.done_pct) if fig.total else "",
        "in_progress": fig.in_progress,
        "blocked": blocked,
        "overdue": overdue,
        "budget": total["budget"],
        "used": total["used"],
        "used_pct": total["used_pct"],
        "month_spent": total["month"],
        "unbudgeted": fmt_money(total["unbudgeted_value"]),
        "escalations": dict(fig.escalations),
        "phase": phase_label(fig.phase, lang) or ctx["project"]["phase"],
    }
    ms = data.tables["milestones"]
    ms = ms[ms["name"].map(lambda n: not is_missing(n)).astype(bool)].sort_values("planned_date")
    ctx["milestones"] = []
    ctx["milestones_total"] = len(ms)
    for _, r in ms.head(top).iterrows():
        planned = to_date(r["planned_date"]) if not is_missing(r["planned_date"]) else None
        actual = to_date(r["actual_date"]) if not is_missing(r.get("actual_date")) else None
        state = (
            tr(lang, "已达成", "Reached")
            if actual
            else tr(lang, "已延期", "Late")
            if planned and planned < day
            else tr(lang, "本月到期", "Due this month")
            if planned and planned <= last
            else tr(lang, "计划中", "Planned")
        )
        ctx["milestones"].append(
            {
                "name": text(r["name"]),
                "planned": iso_date(planned),
                "actual": iso_date(actual),
                "state": state,
            }
        )
    ctx["level3"], _ = limited(level3, top)
    ctx["level3_blocked"] = lead_blocked
    ctx["level3_total"] = len(level3) + len(lead_all)
    # the lead also decides budget overspends (not problems: not on the ladder)
    ctx["level3_budget"] = over_budget_lines(money)
    ctx["budget"] = rows
    ctx["budget_total"] = total
    open_risks = [
        r
        for r in risks.to_dict("records")
        if not is_missing(r["risk_id"]) and r["status"] != "closed"
    ]
    open_risks.sort(
        key=lambda r: (-(int(r["score"]) if not is_missing(r["score"]) else -1), text(r["risk_id"]))
    )
    ctx["risks"] = [risk_row(r, lang) for r in open_risks[:TOP_RISKS]]
    ctx["decisions"], _ = limited(decisions, top)
    ctx["decisions_total"] = len(decisions)
    return ctx
