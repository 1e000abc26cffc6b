"""《项目总结报告》 the project summary report (week 9): results against
goals and success criteria, schedule and budget performance, lessons
learned, suggestions for better collaboration, the department scorecard
(on-time rate, blocked days caused), nominations for the 协同先锋奖 and
the departments with records of delay.

On-time rate of a department: of its work packages that are done or
overdue on ``as_of``, the share done with no working day late. Blocked days
caused: the working days its blocked tasks have been blocked (from
``blocked_since``). Nominations: departments, then people (task owners),
ranked by on-time rate and then by tasks done, at least two counted tasks.
"""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar, to_date
from xlcollab.model import ProjectData
from xlcollab.reports.common import (
    base_context,
    budget_by_department,
    budget_total,
    departments,
    escalation_rows,
    fmt_date,
    fmt_pct,
    is_missing,
    risk_status_label,
    risk_table,
    task_table,
    text,
    tr,
)
from xlcollab.reports.quality import deliverable_rows
from xlcollab.schema import SHEETS

TITLE = {"zh": "项目总结报告", "en": "Project summary report"}
MIN_COUNTED = 2  # tasks a department or person needs to be ranked


def scorecard(tt, by: str = "department") -> list[dict]:
    """Per department (or owner): tasks, done, counted, on time, on-time
    rate, working days late, blocked days; in first-seen order."""
    leaves = tt.leaves
    done = (leaves["status"] == "done").fillna(False).astype(bool)
    overdue = leaves["overdue"].fillna(False).astype(bool)
    late = leaves["days_late"].fillna(0).astype(int)
    blocked_days = leaves["blocked_days"].fillna(0).astype(int)
    out = []
    for key in dict.fromkeys(text(v) for v in leaves[by] if not is_missing(v)):
        m = (leaves[by] == key).fillna(False).astype(bool)
        counted = m & (done | overdue)
        on_time = m & done & (late == 0)
        n_counted = int(counted.sum())
        rate = on_time.sum() / n_counted if n_counted else None
        late_tasks = leaves[m & (done | overdue) & (late > 0)]
        out.append(
            {
                "name": key,
                "tasks": int(m.sum()),
                "done": int((m & done).sum()),
                "counted": n_counted,
                "on_time": int(on_time.sum()),
                "on_time_rate": fmt_pct(rate) if rate is not None else "",
                "rate_value": float(rate) if rate is not None else None,
                "days_late": int(late[m & (done | overdue)].sum()),
                "late_count": len(late_tasks),
                "late_tasks": [
                    f"{text(w)} {text(n)}"
                    for w, n in zip(late_tasks["wbs"], late_tasks["name"], strict=False)
                ],
                "blocked_days": int(blocked_days[m].sum()),
                "blocked_count": int((m & (leaves["status"] == "blocked").fillna(False)).sum()),
            }
        )
    return out


