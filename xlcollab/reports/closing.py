"""《项目总结报告》 the project summary report (week 9): results against
goals and success criteria, schedule and budget performance, lessons
learned, suggestions for better collaboration, the department scorecard,
nominations for the 协同先锋奖 and the departments to be called in (约谈).

The figures (on-time rate, late work packages and the longest delay,
blocked days caused) come from :func:`xlcollab.core.figures.collaboration_scorecard`.
The rules, written into the document as well:

- 约谈 (called in by the project lead, on record): a department with at least
  ``MIN_COUNTED`` counted work packages and an on-time rate below
  ``CALL_IN_RATE``, or a work package late by at least the lead's escalation
  threshold (参数: 升级至总负责人), or blocked days caused reaching that
  threshold.
- 协同先锋奖 nominations: departments, then people (task owners), with at
  least ``MIN_COUNTED`` counted work packages, an on-time rate of at least
  ``AWARD_RATE`` and no blocked days caused, ranked by on-time rate and then
  work packages done. Never a department on the 约谈 list, never a person
  of such a department, never the project lead or the lead's department
  (who award), never the project manager (who nominates).
- Lessons are drawn from the causes of delays and escalations: each blocked
  task, escalation and occurred risk is put under a cause (external
  supplier, resources, requirements and scope, budget, permissions and
  approvals, other) by its words; each cause gives one lesson with its
  evidence, not a copy of the log.
- Success criteria: the 项目概况 sheet's 成功标准达成情况, one result per
  criterion in order; an empty one is flagged once closing has started.
"""

from __future__ import annotations

import datetime as dt

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import collaboration_scorecard, figures, overall_on_time_rate
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.dates import iso_date, to_date
from xlcollab.reports.common import (
    TaskTable,
    base_context,
    budget_by_department,
    budget_total,
    departments,
    escalation_rows,
    fmt_pct,
    people_by_role,
    risk_table,
    split_items,
    text,
)
from xlcollab.reports.quality import deliverable_rows
from xlcollab.schema.lang import tr

TITLE = ("项目总结报告", "Project summary report")  # zh, en
MIN_COUNTED = 2  # counted work packages a department or person needs to be ranked
AWARD_RATE = 0.8  # on-time rate a nominee needs
CALL_IN_RATE = 0.6  # on-time rate below which a department is called in


def scorecard(tt, lang: str, by: str = "department") -> list[dict]:
    """The scorecard figures (:func:`collaboration_scorecard`) formatted."""
    names = {text(w): text(n) for w, n in zip(tt.leaves["wbs"], tt.leaves["name"], strict=False)}
    sep = tr(lang, "；", "; ")
    out = []
    for c in collaboration_scorecard(tt.leaves, by):
        rate = c["on_time_rate"]
        out.append(
            dict(
                c,
                rate_value=rate,
                on_time_rate=fmt_pct(rate) if rate is not None else "—",
                late_list=sep.join(f"{w} {names.get(w, '')}".strip() for w in c["late_codes"]),
                max_late=str(c["max_days_late"]) if c["late_tasks"] else "—",
            )
        )
    return out


def call_in_list(cards: list[dict], lead_days: int, lang: str) -> list[dict]:
    """Departments to be called in (see the module docstring), with why."""
    out = []
    for c in cards:
        why = []
        rate = c["rate_value"]
        if c["counted"] >= MIN_COUNTED and rate is not None and rate < CALL_IN_RATE:
            why.append(
                tr(
                    lang,
                    f"按期完成率{c['on_time_rate']}，低于{CALL_IN_RATE:.0%}",
                    f"on-time rate {c['on_time_rate']}, below {CALL_IN_RATE:.0%}",
                )
            )
        if c["max_days_late"] >= lead_days:
            why.append(
                tr(
                    lang,
                    f"任务最长延误{c['max_days_late']}个工作日",
                    f"a task {c['max_days_late']} working days late",
                )
            )
        if c["blocked_days"] >= lead_days:
            why.append(
                tr(
                    lang,
                    f"造成阻塞{c['blocked_days']}个工作日",
                    f"{c['blocked_days']} blocked days caused",
                )
            )
        if why:
            out.append(dict(c, reason=tr(lang, "；", "; ").join(why)))
    return out


def nominations(cards: list[dict], excluded: set[str], n: int = 3) -> list[dict]:
    """Nominees by the award rule (module docstring), best first."""
    ranked = [
        c
        for c in cards
        if c["name"] not in excluded
        and c["counted"] >= MIN_COUNTED
        and c["rate_value"] is not None
        and c["rate_value"] >= AWARD_RATE
        and not c["blocked_days"]
    ]
    ranked.sort(key=lambda c: (-c["rate_value"], -c["done"], c["name"]))
    return ranked[:n]


