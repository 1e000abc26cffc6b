"""Validation rules: each rule fires on a small project built in memory,
stays silent on clean data, obeys the 参数 settings; the demo gives exactly
the findings of its deliberate problems."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from xlcollab.check.rules import RULES, run_rules
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.frames import frame
from xlcollab.model.tolerated import Kind, Tolerated
from xlcollab.schema import SHEETS
from xlcollab.workbook.blank import blank_project
from xlcollab.workbook.demo import DEMO_DUPLICATE_INVOICE, DEMO_PROBLEMS, STATUS_DATE, demo_project

D = dt.date
AS_OF = D(2026, 4, 1)
CAL = WorkCalendar()

TEAM = [
    {"name": "王建国", "department": "总经理办公室", "role": "project_lead"},
    {"name": "张伟", "department": "项目管理部", "role": "pm"},
    {"name": "赵敏", "department": "项目管理部", "role": "liaison"},
    {"name": "胡雪梅", "department": "质量管理部", "role": "quality"},
    {"name": "徐慧", "department": "财务部", "role": "finance"},
]
DEPARTMENTS = [
    {"name": "总经理办公室", "director": "王建国", "liaison": "王建国", "kpi_weight": 0.1},
    {"name": "项目管理部", "director": "张伟", "liaison": "赵敏", "kpi_weight": 0.2},
    {"name": "质量管理部", "liaison": "胡雪梅", "kpi_weight": 0.1},
    {"name": "财务部", "liaison": "徐慧", "kpi_weight": 0.1},
]


def _task(wbs, start, finish, status="done", **kw):
    rec = {
        "wbs": wbs,
        "name": f"任务{wbs}",
        "phase": "execution",
        "department": "项目管理部",
        "owner": "赵敏",
        "deliverable": f"交付物{wbs}",
        "planned_start": start,
        "planned_finish": finish,
        "status": status,
        "approved": True,
    }
    if status == "done":
        rec.update(actual_start=start, actual_finish=finish, progress=1.0)
    elif status == "in_progress":
        rec.update(actual_start=start, progress=0.5)
    elif status == "not_started":
        rec.update(progress=0.0)
    rec.update(kw)
    return rec


TASKS = [  # rows 2..6
    # a summary row: its progress is the mean of the rows under it (README, "Figures")
    {**_task("1", D(2026, 3, 2), D(2026, 4, 24), "in_progress", owner="张伟"), "progress": 0.625},
    _task("1.1", D(2026, 3, 2), D(2026, 3, 6)),
    _task("1.2", D(2026, 3, 9), D(2026, 3, 27), predecessors="1.1"),
    _task("1.3", D(2026, 3, 30), D(2026, 4, 10), "in_progress", predecessors="1.2"),
    _task(
        "1.4",
        D(2026, 4, 13),
        D(2026, 4, 24),
        "not_started",
        predecessors="1.3",
        department="质量管理部",
        owner="胡雪梅",
    ),
]
MILESTONES = [
    {
        "name": "启动完成",
        "planned_date": D(2026, 3, 6),
        "actual_date": D(2026, 3, 6),
        "tasks": "1.1",
        "reviewer": "胡雪梅",
        "review_date": D(2026, 3, 6),
        "review_result": "pass",
    },
    {"name": "验收", "planned_date": D(2026, 4, 24), "tasks": "1.4"},
]
RISKS = [
    {
        "risk_id": "R01",
        "description": "人员变动",
        "category": "staff_change",
        "probability": 3,
        "impact": 5,
        "owner": "张伟",
        "contingency": "AB角",
        "status": "monitoring",
        "identified": D(2026, 3, 9),
        "last_review": D(2026, 3, 30),
    },
    {
        "risk_id": "R02",
        "description": "需求变更",
        "category": "requirement_change",
        "probability": 2,
        "impact": 2,
        "status": "open",
        "identified": D(2026, 3, 25),
    },
]
BUDGET = [
    {"department": "项目管理部", "category": "labour", "amount": Decimal("10000")},
    {"department": "项目管理部", "category": "meeting", "amount": Decimal("5000")},
    {"department": "财务部", "category": "other", "amount": Decimal("1000")},
]
EXPENSES = [
    {
        "date": D(2026, 3, 5),
        "department": "项目管理部",
        "category": "labour",
        "amount": Decimal("8000"),
        "invoice_no": "INV-1",
        "approver": "徐慧",
        "task": "1.1",
    },
    {
        "date": D(2026, 3, 20),
        "department": "项目管理部",
        "category": "meeting",
        "amount": Decimal("1200.50"),
        "invoice_no": "INV-2",
        "approver": "徐慧",
        "task": "1.2",
    },
    {
        "date": D(2026, 3, 31),
        "department": "财务部",
        "category": "other",
        "amount": Decimal("300"),
        "invoice_no": "INV-3",
        "task": "1",
    },
]
DELIVERABLES = [
    {
        "name": "交付物1.1",
        "task": "1.1",
        "department": "项目管理部",
        "accepted": True,
        "accepted_on": D(2026, 3, 6),
        "signed_by": "胡雪梅",
    },
    {
        "name": "交付物1.2",
        "task": "1.2",
        "department": "项目管理部",
        "accepted": True,
        "accepted_on": D(2026, 3, 27),
        "signed_by": "胡雪梅",
    },
]
RECORDS = {
    "team": TEAM,
    "departments": DEPARTMENTS,
    "tasks": TASKS,
    "milestones": MILESTONES,
    "risks": RISKS,
    "budget": BUDGET,
    "expenses": EXPENSES,
    "deliverables": DELIVERABLES,
}


def project(edit=None, lang="zh"):
    """The small clean project; ``edit(records, data)`` changes it first."""
    records = copy.deepcopy(RECORDS)
    data = blank_project(lang, start=D(2026, 3, 2))
    data.overview.update(
        name="小项目",
        goal="验证规则",
        start_date=D(2026, 3, 2),
        end_date=D(2026, 4, 30),
        project_lead="王建国",
        pm="张伟",
    )
    if edit:
        edit(records, data)
    for key, recs in records.items():
        data.tables[key] = frame(key, recs, lang)
    return data


def run(data, as_of=AS_OF, lang=None):
    return run_rules(data, as_of, CAL, lang)


def test_clean_project_has_no_findings():
    assert [str(f) for f in run(project())] == []


def test_registry():
    assert len(RULES) >= 40
    for rid, r in RULES.items():
        assert r.rule_id == rid and r.severity in ("error", "warning", "info")
        assert r.sheet in SHEETS and r.description("zh") and r.description("en")


def _set(sheet, i, **values):
    def edit(records, data):
        records[sheet][i].update(values)

    return edit


def _append(sheet, rec):
    def edit(records, data):
        records[sheet].append(rec)

    return edit


def _overview(**values):
    def edit(records, data):
        data.overview.update(values)

    return edit


def _tolerate(sheet, row, column, kind, raw, value):
    def edit(records, data):
        data.tolerated.append(Tolerated(sheet, row, column, Kind(kind), raw, value))

    return edit


# rule, edit, the cell (sheet!A1), words the message must contain
CASES = [
    (
        "overview.end_before_start",
        _overview(end_date=D(2026, 2, 1)),
        "项目概况!B7",
        ["2026-02-01", "2026-03-02"],
    ),
    (
        "tasks.finish_before_start",
        _set("tasks", 1, planned_finish=D(2026, 3, 1), actual_finish=D(2026, 3, 6)),
        "任务清单!H3",
        ["计划完成（2026-03-01）早于计划开始（2026-03-02）"],
    ),
    (
        "tasks.actual_finish_before_start",
        _set("tasks", 2, actual_finish=D(2026, 3, 8)),
        "任务清单!J4",
        ["2026-03-08", "2026-03-09"],
    ),
    (
        "tasks.actual_in_future",
        _set("tasks", 3, actual_start=D(2026, 4, 2)),
        "任务清单!I5",
        ["2026-04-02", "2026-04-01"],
    ),
    (
        "tasks.outside_period",
        _set("tasks", 4, planned_finish=D(2026, 5, 8)),
        "任务清单!H6",
        ["2026-05-08", "2026-03-02 至 2026-04-30"],
    ),
    (
        "milestones.outside_period",
        _set("milestones", 1, planned_date=D(2026, 5, 8)),
        "里程碑!C3",
        ["2026-05-08"],
    ),
    (
        "tasks.done_without_finish",
        _set("tasks", 1, actual_finish=None),
        "任务清单!J3",
        ["已完成", "实际完成"],
    ),
    ("tasks.done_not_complete", _set("tasks", 1, progress=0.6), "任务清单!K3", ["60%"]),
    (
        "wbs.summary_mismatch",
        _set("tasks", 0, planned_finish=D(2026, 4, 30)),
        "任务清单!H2",
        ["“1”", "2026-04-30", "2026-04-24"],
    ),
    (
        "wbs.summary_mismatch",
        _set("tasks", 0, progress=0.5),
        "任务清单!K2",
        ["50%", "62%"],
    ),
    (
        "tasks.not_started_with_progress",
        _set("tasks", 4, progress=0.2),
        "任务清单!K6",
        ["未开始", "20%"],
    ),
    (
        "tasks.not_started_with_progress",
        _set("tasks", 4, actual_start=D(2026, 3, 31)),
        "任务清单!I6",
        ["未开始", "2026-03-31"],
    ),
    (
        "tasks.blocked_without_reason",
        _set("tasks", 3, status="blocked"),
        "任务清单!N5",
        ["阻塞", "阻塞原因"],
    ),
    (
        "tasks.in_progress_without_start",
        _set("tasks", 3, actual_start=None),
        "任务清单!I5",
        ["进行中"],
    ),
    (
        "people.unknown_person",
        _set("risks", 0, owner="李四"),
        "风险登记册!H2",
        ["李四", "组织架构"],
    ),
    ("people.unknown_person", _overview(sponsor="陈志远"), "项目概况!B8", ["陈志远"]),
    (
        "people.unknown_department",
        _set("expenses", 2, department="法务部"),
        "费用台账!B4",
        ["法务部", "部门"],
    ),
    (
        "tasks.owner_not_in_department",
        _set("tasks", 2, owner="徐慧"),
        "任务清单!E4",
        ["徐慧", "财务部", "项目管理部"],
    ),
    ("departments.no_liaison", _set("departments", 2, liaison=None), "部门!C4", ["质量管理部"]),
    (
        "departments.no_liaison",
        _set("departments", 1, liaison="徐慧"),
        "部门!C3",
        ["徐慧", "财务部"],
    ),
    ("team.role_count", _set("team", 3, role="member"), "组织架构!C1", ["质量监督员"]),
    ("team.role_count", _set("team", 2, role="pm"), "组织架构!C4", ["项目经理", "张伟", "赵敏"]),
    ("overview.role_mismatch", _overview(pm="赵敏"), "项目概况!B10", ["赵敏", "张伟"]),
    ("tasks.not_approved", _set("tasks", 4, approved=False), "任务清单!O6", ["2026-03-16"]),
    (
        "wbs.duplicate",
        _set("tasks", 4, wbs="1.3", predecessors="1.2"),
        "任务清单!A6",
        ["1.3", "第 5 行"],
    ),
    ("wbs.malformed", _set("tasks", 4, wbs="1.4a"), "任务清单!A6", ["1.4a"]),
    ("wbs.parent_missing", _set("tasks", 4, wbs="2.1"), "任务清单!A6", ["2.1", "“2”"]),
    ("wbs.predecessor_missing", _set("tasks", 3, predecessors="1.2, 9.9"), "任务清单!M5", ["9.9"]),
    ("wbs.cycle", _set("tasks", 2, predecessors="1.3"), "任务清单!M4", ["1.2 → 1.3 → 1.2"]),
    (
        "wbs.starts_before_predecessor",
        _set("tasks", 4, planned_start=D(2026, 4, 8)),
        "任务清单!G6",
        ["2026-04-08", "1.3", "2026-04-10"],
    ),
    (
        "wbs.starts_before_predecessor",
        _set("tasks", 3, actual_start=D(2026, 3, 26)),
        "任务清单!I5",
        ["实际完成日期", "2026-03-27"],
    ),
    ("risks.high_without_plan", _set("risks", 0, contingency=None), "风险登记册!I2", ["R01", "15"]),
    ("risks.high_without_owner", _set("risks", 0, owner=None), "风险登记册!H2", ["R01"]),
    (
        "risks.review_overdue",
        _set("risks", 0, last_review=D(2026, 3, 13)),
        "风险登记册!L2",
        ["R01", "19 天", "14 天"],
    ),
    (
        "risks.review_overdue",
        _set("risks", 1, identified=D(2026, 3, 2)),
        "风险登记册!L3",
        ["R02", "30 天"],
    ),
    ("risks.duplicate_id", _set("risks", 1, risk_id="R01"), "风险登记册!A3", ["R01", "第 2 行"]),
    ("finance.unbudgeted", _set("expenses", 2, category="travel"), "费用台账!C4", ["财务部/差旅"]),
    (
        "finance.amount_not_positive",
        _set("expenses", 2, amount=Decimal("-300")),
        "费用台账!D4",
        ["-300.00"],
    ),
    (
        "finance.duplicate_invoice",
        _set("expenses", 2, invoice_no="INV-1"),
        "费用台账!F4",
        ["INV-1", "第 2 行", "费用台账!F2"],
    ),
    (
        "finance.outside_period",
        _set("expenses", 0, date=D(2026, 2, 26)),
        "费用台账!A2",
        ["2026-02-26"],
    ),
    (
        "finance.over_budget",
        _set("expenses", 0, amount=Decimal("12000")),
        "预算!E2",
        ["项目管理部/人工", "¥12,000.00", "¥10,000.00", "120%"],
    ),
    (
        "finance.department_over_budget",
        _append(
            "expenses",
            {
                "date": D(2026, 3, 25),
                "department": "项目管理部",
                "category": "other",
                "amount": Decimal("9000"),
                "invoice_no": "INV-9",
            },
        ),
        "预算!A2",
        ["项目管理部", "¥18,200.50", "¥15,000.00"],
    ),
    (
        "finance.duplicate_budget_line",
        _set("budget", 1, category="labour"),
        "预算!B3",
        ["项目管理部/人工", "第 2 行"],
    ),
    (
        "milestones.no_quality_review",
        _set("milestones", 0, review_date=None, review_result=None),
        "里程碑!G2",
        ["启动完成", "2026-03-06"],
    ),
    (
        "deliverables.not_accepted",
        _set("deliverables", 0, accepted=False, accepted_on=None),
        "交付物!D2",
        ["1.1", "交付物1.1", "10"],
    ),
    ("refs.unknown_task", _set("deliverables", 1, task="7.7"), "交付物!B3", ["7.7", "任务清单"]),
    ("refs.unknown_task", _set("milestones", 1, tasks="1.4, 8.1"), "里程碑!E3", ["8.1"]),
    (
        "departments.kpi_weight_low",
        _set("departments", 3, kpi_weight=0.05),
        "部门!D5",
        ["财务部", "5%", "10%"],
    ),
    # tolerated entries: what was typed, what it was read as, what it means
    (
        "values.text_date",
        _tolerate("tasks", 3, "planned_finish", "text_date", "2026/3/27", D(2026, 3, 27)),
        "任务清单!H3",
        ["2026/3/27", "2026-03-27", "文本", "日期?"],
    ),
    (
        "values.text_number",
        _tolerate("tasks", 4, "progress", "text_number", "50%", 0.5),
        "任务清单!K4",
        ["“50%”", "按 50% 理解", "数字?"],
    ),
    (
        "values.text_number",
        _tolerate("budget", 2, "amount", "text_number", "¥12,500", Decimal("12500.00")),
        "预算!C2",
        ["¥12,500", "¥12,500.00"],
    ),
    (
        "values.full_width",
        _tolerate("risks", 2, "probability", "full_width", "３", 3),
        "风险登记册!D2",
        ["全角", "按 3 理解"],
    ),
    (
        "values.choice_alias",
        _tolerate("tasks", 5, "status", "choice_alias", "Done", "已完成"),
        "任务清单!L5",
        ["“Done”", "“已完成”", "状态?"],
    ),
    (
        "values.name_spacing",
        _tolerate("tasks", 6, "owner", "name_spacing", "张 伟", "张伟"),
        "任务清单!E6",
        ["“张 伟”", "“张伟”"],
    ),
    (
        "values.text_date",
        _tolerate("overview", 6, "start_date", "text_date", "2026.3.2", D(2026, 3, 2)),
        "项目概况!B6",
        ["2026.3.2", "2026-03-02"],
    ),
]


@pytest.mark.parametrize(
    "rule_id,edit,cell,words", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_rule_fires(rule_id, edit, cell, words):
    found = run(project(edit))
    mine = [f for f in found if f.rule_id == rule_id]
    assert mine, [str(f) for f in found]
    f = mine[0]
    assert f.location == cell, str(f)
    for w in words:
        assert w in f.message, (w, str(f))
    assert f.hint and f.severity == RULES[rule_id].severity
    assert f.sheet and f.column and f.row


def test_every_rule_has_a_case():
    covered = {c[0] for c in CASES} | {
        "calendar.uncovered_years",
        "settings.unknown_rule",
        "settings.bad_severity",
        "rules.failed",
    }
    assert set(RULES) <= covered, set(RULES) - covered


def test_cycle_names_three_tasks():
    def edit(records, data):
        records["tasks"][1]["predecessors"] = "1.3"  # 1.1 waits for 1.3 -> 1.2 -> 1.1

    found = [f for f in run(project(edit)) if f.rule_id == "wbs.cycle"]
    assert len(found) == 1
    assert "1.1 → 1.3 → 1.2 → 1.1" in found[0].message
    assert found[0].location == "任务清单!M3"


def test_self_cycle():
    found = [
        f for f in run(project(_set("tasks", 2, predecessors="1.2"))) if f.rule_id == "wbs.cycle"
    ]
    assert [f.message for f in found] == ["前置任务形成循环：1.2 → 1.2（箭头指向前置任务）"]


def test_deliverable_in_closing_week():
    edit = _set("deliverables", 1, accepted=False, accepted_on=None)
    # 1.2 finished 03-27: 3 working days before 04-01, not yet flagged
    assert not [f for f in run(project(edit)) if f.rule_id == "deliverables.not_accepted"]
    found = [
        f
        for f in run(project(edit), as_of=D(2026, 4, 27))
        if f.rule_id == "deliverables.not_accepted"
    ]
    assert [f.location for f in found] == ["交付物!D3"]
    assert "收尾阶段" in found[0].message


def test_approval_waits_for_planning():
    edit = _set("tasks", 4, approved=None)
    assert not [
        f for f in run(project(edit), as_of=D(2026, 3, 13)) if f.rule_id == "tasks.not_approved"
    ]
    assert [
        f for f in run(project(edit), as_of=D(2026, 3, 16)) if f.rule_id == "tasks.not_approved"
    ]


def test_calendar_years():
    found = run(project(_set("tasks", 4, planned_finish=D(2031, 1, 5))))
    cal = [f for f in found if f.rule_id == "calendar.uncovered_years"]
    assert len(cal) == 1 and "2031" in cal[0].message and "节假日" in cal[0].hint
    assert cal[0].sheet == "节假日"


def test_english_messages():
    found = run(
        project(
            _set("tasks", 1, planned_finish=D(2026, 3, 1), actual_finish=D(2026, 3, 6)), lang="en"
        ),
        lang="en",
    )
    f = next(f for f in found if f.rule_id == "tasks.finish_before_start")
    assert f.sheet == "Tasks" and f.column == "Planned finish"
    assert f.message == "Planned finish (2026-03-01) is before Planned start (2026-03-02)"


# ---------------------------------------------------------------- settings ---
def test_rule_switched_off_and_severity_changed():
    def edit(records, data):
        records["expenses"][0]["date"] = D(2026, 2, 26)
        records["tasks"][3]["status"] = "blocked"
        records["risks"][0]["last_review"] = D(2026, 3, 1)
        data.settings["rules_off"] = "tasks.blocked_without_reason"
        data.settings["rules_severity"] = "finance.outside_period=提示，risks.review_overdue=Error"

    found = {f.rule_id: f for f in run(project(edit))}
    assert "tasks.blocked_without_reason" not in found
    assert found["finance.outside_period"].severity == "info"
    assert found["risks.review_overdue"].severity == "error"
    assert not [r for r in found if r.startswith("settings.")]


def test_group_switched_off():
    def edit(records, data):
        records["expenses"][0]["date"] = D(2026, 2, 26)
        records["expenses"][1]["invoice_no"] = "INV-1"
        data.settings["rules_off"] = "finance.*"

    assert not [f for f in run(project(edit)) if f.rule_id.startswith("finance.")]


def test_bad_settings_are_findings():
    def edit(records, data):
        data.settings["rules_off"] = "tasks.no_such_rule"
        data.settings["rules_severity"] = "finance.outside_period=很严重, risks.review_overdue"

    found = run(project(edit))
    unknown = [f for f in found if f.rule_id == "settings.unknown_rule"]
    bad = [f for f in found if f.rule_id == "settings.bad_severity"]
    from xlcollab.workbook.layout import form_row

    off, sev = form_row("settings", "rules_off"), form_row("settings", "rules_severity")
    assert [f.location for f in unknown] == [f"参数!B{off}"]
    assert "tasks.no_such_rule" in unknown[0].message
    assert [f.location for f in bad] == [f"参数!B{sev}", f"参数!B{sev}"]
    assert "很严重" in bad[0].message


def test_a_failing_rule_does_not_stop_the_others(monkeypatch):
    from xlcollab.check.rules import base

    def broken(ctx):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    r = RULES["departments.kpi_weight_low"]
    monkeypatch.setitem(
        RULES,
        r.rule_id,
        base.Rule(r.rule_id, r.severity, r.sheet, r.description_zh, r.description_en, broken),
    )
    found = run(project(_set("tasks", 3, status="blocked")))
    failed = [f for f in found if f.rule_id == "rules.failed"]
    assert len(failed) == 1 and "departments.kpi_weight_low" in failed[0].message
    assert "boom" in failed[0].message
    assert any(f.rule_id == "tasks.blocked_without_reason" for f in found)


def test_empty_project_does_not_crash():
    found = run_rules(blank_project(), AS_OF, CAL)
    assert not [f for f in found if f.rule_id == "rules.failed"]


# -------------------------------------------------------------------- demo ---
DEMO_RULES = {
    ("tasks", "2.6"): "tasks.done_without_finish",
    ("tasks", "3.4.4"): "tasks.blocked_without_reason",
    ("tasks", "3.4.6"): "tasks.owner_not_in_department",
    ("tasks", "3.6.5"): "tasks.not_approved",
    ("expenses", DEMO_DUPLICATE_INVOICE): "finance.duplicate_invoice",
}


def _demo_key(data, f):
    """The DEMO_PROBLEMS key (sheet, record) of a finding."""
    key = next(k for k in SHEETS if data.sheet_name(k) == f.sheet)
    df = data.tables[key]
    if key == "tasks":
        return key, df.at[f.row, "wbs"]
    if key == "risks":
        return key, df.at[f.row, "risk_id"]
    if key == "milestones":
        return key, df.at[f.row, "name"]
    if key == "expenses":
        return key, df.at[f.row, "invoice_no"]
    if key == "budget":
        return key, f"{df.at[f.row, 'department']}/{df.at[f.row, 'category']}"
    return key, f.row


EXPECTED_DEMO_RULES = {
    "tasks.done_without_finish",
    "tasks.blocked_without_reason",
    "tasks.owner_not_in_department",
    "tasks.not_approved",
    "finance.duplicate_invoice",
    "finance.unbudgeted",
    "finance.outside_period",
    "finance.over_budget",
    "risks.high_without_plan",
    "risks.review_overdue",
    "milestones.no_quality_review",
}


def test_demo_findings_match_its_problems():
    data = demo_project()
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    found = run_rules(data, STATUS_DATE, cal)
    assert {f.rule_id for f in found} == EXPECTED_DEMO_RULES
    assert sorted(_demo_key(data, f) for f in found) == sorted(
        (sheet, key) for sheet, key, _ in DEMO_PROBLEMS
    )
    for (sheet, key), rid in DEMO_RULES.items():
        assert any(_demo_key(data, f) == (sheet, key) and f.rule_id == rid for f in found)


def test_demo_english():
    data = demo_project("en")
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    found = run_rules(data, STATUS_DATE, cal)
    assert {f.rule_id for f in found} == EXPECTED_DEMO_RULES
    from xlcollab.model.messages import MESSAGES

    for f in found:  # English text (names from the data stay Chinese)
        assert f.hint.startswith(MESSAGES[f.rule_id]["en"][1].split("{")[0]), f.hint
        assert f.sheet.isascii() and f.column.isascii()


def test_demo_read_back_from_a_built_workbook(tmp_path):
    from xlcollab.io.read import read_workbook
    from xlcollab.io.save import save_new_workbook
    from xlcollab.workbook import build_workbook

    path = save_new_workbook(build_workbook(demo_project()), tmp_path / "demo.xlsx")
    data = read_workbook(path)
    cal = WorkCalendar.from_holidays(data.tables["holidays"])
    found = run_rules(data, STATUS_DATE, cal)
    assert {f.rule_id for f in found} == EXPECTED_DEMO_RULES
    blocked = next(f for f in found if f.rule_id == "tasks.blocked_without_reason")
    col = data.layout["tasks"].columns["blocked_reason"]
    row = int(data.tables["tasks"].index[data.tables["tasks"]["wbs"] == "3.4.4"][0])
    from openpyxl.utils import get_column_letter

    assert blocked.location == f"任务清单!{get_column_letter(col)}{row}"
    assert blocked.location == "任务清单!N43"
