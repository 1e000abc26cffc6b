"""What the status page shows, as plain strings: the figures of
:mod:`xlcollab.core.figures` formatted in the page's language.

Nothing here computes a figure; it picks, labels and formats them. Every
text that comes from the workbook passes :func:`public_text`: e-mail
addresses are hidden unless the 参数 setting 页面显示邮箱 allows them (the
HTML layer escapes everything it prints). No path, setting value or
environment variable reaches the page.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pandas as pd

from xlcollab.core import figures as F
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.network import wbs_key
from xlcollab.history.ladder import goes_to
from xlcollab.model import ProjectData, is_missing, messages
from xlcollab.model.dates import iso_date, to_date
from xlcollab.page.svg_gantt import MAX_ROWS, GanttRow, gantt_svg
from xlcollab.reports.common import (
    escalation_label,
    fmt_int,
    fmt_money,
    fmt_pct,
    phase_label,
    review_label,
    risk_level_label,
    role_label,
    status_label,
    text,
)
from xlcollab.schema import SHEETS
from xlcollab.schema.lang import tr

__all__ = ["PageOptions", "page_context", "public_text", "LIGHT_RULE"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
CHANGES_SHOWN = 60
PROBLEMS_SHOWN = 200  # the most urgent; the workbook has the rest

LIGHT_RULE = {
    "zh": "红灯：有任务阻塞至“总负责人决策”、支出超过预算，或逾期任务超过未完成任务的 20%；"
    "黄灯：有任务阻塞至“项目经理协调”、有逾期任务、有高风险缺少应急预案，或支出超过预算的 90%；"
    "其余为绿灯。",
    "en": "Red: a task blocked at 'Project lead decides', spending above the budget, or more "
    "than 20% of the open tasks overdue; yellow: a task blocked at 'PM coordinates', any "
    "overdue task, "
    "a high risk without a contingency plan, or spending above 90% of the budget; "
    "green otherwise.",
}
REASONS = {
    "blocked_lead": ("有任务阻塞至总负责人决策", "a task is blocked at 'Project lead decides'"),
    "over_budget": ("支出超过预算", "spending is above the budget"),
    "overdue_share": ("逾期任务超过未完成任务的 20%", "over 20% of open tasks are overdue"),
    "blocked_pm": ("有任务阻塞至项目经理协调", "a task is blocked at 'PM coordinates'"),
    "overdue": ("有逾期任务", "tasks are overdue"),
    "risk_no_plan": ("高风险缺少应急预案", "a high risk has no contingency plan"),
    "budget_90": ("支出超过预算的 90%", "spending is above 90% of the budget"),
}
LIGHTS = {"green": ("绿灯", "Green"), "yellow": ("黄灯", "Yellow"), "red": ("红灯", "Red")}


@dataclass
class PageOptions:
    """How a page is made: its language, the moment it is made (the only
    clock value, given by the caller), the history's blocked-since dates and
    changes (None: no history yet), and whether e-mail addresses may show."""

    lang: str = "zh"
    generated_at: dt.datetime | None = None
    blocked_since: dict[str, dt.date] | None = None
    changes: list | None = None
    show_email: bool = False
    portfolio_link: str | None = None
    run_date: dt.date | None = None  # the history's run the changes belong to
    previous_run: dt.date | None = None  # the run they are measured from (None: first run)


def public_text(value, show_email: bool = False) -> str:
    """A workbook value as text fit to publish (e-mail addresses hidden
    unless allowed)."""
    t = text(value)
    return t if show_email else EMAIL.sub("[…]", t)


def _light(fig: F.StatusFigures, lang: str) -> dict:
    return {
        "key": fig.light,
        "label": tr(lang, *LIGHTS[fig.light]),
        "reasons": [tr(lang, *REASONS[r]) for r in fig.light_reasons],
        "rule": LIGHT_RULE[lang],
    }


def _cards(fig: F.StatusFigures, lang: str) -> list[dict]:
    def card(key, label, value, sub="", tone=""):
        return {"key": key, "label": label, "value": value, "sub": sub, "tone": tone}

    pct = fig.spent_pct
    return [
        card(
            "progress",
            tr(lang, "进度", "Progress"),
            fmt_pct(fig.progress),
            tr(lang, f"已完成 {fig.done} / {fig.tasks} 项", f"{fig.done} of {fig.tasks} done"),
        ),
        card("tasks", messages.label("task_count", lang), str(fig.tasks)),
        card("in_progress", tr(lang, "进行中", "In progress"), str(fig.in_progress)),
        card(
            "blocked", tr(lang, "阻塞", "Blocked"), str(fig.blocked), tone="bad" * bool(fig.blocked)
        ),
        card(
            "overdue",
            messages.label("overdue", lang),
            str(fig.overdue),
            tone="bad" * bool(fig.overdue),
        ),
        card("due_soon", messages.label("due_soon", lang), str(fig.due_soon)),
        card(
            "risks_high",
            tr(lang, "高风险", "High risks"),
            str(fig.risks_high),
            tr(
                lang,
                f"{fig.risks_high_no_plan} 项缺少预案",
                f"{fig.risks_high_no_plan} without plan",
            )
            if fig.risks_high_no_plan
            else "",
            tone="warn" * bool(fig.risks_high),
        ),
        card(
            "spent",
            messages.label("spent", lang),
            fmt_money(fig.spent),
            tr(lang, f"预算 {fmt_money(fig.budget)}", f"budget {fmt_money(fig.budget)}")
            + (f" · {fmt_pct(pct)}" if pct is not None else ""),
            tone="bad" * bool(fig.budget and fig.spent > fig.budget),
        ),
        card(
            "milestones",
            messages.label("milestones", lang),
            f"{fig.milestones_reached}/{fig.milestones}",
            (
                tr(lang, "下一个：", "next: ")
                + f"{fig.next_milestone} {iso_date(fig.next_milestone_date)}"
            )
            if fig.next_milestone
            else "",
        ),
    ]


def _most_urgent(problems: pd.DataFrame) -> list[dict]:
    """Blocked tasks first, highest ladder level and longest blocked first;
    then overdue tasks, most working days late first."""
    rank = {lv: i for i, lv in enumerate(reversed(F.LEVELS))}

    def key(r):
        blocked = r["status"] == "blocked"
        days = r["days_blocked"] if blocked else r["days_late"]
        days = 0 if is_missing(days) else int(days)
        return (0 if blocked else 1, rank.get(r["level"], 9), -days, wbs_key(r["wbs"]))

    return sorted(problems.to_dict("records"), key=key)


def _task(r, lang: str, show_email: bool) -> dict:
    return {
        "wbs": text(r["wbs"]),
        "name": public_text(r["name"], show_email),
        "department": public_text(r["department"], show_email),
        "owner": public_text(r.get("owner"), show_email),
        "status": status_label(r.get("status"), lang),
        "status_key": text(r.get("status")),
        "finish": iso_date(r.get("planned_finish")),
        "days_late": fmt_int(r["days_late"]) if r["overdue"] else "",
        "blocked_since": iso_date(r.get("blocked_since")),
        "days_blocked": fmt_int(r.get("days_blocked")),
        "reason": public_text(r.get("blocked_reason"), show_email),
        "level": escalation_label(r.get("level"), lang),
        "level_key": text(r.get("level")),
    }


def _levels(data, tasks: pd.DataFrame, fig: F.StatusFigures, lang: str, show: bool) -> list[dict]:
    out = []
    leaves = tasks[tasks["leaf"]]
    for lv in reversed(F.LEVELS):
        rows = leaves[leaves["level"] == lv]
        entries = []
        for r in rows.to_dict("records"):
            row = _task(r, lang, show)
            row["who"] = public_text(goes_to(data, lv, text(r["department"])), show)
            entries.append(row)
        who = {
            "department": tr(lang, "各部门对接人", "each department's liaison"),
            "pm": public_text(goes_to(data, "pm", None), show) or role_label("pm", lang),
            "lead": public_text(goes_to(data, "lead", None), show)
            or role_label("project_lead", lang),
        }[lv]
        out.append(
            {
                "key": lv,
                "label": escalation_label(lv, lang),
                "count": fig.blocked_at[lv],
                "who": who,
                "entries": entries,
            }
        )
    return out


def _gantt(tasks: pd.DataFrame, ms: pd.DataFrame, as_of: dt.date, lang: str, show: bool) -> str:
    rows = [
        GanttRow(
            wbs=text(r["wbs"]),
            name=public_text(r["name"], show),
            start=_date(r.get("planned_start")),
            finish=_date(r.get("planned_finish")),
            status=text(r.get("status")) or None,
            summary=not r["leaf"],
            overdue=bool(r["overdue"]),
            depth=text(r["wbs"]).count("."),
        )
        for r in tasks.to_dict("records")
    ]
    more = len(rows) - MAX_ROWS
    return gantt_svg(
        rows,
        [
            (public_text(r["name"], show), r["planned"])
            for r in ms.to_dict("records")
            if r["planned"]
        ],
        as_of,
        title=messages.label("gantt", lang),
        today_label=tr(lang, f"状态日期 {as_of}", f"status date {as_of}"),
        more_label=tr(lang, f"…… 另有 {more} 行未画出", f"… {more} more rows not drawn")
        if more > 0
        else None,
    )


def _date(v) -> dt.date | None:
    return None if is_missing(v) else to_date(v)


def _record_names(data: ProjectData) -> dict[str, dict[str, str]]:
    """What a changed record is called now: tasks by WBS code, risks by ID."""
    tasks, risks = data.tables["tasks"], data.tables["risks"]
    return {
        "tasks": {text(k): text(v) for k, v in zip(tasks["wbs"], tasks["name"], strict=False)},
        "risks": {
            text(k): text(v) for k, v in zip(risks["risk_id"], risks["description"], strict=False)
        },
    }


def _changes(
    options: PageOptions, names: dict[str, dict[str, str]], lang: str, show: bool
) -> dict | None:
    changes = options.changes
    if changes is None:
        return None
    kinds = {
        "added": ("新增", "Added"),
        "removed": ("删除", "Removed"),
        "changed": ("修改", "Changed"),
    }
    items = list(changes)
    rows = []
    for c in items[:CHANGES_SHOWN]:
        sheet = SHEETS.get(c.sheet)
        fieldname = ""
        if c.field and sheet is not None:
            try:
                fieldname = sheet.col(c.field).header(lang)
            except KeyError:
                fieldname = c.field
        old, new = c.old, c.new
        if isinstance(old, dict) or isinstance(new, dict):  # a whole row added/removed
            row = new if isinstance(new, dict) else old
            old, new = "", ""
            if not names.get(c.sheet, {}).get(str(c.key)):  # removed: its last name
                old = row.get("name") or row.get("description") or ""
        rows.append(
            {
                "sheet": sheet.name(lang) if sheet is not None else c.sheet,
                "key": public_text(c.key, show),
                "name": public_text(names.get(c.sheet, {}).get(str(c.key), ""), show),
                "kind": tr(lang, *kinds.get(c.kind, (c.kind, c.kind))),
                "field": fieldname,
                "old": _change_value(c.field, old, lang, show),
                "new": _change_value(c.field, new, lang, show),
            }
        )
    first = options.run_date is not None and options.previous_run is None
    return {
        "rows": [] if first else rows,
        "total": len(items),
        "more": max(len(items) - CHANGES_SHOWN, 0),
        "first": first,
        "run_date": iso_date(options.run_date),
        "previous": iso_date(options.previous_run),
    }


def _change_value(fieldname, value, lang: str, show: bool) -> str:
    if fieldname == "status":
        return status_label(value, lang)
    if fieldname == "escalation":
        return escalation_label(value, lang)
    return public_text(value, show)


def page_context(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, options: PageOptions
) -> dict:
    """Everything the page template prints, formatted."""
    lang, show = options.lang, options.show_email
    figs = F.figures(data, as_of, cal, options.blocked_since)
    tasks = F.page_tasks(figs)
    fig = F.page_figures(figs)
    leaves = tasks[tasks["leaf"]]
    problems = leaves[(leaves["status"] == "blocked") | leaves["overdue"]]
    money = F.spending_by_department(figs)
    ms = figs.milestone_table
    risks = F.top_risks(figs)
    project = public_text(data.overview.get("name"), show) or tr(lang, "未命名项目", "Untitled")
    generated = options.generated_at
    return {
        "lang": lang,
        "html_lang": tr(lang, "zh-CN", "en"),
        "project": project,
        "as_of": as_of.isoformat(),
        "generated": generated.strftime("%Y-%m-%d %H:%M") if generated else "",
        "phase": phase_label(fig.phase, lang),
        "period": f"{iso_date(data.overview.get('start_date'))} — "
        f"{iso_date(data.overview.get('end_date'))}",
        "lead": public_text(goes_to(data, "lead", None), show),
        "pm": public_text(goes_to(data, "pm", None), show),
        "light": _light(fig, lang),
        "cards": _cards(fig, lang),
        "levels": _levels(data, tasks, fig, lang, show),
        "escalation_sheet": SHEETS["escalations"].name(lang),
        "departments": [
            {k: (public_text(v, show) if k == "department" else v) for k, v in r.items()}
            for r in F.department_status(figs).to_dict("records")
        ],
        "problems": [_task(r, lang, show) for r in _most_urgent(problems)[:PROBLEMS_SHOWN]],
        "problems_total": len(problems),
        "milestones": [
            {
                "name": public_text(r["name"], show),
                "phase": phase_label(r["phase"], lang),
                "planned": iso_date(r["planned"]),
                "actual": iso_date(r["actual"]),
                "state": tr(lang, "已达成", "Reached")
                if r["reached"]
                else (tr(lang, "已逾期", "Late") if r["late"] else tr(lang, "未到期", "Upcoming")),
                "state_key": "done" if r["reached"] else ("late" if r["late"] else "open"),
                "review": review_label(r["review_result"], lang),
            }
            for r in ms.to_dict("records")
        ],
        "risks": [
            {
                "id": public_text(r["risk_id"], show),
                "description": public_text(r["description"], show),
                "score": fmt_int(r["score"]),
                "level": risk_level_label(r["level"], lang),
                "level_key": text(r["level"]),
                "owner": public_text(r["owner"], show),
                "contingency": public_text(r["contingency"], show)
                or tr(lang, "（缺少应急预案）", "(no contingency plan)"),
            }
            for r in risks.to_dict("records")
        ],
        "budget": [
            {
                "department": public_text(r["department"], show),
                "budget": fmt_money(r["budget"]),
                "spent": fmt_money(r["spent"]),
                "remaining": fmt_money(r["remaining"]),
                "pct": fmt_pct(r["used_pct"]) if r["used_pct"] is not None else "",
                "bar": min(100, round(100 * r["used_pct"])) if r["used_pct"] is not None else 0,
                "over": bool(r["budget"] and r["spent"] > r["budget"]),
                "unbudgeted": fmt_money(r["unbudgeted"]) if r["unbudgeted"] else "",
            }
            for r in money.to_dict("records")
        ],
        "budget_total": {
            "budget": fmt_money(fig.budget),
            "spent": fmt_money(fig.spent),
            "remaining": fmt_money(fig.budget - fig.spent),
            "pct": fmt_pct(fig.spent_pct) if fig.spent_pct is not None else "",
            "unbudgeted": fmt_money(fig.unbudgeted) if fig.unbudgeted else "",
        },
        "gantt": _gantt(tasks, ms, as_of, lang, show),
        "changes": _changes(options, _record_names(data), lang, show),
        "portfolio_link": options.portfolio_link,
        "figures": fig,
    }