def criteria_rows(data: ProjectData, as_of: dt.date, closing: bool, lang: str) -> list[dict]:
    """Each success criterion with its result (项目概况 成功标准达成情况, in
    order); ``missing`` when empty, flagged in the text once closing has
    started."""
    results = split_items(data.overview.get("success_results"))
    out = []
    for i, c in enumerate(split_items(data.overview.get("success_criteria"))):
        got = results[i] if i < len(results) else ""
        flag = tr(lang, "（未填写达成情况）", "(result not given)")
        wait = tr(lang, "（收尾时填写）", "(filled in at closing)")
        out.append(
            {
                "text": c,
                "assessment": got or (flag if closing else wait),
                "missing": not got,
                "flagged": closing and not got,
            }
        )
    return out


def build(
    data: ProjectData, as_of: dt.date, cal: WorkCalendar, lang: str = "zh", findings=None, **_
) -> dict:
    ctx = base_context(data, as_of, lang, tr(lang, *TITLE))
    fig = figures(data, as_of, cal)
    tt = TaskTable(fig.task_table, as_of)
    done = fig.done
    dl = deliverable_rows(data, lang)
    ms = data.tables["milestones"]
    ms = ms[ms["name"].map(lambda n: not is_missing(n)).astype(bool)].sort_values("planned_date")
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
        elif planned and planned == as_of:
            var, state = 0, tr(lang, "今日到期", "Due today")
        else:
            var, state = 0, tr(lang, "未到期", "Not yet due")
        milestones.append(
            {
                "name": text(r["name"]),
                "planned": iso_date(planned),
                "actual": iso_date(actual),
                "variance": var,
                "state": state,
                "on_time": bool(actual and var == 0),
            }
        )
    reached = fig.milestones["reached"]
    cards = scorecard(tt, lang)
    order = {d: i for i, d in enumerate(departments(data))}
    cards.sort(key=lambda c: order.get(c["name"], 999))
    rate = overall_on_time_rate(cards)
    ctx["results"] = {
        "tasks": fig.total,
        "done": done,
        "done_pct": fmt_pct(fig.done_pct) if fig.total else "",
        "milestones": len(milestones),
        "milestones_reached": reached,
        "milestones_on_time": sum(m["on_time"] for m in milestones),
        "deliverables": len(dl),
        "accepted": sum(d["accepted_flag"] for d in dl),
        "on_time_rate": fmt_pct(rate) if rate is not None else "—",
    }
    ctx["goals"] = ctx["project"]["goals"]
    closing = fig.phase == "closing"
    ctx["criteria"] = criteria_rows(data, as_of, closing, lang)
    ctx["criteria_missing"] = sum(c["flagged"] for c in ctx["criteria"])
    ctx["milestones"] = milestones
    ctx["budget"] = budget_by_department(fig.money)
    ctx["budget_total"] = budget_total(fig.money, lang)
    ctx["scorecard"] = cards
    lead_days = int(data.setting("escalation_lead_days"))
    called = call_in_list(cards, lead_days, lang)
    ctx["delays"] = called
    called_depts = {c["name"] for c in called}
    lead, pm = text(data.overview.get("project_lead")), text(data.overview.get("pm"))
    dept_of = {
        p["name"]: p["department"] for people in people_by_role(data).values() for p in people
    }
    ctx["nominated_departments"] = nominations(cards, called_depts | {dept_of.get(lead, "")})
    owners = scorecard(tt, lang, by="owner")
    excluded = {lead, pm} | {o["name"] for o in owners if dept_of.get(o["name"]) in called_depts}
    ctx["nominated_people"] = nominations(owners, excluded)
    ctx["rules"] = {
        "award": tr(
            lang,
            f"提名规则：考核任务不少于{MIN_COUNTED}项、按期完成率不低于{AWARD_RATE:.0%}、"
            f"未造成阻塞，按按期完成率和完成任务数排序；约谈名单上的部门及其成员、"
            "项目总负责人及其部门（评选方）和项目经理（提名人）不参与提名。",
            f"Rule: at least {MIN_COUNTED} counted tasks, an on-time rate of {AWARD_RATE:.0%} "
            f"or more and no blocked days caused, ranked by on-time rate and tasks done; "
            f"departments on the call-in list and their members, the project lead and the "
            f"lead's department (who award) and the project manager (who nominates) are not "
            f"nominated.",
        ),
        "call_in": tr(
            lang,
            f"约谈规则：按期完成率低于{CALL_IN_RATE:.0%}（考核任务不少于{MIN_COUNTED}项），"
            f"或任务延误、造成阻塞达到{lead_days}个工作日（升级至总负责人的门槛）。",
            f"Rule: an on-time rate below {CALL_IN_RATE:.0%} (at least {MIN_COUNTED} counted "
            f"tasks), or a task late or blocked days caused reaching {lead_days} working days "
            f"(the threshold for the project lead).",
        ),
    }
    ctx["lessons"] = lessons(data, tt, as_of, lang)
    ctx["suggestions"] = suggestions(cards, ctx, lang)
    return ctx