def nominations(cards: list[dict], n: int = 3) -> list[dict]:
    ranked = [c for c in cards if c["counted"] >= MIN_COUNTED and c["rate_value"] is not None]
    ranked.sort(key=lambda c: (-c["rate_value"], -c["done"], c["days_late"], c["name"]))
    return ranked[:n]


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, TITLE[lang])
    tt = task_table(data, as_of, cal)
    leaves = tt.leaves
    done = int((leaves["status"] == "done").sum())
    dl = deliverable_rows(data, lang)
    ms = data.tables["milestones"]
    ms = ms[[not is_missing(n) for n in ms["name"]]].sort_values("planned_date")
    milestones = []
    for _, r in ms.iterrows():
        planned = to_date(r["planned_date"]) if not is_missing(r["planned_date"]) else None
        actual = to_date(r["actual_date"]) if not is_missing(r.get("actual_date")) else None
        if actual and planned:
            var = cal.workdays_between(planned, actual)
            state = (
                tr(lang, "按期达成", "On time")
                if var == 0
                else tr(lang, f"延期{var}个工作日达成", f"Reached {var} working days late")
            )
        elif planned and planned < as_of:
            var = cal.workdays_between(planned, as_of)
            state = tr(
                lang, f"未达成，已延期{var}个工作日", f"Not reached, {var} working days late"
            )
        else:
            var, state = 0, tr(lang, "未到期", "Not yet due")
        milestones.append(
            {
                "name": text(r["name"]),
                "planned": fmt_date(planned),
                "actual": fmt_date(actual),
                "variance": var,
                "state": state,
                "on_time": bool(actual and var == 0),
            }
        )
    reached = sum(1 for m in milestones if m["actual"])
    cards = scorecard(tt)
    order = {d: i for i, d in enumerate(departments(data))}
    cards.sort(key=lambda c: order.get(c["name"], 999))
    overall_counted = sum(c["counted"] for c in cards)
    overall_on_time = sum(c["on_time"] for c in cards)
    ctx["results"] = {
        "tasks": len(leaves),
        "done": done,
        "done_pct": fmt_pct(done / len(leaves)) if len(leaves) else "",
        "milestones": len(milestones),
        "milestones_reached": reached,
        "milestones_on_time": sum(m["on_time"] for m in milestones),
        "deliverables": len(dl),
        "accepted": sum(d["accepted_flag"] for d in dl),
        "on_time_rate": fmt_pct(overall_on_time / overall_counted) if overall_counted else "",
    }
    ctx["goals"] = ctx["project"]["goals"]
    ctx["criteria"] = [{"text": c, "assessment": ""} for c in ctx["project"]["success_items"]]
    ctx["milestones"] = milestones
    rows = budget_by_department(data)
    ctx["budget"] = rows
    ctx["budget_total"] = budget_total(rows, lang)
    ctx["scorecard"] = cards
    ctx["nominated_departments"] = nominations(cards)
    ctx["nominated_people"] = nominations(scorecard(tt, by="owner"))
    ctx["delays"] = [
        dict(c, late_list=("；" if lang == "zh" else "; ").join(c["late_tasks"]))
        for c in cards
        if c["late_count"] or c["blocked_days"]
    ]
    ctx["lessons"] = lessons(data, as_of, lang)
    ctx["suggestions"] = suggestions(cards, ctx, lang)
    return ctx


def lessons(data: ProjectData, as_of: dt.date, lang: str) -> list[dict]:
    """What the records teach: escalations and their decisions, risks that
    occurred and what was done."""
    out = []
    for e in escalation_rows(data, lang, until=as_of):
        out.append(
            {
                "topic": e["issue"],
                "source": f"{SHEETS['escalations'].name(lang)}·{e['level']}",
                "lesson": e["decision"] or tr(lang, "（尚无处理决定）", "(no decision yet)"),
            }
        )
    risks = risk_table(data, as_of)
    for r in risks.to_dict("records"):
        if r["status"] == "occurred":
            out.append(
                {
                    "topic": text(r["description"]),
                    "source": f"{tr(lang, '风险', 'Risk')} {text(r['risk_id'])}·"
                    f"{risk_status_label(r['status'], lang)}",
                    "lesson": text(r.get("contingency")),
                }
            )
    return out


def suggestions(cards: list[dict], ctx: dict, lang: str) -> list[str]:
    out = []
    blocked = [c for c in cards if c["blocked_days"]]
    if blocked:
        worst = max(blocked, key=lambda c: c["blocked_days"])
        out.append(
            tr(
                lang,
                f"{worst['name']}的任务累计阻塞{worst['blocked_days']}个工作日：外部依赖应在计划阶段"
                f"锁定交付承诺，阻塞超过2个工作日即按升级机制上报。",
                f"{worst['name']}'s tasks were blocked for {worst['blocked_days']} working days: "
                f"lock external commitments during planning and escalate after 2 blocked days.",
            )
        )
    weak = [
        c
        for c in cards
        if c["rate_value"] is not None and c["rate_value"] < 0.6 and c["counted"] >= MIN_COUNTED
    ]
    if weak:
        names = (
            "、".join(c["name"] for c in weak)
            if lang == "zh"
            else ", ".join(c["name"] for c in weak)
        )
        out.append(
            tr(
                lang,
                f"{names}按期完成率低于60%：建议在周例会上提前预警并细化任务颗粒度。",
                f"{names}: on-time rate below 60%; warn earlier in the weekly meeting and "
                f"split tasks finer.",
            )
        )
    if any(b["over"] for b in ctx["budget"]):
        out.append(
            tr(
                lang,
                "存在超预算的部门：大额合同按里程碑付款，超支前提交预算调整申请。",
                "Some departments overspent: pay large contracts by milestone and request a "
                "budget change before overspending.",
            )
        )
    out.append(
        tr(
            lang,
            "保持每周一例会“各部门5分钟汇报＋问题聚焦”的节奏，任务状态在共享平台实时更新。",
            "Keep the Monday meeting rhythm (5 minutes per department, then the problems) "
            "and keep task status current in the shared workbook.",
        )
    )
    return out