#: Causes of delays and escalations, the words that name them, and the
#: lesson each teaches (zh, en). The first cause whose words match wins.
CAUSES = (
    (
        "supplier",
        ("供应商", "外部", "厂商", "vendor", "supplier"),
        ("外部供应商依赖", "External suppliers"),
        (
            "外部交付物（接口文档、测试环境等）应在计划阶段写入合同并约定日期，"
            "到期前一周确认；无法按期时先启用挡板或替代方案，阻塞超过2个工作日即升级。",
            "Put external deliverables (interface documents, test environments) and their "
            "dates into the contract during planning, confirm a week ahead, use a stub when "
            "late and escalate after 2 blocked days.",
        ),
    ),
    (
        "resources",
        ("人手", "人员", "骨干", "资源", "抽调", "增派", "离职", "staff"),
        ("人员与资源不足", "Staff and resources"),
        (
            "资源承诺表应落实到人和投入时间；关键任务安排后备人员，进度滞后时部门内及时调配。",
            "Name people and hours in the resource commitments; give key tasks a backup "
            "and rebalance inside the department as soon as work slips.",
        ),
    ),
    (
        "scope",
        ("需求", "范围", "变更", "意见不一致", "scope", "requirement"),
        ("需求与范围分歧", "Requirements and scope"),
        (
            "需求分歧应在启动阶段明确范围边界并由总负责人尽早决策，"
            "变更须评估对进度的影响后再纳入。",
            "Settle the scope boundary at kick-off and have the project lead decide "
            "disagreements early; assess a change's schedule impact before taking it in.",
        ),
    ),
    (
        "budget",
        ("预算调整", "超预算", "超支", "费用", "付款", "budget", "cost"),
        ("预算与付款", "Budget and payments"),
        (
            "大额合同按里程碑付款，支出接近预算时提前提交预算调整申请。",
            "Pay large contracts by milestone and request a budget change before "
            "spending reaches the budget.",
        ),
    ),
    (
        "access",
        ("权限", "审批", "账号", "permission", "approval"),
        ("权限与审批", "Permissions and approvals"),
        (
            "系统权限和审批事项应列入任务清单并设截止日期，由IT支持专员跟踪办理。",
            "Put system access and approvals in the task checklist with a deadline, "
            "tracked by IT support.",
        ),
    ),
)
OTHER = (
    "other",
    (),
    ("其他原因", "Other causes"),
    (
        "逾期任务应在周例会上提前预警，任务颗粒度细化到一周以内，便于及早发现偏差。",
        "Warn of overdue tasks early in the weekly meeting and keep tasks under a week "
        "long so that slips show early.",
    ),
)


def cause_of(words: str) -> tuple:
    low = words.casefold()
    return next((c for c in CAUSES if any(k.casefold() in low for k in c[1])), OTHER)


def lessons(data: ProjectData, tt, as_of: dt.date, lang: str) -> list[dict]:
    """One lesson per cause of delay or escalation (see :data:`CAUSES`):
    ``cause``, ``evidence`` (what happened, briefly, with the tasks and the
    highest escalation level reached) and ``lesson``."""
    events: dict[str, list[str]] = {}
    causes: dict[str, tuple] = {}

    def add(words: str, what: str) -> None:
        c = cause_of(words)
        causes[c[0]] = c
        if what not in events.setdefault(c[0], []):
            events[c[0]].append(what)

    leaves = tt.leaves
    for _, r in leaves[leaves["status"] == "blocked"].iterrows():
        reason = text(r.get("blocked_reason"))
        n = "?" if is_missing(r["blocked_days"]) else int(r["blocked_days"])
        add(
            reason or text(r["name"]),
            tr(
                lang,
                f"{text(r['wbs'])}阻塞{n}个工作日",
                f"{text(r['wbs'])} blocked {n} working days",
            ),
        )
    escalated: set[str] = set()
    for e in escalation_rows(data, lang, until=as_of):  # most severe level first
        if e["task"] and e["task"] in escalated:
            continue
        escalated.add(e["task"])
        add(
            e["issue"] + " " + e["decision"],
            tr(lang, f"{e['task']}升级至{e['level']}", f"{e['task']} escalated to {e['level']}"),
        )
    for r in risk_table(data, as_of).to_dict("records"):
        if r["status"] == "occurred":
            add(
                text(r["description"]),
                tr(lang, f"风险{text(r['risk_id'])}已发生", f"risk {text(r['risk_id'])} occurred"),
            )
    late = leaves[leaves["days_late"].fillna(0).astype(int) > 0]
    seen_tasks = {w for ev in events.values() for w in ev}
    n_other = sum(1 for w in late["wbs"] if not any(text(w) in e for e in seen_tasks))
    if n_other:
        causes["other"] = OTHER
        events.setdefault("other", []).append(
            tr(lang, f"另有{n_other}项任务逾期", f"{n_other} more tasks late")
        )
    out = []
    for key, cause in causes.items():
        out.append(
            {
                "cause": cause[2][tr(lang, 0, 1)],
                "evidence": tr(lang, "；", "; ").join(events[key]),
                "lesson": cause[3][tr(lang, 0, 1)],
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
                f"{worst['name']}的任务累计阻塞{worst['blocked_days']}个工作日："
                "外部依赖应在计划阶段"
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
        names = tr(lang, "、".join(c["name"] for c in weak), ", ".join(c["name"] for c in weak))
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
