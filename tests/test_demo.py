"""The demo project: realistic, consistent, with exactly the problems it
declares."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.model.frames import PANDAS_DTYPES, empty_frame, frame
from xlcollab.schema import CHOICE_LISTS, OVERVIEW, SETTINGS, SHEETS, Kind, T, table_sheets
from xlcollab.workbook.blank import blank_project
from xlcollab.workbook.demo import (
    DEMO_DUPLICATE_INVOICE,
    DEMO_PROBLEMS,
    DEMO_UNBUDGETED_INVOICE,
    END,
    PROJECT_NAME,
    START,
    STATUS_DATE,
    demo_filename,
    demo_project,
)

D = dt.date


@pytest.fixture(scope="module")
def data():
    return demo_project()


@pytest.fixture(scope="module")
def cal(data):
    return WorkCalendar.from_holidays(data.tables["holidays"])


@pytest.fixture(scope="module")
def tasks(data):
    return data.tables["tasks"]


def _day(ts) -> dt.date | None:
    return None if pd.isna(ts) else ts.date()


def _problems(sheet: str) -> set[str]:
    return {key for s, key, _ in DEMO_PROBLEMS if s == sheet}


def _week(d: dt.date) -> int:
    return (d - START).days // 7 + 1


# ---------------------------------------------------------------- shape -----
def test_fixed_dates_and_overview(data):
    assert D(2026, 3, 2) == START and START.weekday() == 0
    assert D(2026, 4, 30) == END and _week(END) == 9
    assert D(2026, 4, 1) == STATUS_DATE and _week(STATUS_DATE) == 5
    ov = data.overview
    assert set(ov) == {c.key for c in OVERVIEW.columns}
    assert ov["name"] == PROJECT_NAME
    assert ov["start_date"] == START and ov["end_date"] == END
    assert ov["status_date"] == STATUS_DATE
    assert ov["current_phase"] == "execution"
    team = set(data.tables["team"]["name"])
    assert {ov["sponsor"], ov["project_lead"], ov["pm"]} <= team


def test_every_table_is_typed_like_the_schema(data):
    for sheet in table_sheets():
        df = data.tables[sheet.key]
        assert list(df.columns) == sheet.keys, sheet.key
        for col in sheet.columns:
            assert str(df[col.key].dtype) == PANDAS_DTYPES[col.type], (sheet.key, col.key)
            if col.type is T.MONEY:
                assert all(
                    isinstance(v, Decimal) and v == v.quantize(Decimal("0.01"))
                    for v in df[col.key].dropna()
                ), (sheet.key, col.key)
            if col.type is T.ENUM:
                allowed = set(CHOICE_LISTS[col.choices].keys)
                assert set(df[col.key].dropna()) <= allowed, (sheet.key, col.key)
        assert df.index[0] == 2 if len(df) else True  # Excel rows from row 2
    assert data.settings == {**{c.key: c.default for c in SETTINGS.columns}, "report_lang": "zh"}


def test_required_fields_filled(data):
    for sheet in table_sheets():
        if sheet.key == "findings":
            continue
        df = data.tables[sheet.key]
        for col in sheet.columns:
            if col.required:
                missing = df[col.key].isna()
                assert not missing.any(), (sheet.key, col.key, list(df.index[missing]))


def test_people_departments_and_task_references_exist(data):
    people = set(data.tables["team"]["name"])
    depts = set(data.tables["departments"]["name"])
    codes = set(data.tables["tasks"]["wbs"])
    for sheet in table_sheets():
        df = data.tables[sheet.key]
        for col in sheet.columns:
            values = set(df[col.key].dropna())
            if col.type is T.PERSON:
                assert values <= people, (sheet.key, col.key, values - people)
            elif col.type is T.DEPARTMENT:
                assert values <= depts, (sheet.key, col.key, values - depts)
            elif col.type is T.REF:
                refs = {c.strip() for v in values for c in v.split(",")}
                assert refs <= codes, (sheet.key, col.key, refs - codes)
    for key in ("sponsor", "project_lead", "pm"):
        assert data.overview[key] in people


def test_choice_columns_use_the_lists(data):
    for sheet in table_sheets():
        for col in sheet.columns:
            if col.type is T.CHOICE:
                values = set(data.tables[sheet.key][col.key].dropna())
                assert values <= set(data.lists[col.choices]), (sheet.key, col.key, values)


def test_english_variant_same_data():
    zh, en = demo_project("zh"), demo_project("en")
    assert en.lang == "en" and zh.lang == "zh"
    assert en.settings["report_lang"] == "en"
    pd.testing.assert_frame_equal(zh.tables["tasks"], en.tables["tasks"])
    assert list(en.tables["expenses"]["amount"]) == list(zh.tables["expenses"]["amount"])
    assert set(en.tables["budget"]["category"]) <= set(en.lists["expense_category"])
    assert "Outsourcing" in set(en.tables["budget"]["category"])
    assert en.overview == zh.overview
    assert demo_filename("zh").endswith(".xlsx") and demo_filename("en").endswith(".xlsx")
    assert demo_filename("zh") != demo_filename("en")


# ----------------------------------------------------------- departments ----
def test_departments_and_roles(data):
    depts = data.tables["departments"]
    team = data.tables["team"]
    names = set(depts["name"])
    assert {"总经理办公室", "项目管理部", "质量管理部", "财务部", "信息技术部"} <= names
    assert len(names - {"总经理办公室", "项目管理部"}) >= 6
    assert (depts["kpi_weight"] >= 0.10).all()
    dept_of = dict(zip(team["name"], team["department"], strict=False))
    for row in depts.itertuples():
        assert dept_of[row.liaison] == row.name and dept_of[row.director] == row.name
    assert set(team["department"]) <= names
    roles = Counter(team["role"])
    for role in ("project_lead", "pm", "quality", "finance", "it_support"):
        assert roles[role] == 1, role
    assert roles["adviser"] >= 1 and roles["member"] >= 5
    where = {r: set(team.loc[team["role"] == r, "department"]) for r in roles}
    assert where["project_lead"] == {"总经理办公室"} and where["pm"] == {"项目管理部"}
    assert where["quality"] == {"质量管理部"} and where["finance"] == {"财务部"}
    assert where["it_support"] == {"信息技术部"}
    assert 18 <= len(team) <= 26 and team["name"].is_unique
    assert team["phone"].str.fullmatch(r"1[3-9]\d{9}").all()
    assert team["email"].str.contains("@").all()
    res = data.tables["resources"]
    assert set(res["department"]) == names
    assert set(res["committed_by"]) <= set(team["name"])


# ----------------------------------------------------------------- tasks ----
def test_task_volume_and_statuses(tasks):
    assert len(tasks) >= 60
    assert tasks["wbs"].is_unique
    assert set(tasks["status"]) == {"not_started", "in_progress", "done", "blocked"}
    assert set(tasks["phase"]) == {"kickoff", "planning", "execution", "monitoring", "closing"}
    for name in (
        "项目章程",
        "职责分工说明书",
        "WBS任务分解结构",
        "跨部门任务协作清单",
        "需求调研报告",
        "UAT测试",
        "上线切换",
        "项目交付确认书",
        "项目总结报告",
        "数据迁移",
        "系统接口",
        "用户",
        "培训",
    ):
        assert (
            tasks["name"].str.contains(name).any()
            or tasks["deliverable"].fillna("").str.contains(name).any()
        ), name


def test_wbs_parents_exist_and_codes_are_well_formed(tasks):
    codes = set(tasks["wbs"])
    assert tasks["wbs"].str.fullmatch(r"\d+(\.\d+){0,2}").all()
    for code in codes:
        if "." in code:
            assert code.rsplit(".", 1)[0] in codes, code
    assert {"1", "2", "3", "4", "5"} <= codes
    assert any(c.count(".") == 2 for c in codes)


def _preds(tasks) -> dict[str, list[str]]:
    return {
        w: [p.strip() for p in (p or "").split(",") if p.strip()]
        for w, p in zip(tasks["wbs"], tasks["predecessors"], strict=False)
    }


def test_predecessors_exist_and_form_a_dag(tasks):
    preds = _preds(tasks)
    assert sum(len(p) for p in preds.values()) >= 50
    for code, ps in preds.items():
        for p in ps:
            assert p in preds, (code, p)
    # Kahn's algorithm: every node gets sorted, so there is no cycle
    indeg = {c: len(ps) for c, ps in preds.items()}
    succ: dict[str, list[str]] = {c: [] for c in preds}
    for c, ps in preds.items():
        for p in ps:
            succ[p].append(c)
    ready = [c for c, n in indeg.items() if n == 0]
    seen = 0
    while ready:
        c = ready.pop()
        seen += 1
        for s in succ[c]:
            indeg[s] -= 1
            if indeg[s] == 0:
                ready.append(s)
    assert seen == len(preds)


def test_successors_start_after_predecessors_finish(tasks):
    preds = _preds(tasks)
    by = tasks.set_index("wbs")
    for code, ps in preds.items():
        for p in ps:
            assert by.at[code, "planned_start"] > by.at[p, "planned_finish"], (code, p)
            started = by.at[code, "actual_start"]
            if pd.notna(started) and pd.notna(by.at[p, "actual_finish"]):
                assert started > by.at[p, "actual_finish"], (code, p)


def test_dates_inside_the_right_weeks(tasks, cal):
    weeks = {
        "kickoff": (1, 1),
        "planning": (2, 2),
        "execution": (3, 8),
        "monitoring": (3, 8),
        "closing": (9, 9),
    }
    for row in tasks.itertuples():
        ps, pf = row.planned_start.date(), row.planned_finish.date()
        lo, hi = weeks[row.phase]
        assert lo <= _week(ps) <= _week(pf) <= hi, row.wbs
        assert START <= ps <= pf <= END, row.wbs
        assert cal.is_workday(ps) and cal.is_workday(pf), row.wbs
        assert (
            row.phase
            == {
                "1": "kickoff",
                "2": "planning",
                "3": "execution",
                "4": "monitoring",
                "5": "closing",
            }[row.wbs.split(".")[0]]
        )
    # the holidays matter: nothing is planned on Qingming Monday, yet work spans it
    assert not cal.is_workday(D(2026, 4, 6))
    spans = tasks[
        (tasks["planned_start"] < "2026-04-06") & (tasks["planned_finish"] > "2026-04-06")
    ]
    assert len(spans) >= 3


def test_statuses_consistent_with_the_status_date(tasks):
    today = pd.Timestamp(STATUS_DATE)
    bad_done = _problems("tasks")
    for row in tasks.itertuples():
        if row.status == "done":
            assert row.progress == 1.0, row.wbs
            assert pd.notna(row.actual_start), row.wbs
            if row.wbs not in bad_done:
                assert pd.notna(row.actual_finish) and row.actual_finish <= today, row.wbs
                assert row.actual_finish >= row.actual_start
        elif row.status == "not_started":
            assert row.progress == 0 and pd.isna(row.actual_start), row.wbs
            assert pd.isna(row.actual_finish)
        else:  # in progress / blocked
            assert pd.notna(row.actual_start) and row.actual_start <= today, row.wbs
            assert pd.isna(row.actual_finish) and 0 < row.progress < 1, row.wbs
        if row.status == "blocked" and row.wbs not in bad_done:
            assert row.blocked_reason, row.wbs
        if row.status != "blocked":
            assert not row.blocked_reason and pd.isna(row.blocked_since), row.wbs
        if pd.notna(row.actual_start):
            assert row.actual_start <= today
    # everything that finished before kick-off of execution is done
    early = tasks[tasks["planned_finish"] <= "2026-03-13"]
    assert (early["status"] == "done").all()
    # nothing starts in the future
    future = tasks[tasks["planned_start"] > today]
    assert (future["status"] == "not_started").all()


def test_summary_rows_roll_up(tasks):
    by = tasks.set_index("wbs")
    for code in by.index:
        kids = [
            c for c in by.index if c.startswith(code + ".") and c.count(".") == code.count(".") + 1
        ]
        if not kids:
            continue
        assert by.at[code, "planned_start"] == min(by.loc[kids, "planned_start"])
        assert by.at[code, "planned_finish"] == max(by.loc[kids, "planned_finish"])
        statuses = set(by.loc[kids, "status"])
        if statuses == {"done"}:
            assert by.at[code, "status"] == "done"


def test_owners_belong_to_their_department(data, tasks):
    team = data.tables["team"]
    dept_of = dict(zip(team["name"], team["department"], strict=False))
    wrong = {r.wbs for r in tasks.itertuples() if dept_of[r.owner] != r.department}
    assert wrong == {"3.4.6"}


def test_flags_at_the_status_date(data, tasks, cal):
    tf = flags.task_flags(tasks, STATUS_DATE, cal, int(data.setting("due_soon_days")))
    overdue = set(tasks.loc[tf["overdue"].fillna(False).astype(bool), "wbs"])
    assert len(overdue) >= 3
    assert {"3.1.5", "3.3.4", "3.4.2", "3.4.4", "3.4.7", "4.5"} <= overdue
    due_soon = set(tasks.loc[tf["due_soon"].fillna(False).astype(bool), "wbs"])
    assert 2 <= len(due_soon - {"3", "3.1", "3.2"}) <= 8
    assert {"3.2.3", "3.2.4", "3.7.1"} <= due_soon
    # the computed columns the demo filled, against fixed values written down once for
    # the status date 2026-04-01 on the 2026 working-day calendar (e.g. 3.1.4 finished
    # two working days late), not recomputed with the functions that filled them
    by = tasks.set_index("wbs")
    assert by["days_late"].notna().all() and by["overdue"].notna().all()
    assert {w: int(n) for w, n in by["days_late"].items() if n} == {
        "3.1": 3,
        "3.1.2": 1,
        "3.1.4": 2,
        "3.1.5": 3,
        "3.3.4": 1,
        "3.4.2": 3,
        "3.4.4": 3,
        "3.4.7": 2,
        "4.5": 1,
    }
    assert set(by.index[by["overdue"].astype(bool)]) == {
        "3.1",
        "3.1.5",
        "3.3.4",
        "3.4.2",
        "3.4.4",
        "3.4.7",
        "4.5",
    }
    assert by["due_soon"].notna().all()
    assert set(by.index[by["due_soon"].astype(bool)]) == {
        "3.2",
        "3.2.2",
        "3.2.3",
        "3.2.4",
        "3.4.6",
        "3.7.1",
    }
    # done late: 需求调研报告 two working days late
    assert tasks.set_index("wbs").at["3.1.4", "days_late"] == 2


def test_blocked_tasks_escalate_by_working_days(data, tasks, cal):
    blocked = tasks[tasks["status"] == "blocked"]
    assert len(blocked) >= 2
    # fixed values: 3.3.4 blocked since Thu 3/26 is 4 working days old on 4/1, more
    # than the 2 the department has: the PM's; 3.4.4 since Mon 3/30 is 2: the department's
    since = {r.wbs: r.blocked_since.date() for r in blocked.itertuples()}
    assert since == {"3.3.4": D(2026, 3, 26), "3.4.4": D(2026, 3, 30)}
    assert cal.workdays_between(D(2026, 3, 26), STATUS_DATE) == 4
    assert cal.workdays_between(D(2026, 3, 30), STATUS_DATE) == 2
    assert dict(zip(blocked["wbs"], blocked["escalation"], strict=True)) == {
        "3.3.4": "pm",
        "3.4.4": "department",
    }
    esc = data.tables["escalations"]
    assert set(esc["level"]) == {"department", "pm", "lead"}
    assert set(esc["task"]) <= set(tasks["wbs"])
    people = set(data.tables["team"]["name"])
    assert set(esc["raised_by"]) <= people and set(esc["goes_to"]) <= people
    by = tasks.set_index("wbs")
    open_pm = esc[(esc["level"] == "pm") & esc["closed_on"].isna()]
    assert set(open_pm["task"]) <= set(blocked["wbs"])
    assert by.at["3.3.4", "escalation"] == "pm"


def test_approval(tasks):
    unapproved = set(tasks.loc[~tasks["approved"].fillna(False).astype(bool), "wbs"])
    assert unapproved == {"3.6.5"}


# ------------------------------------------------------ milestones, risks ----
def test_milestones(data, tasks):
    ms = data.tables["milestones"]
    assert set(ms["phase"]) >= {"kickoff", "planning", "execution", "closing"}
    assert ms["name"].is_unique
    codes = set(tasks["wbs"])
    for refs in ms["tasks"].dropna():
        assert {c.strip() for c in refs.split(",")} <= codes
    today = pd.Timestamp(STATUS_DATE)
    passed = ms[ms["planned_date"] < today]
    unreviewed = set(passed.loc[passed["review_date"].isna(), "name"])
    assert unreviewed == _problems("milestones") == {"需求确认完成"}
    reviewed = passed[passed["review_date"].notna()]
    assert len(reviewed) >= 2
    assert reviewed["review_result"].notna().all() and reviewed["opinion"].notna().all()
    assert set(reviewed["reviewer"]) == {"胡雪梅"}


def test_risks(data):
    risks = data.tables["risks"]
    assert 10 <= len(risks) <= 15 and risks["risk_id"].is_unique
    cats = set(risks["category"])
    assert {"人员变动", "系统对接延迟", "需求变更"} <= cats
    rf = flags.risk_flags(
        risks,
        STATUS_DATE,
        data.setting("risk_medium"),
        data.setting("risk_high"),
        data.setting("risk_review_days"),
    )
    assert set(rf["level"]) == {"low", "medium", "high"}
    # the levels the demo filled, fixed: score = probability × impact, high from 15,
    # medium from 8 (R01 3×5, R02 4×4, R05 3×5 high; R07 2×3, R09 2×3, R11 2×2 low)
    assert dict(zip(risks["risk_id"], risks["level"], strict=True)) == {
        "R01": "high",
        "R02": "high",
        "R03": "medium",
        "R04": "medium",
        "R05": "high",
        "R06": "medium",
        "R07": "low",
        "R08": "medium",
        "R09": "low",
        "R10": "medium",
        "R11": "low",
        "R12": "medium",
    }
    assert list(rf["level"]) == list(risks["level"])
    high_no_plan = set(risks.loc[(rf["level"] == "high") & risks["contingency"].isna(), "risk_id"])
    assert high_no_plan == {"R05"}
    assert risks.loc[rf["level"] == "high", "owner"].notna().all()
    stale = set(risks.loc[rf["review_overdue"].fillna(False).astype(bool), "risk_id"])
    assert stale == {"R08"}
    assert "closed" in set(risks["status"])
    assert set(risks["owner"].dropna()) <= set(data.tables["team"]["name"])


# ---------------------------------------------------------------- finance ----
def test_budget_lines(data):
    budget = data.tables["budget"]
    assert 20 <= len(budget) <= 30
    keys = list(zip(budget["department"], budget["category"], strict=False))
    assert len(set(keys)) == len(keys)
    assert set(budget["department"]) <= set(data.tables["departments"]["name"])
    bu = flags.budget_used(budget, data.tables["expenses"])
    over = {
        f"{d}/{c}"
        for d, c, u, a in zip(
            budget["department"], budget["category"], bu["used"], budget["amount"], strict=False
        )
        if u > a
    }
    assert over == _problems("budget") == {"信息技术部/外包服务"}
    # the amounts used the demo filled, fixed: the sums of the demo's expense lines
    # per department and category (checked once with a plain group-by), written down
    used = {
        ("总经理办公室", "会议"): "5710.60",
        ("项目管理部", "人工"): "20600.00",
        ("项目管理部", "会议"): "2380.00",
        ("项目管理部", "外包服务"): "40000.00",
        ("项目管理部", "其他"): "1285.50",
        ("市场部", "外包服务"): "18000.00",
        ("市场部", "差旅"): "2846.30",
        ("市场部", "会议"): "1480.00",
        ("市场部", "其他"): "3600.00",
        ("销售部", "培训"): "5200.00",
        ("销售部", "其他"): "0.00",
        ("客户服务部", "人工"): "16200.00",
        ("客户服务部", "培训"): "11780.40",
        ("产品研发部", "人工"): "45000.00",
        ("产品研发部", "软件"): "64800.00",
        ("产品研发部", "差旅"): "3840.00",
        ("信息技术部", "设备"): "122910.75",
        ("信息技术部", "软件"): "58400.00",
        ("信息技术部", "外包服务"): "210000.00",
        ("信息技术部", "人工"): "18000.00",
        ("财务部", "人工"): "3500.00",
        ("财务部", "其他"): "650.00",
        ("质量管理部", "人工"): "6000.00",
        ("质量管理部", "外包服务"): "24000.00",
        ("质量管理部", "培训"): "4800.00",
    }
    assert dict(zip(keys, budget["used"], strict=True)) == {k: Decimal(v) for k, v in used.items()}
    assert list(bu["used"]) == list(budget["used"])


def test_expenses(data):
    exp = data.tables["expenses"]
    months = set(exp["date"].dt.strftime("%Y-%m"))
    assert months == {"2026-02", "2026-03", "2026-04"}
    by_month = Counter(exp["date"].dt.month)
    assert by_month[3] >= 20 and 1 <= by_month[2] <= 4 and by_month[4] >= 2
    assert (exp["date"] <= pd.Timestamp(STATUS_DATE)).all()
    assert set(exp.loc[exp["date"].dt.month == 4, "date"].dt.date) == {STATUS_DATE}
    assert all(a > 0 for a in exp["amount"])
    assert any(a != a.to_integral_value() for a in exp["amount"])  # some amounts have fen
    assert exp["invoice_no"].str.fullmatch(r"\d{20}").all()
    dup = exp["invoice_no"][exp["invoice_no"].duplicated(keep=False)]
    assert set(dup) == {DEMO_DUPLICATE_INVOICE} and len(dup) == 2
    lines = set(
        zip(data.tables["budget"]["department"], data.tables["budget"]["category"], strict=False)
    )
    unbudgeted = set(
        exp.loc[
            [(d, c) not in lines for d, c in zip(exp["department"], exp["category"], strict=False)],
            "invoice_no",
        ]
    )
    assert unbudgeted == {DEMO_UNBUDGETED_INVOICE}
    early = set(exp.loc[exp["date"] < pd.Timestamp(START), "invoice_no"])
    assert early == {k for s, k, what in DEMO_PROBLEMS if s == "expenses" and "开始" in what}
    assert set(exp["approver"]) <= set(data.tables["team"]["name"])
    assert set(exp["task"]) <= set(data.tables["tasks"]["wbs"])
    # a Saturday make-up workday shows up in the ledger
    assert D(2026, 2, 28) in set(exp["date"].dt.date)


# -------------------------------------------------- meetings, deliverables ---
def test_meetings(data, cal):
    m = data.tables["meetings"]
    assert set(m["type"]) == {"weekly", "standup", "briefing", "urgent"}
    weekly = sorted(set(m.loc[m["type"] == "weekly", "date"].dt.date))
    assert weekly == [D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 16), D(2026, 3, 23), D(2026, 3, 30)]
    assert all(d.weekday() == 0 for d in weekly)
    assert m["decisions"].str.contains("4月7日").any()  # Qingming Monday moves the meeting
    assert all(cal.is_workday(d) for d in m["date"].dt.date)
    assert (m["date"] <= pd.Timestamp(STATUS_DATE)).all()
    assert set(m["action_owner"]) <= set(data.tables["team"]["name"])
    past_due = m[m["action_due"] < pd.Timestamp(STATUS_DATE)]
    assert past_due["action_done"].all()


def test_deliverables(data, tasks):
    dl = data.tables["deliverables"]
    by = tasks.set_index("wbs")
    assert len(dl) >= 20 and dl["name"].is_unique
    for row in dl.itertuples():
        t = by.loc[row.task]
        assert row.department == t["department"]
        if t["status"] == "done":
            assert row.accepted and pd.notna(row.accepted_on) and row.signed_by, row.name
            assert row.accepted_on <= pd.Timestamp(STATUS_DATE)
        else:
            assert not row.accepted and pd.isna(row.accepted_on), row.name
    assert {
        "项目章程",
        "职责分工说明书",
        "跨部门任务协作清单",
        "项目交付确认书",
        "项目总结报告",
    } <= set(dl["name"])


def test_holidays_prefilled_for_2026(data):
    hol = data.tables["holidays"]
    assert set(hol["date"].dt.year) == {2026}
    days = dict(zip(hol["date"].dt.date, hol["type"], strict=False))
    assert days[D(2026, 4, 6)] == "off" and days[D(2026, 5, 9)] == "work"
    assert days[D(2026, 2, 28)] == "work"


# --------------------------------------------------------- the problems -----
def test_demo_problems_are_declared_and_present(data, tasks):
    keys = {(s, k) for s, k, _ in DEMO_PROBLEMS}
    assert len(keys) == len(DEMO_PROBLEMS) >= 9
    for sheet, key, what in DEMO_PROBLEMS:
        assert sheet in SHEETS and what
        df = data.tables[sheet]
        if sheet == "expenses":
            assert key in set(df["invoice_no"])
        elif sheet == "budget":
            dept, cat = key.split("/")
            assert ((df["department"] == dept) & (df["category"] == cat)).sum() == 1
        else:
            assert key in set(df[SHEETS[sheet].record_key]), (sheet, key)
    by = tasks.set_index("wbs")
    assert by.at["2.6", "status"] == "done" and pd.isna(by.at["2.6", "actual_finish"])
    assert by.at["3.4.4", "status"] == "blocked" and not by.at["3.4.4", "blocked_reason"]
    assert not by.at["3.6.5", "approved"]


# ---------------------------------------------------------- blank & frame ---
def test_blank_project():
    p = blank_project("zh", start=D(2026, 3, 2), years=range(2026, 2028))
    for sheet in table_sheets():
        df = p.tables[sheet.key]
        assert list(df.columns) == sheet.keys
        if sheet.key != "holidays":
            assert len(df) == 0
    assert p.overview["start_date"] == D(2026, 3, 2)
    assert all(v is None for k, v in p.overview.items() if k != "start_date")
    assert p.settings["due_soon_days"] == 3 and p.settings["risk_review_days"] == 14
    assert p.lists["expense_category"][0] == "人工"
    assert set(p.tables["holidays"]["date"].dt.year) == {2026}  # 2027 is not known yet
    assert blank_project().tables["holidays"].empty
    en = blank_project("en", years=[2025])
    assert en.lang == "en" and en.lists["expense_category"][0] == "Labour"
    assert set(en.tables["holidays"]["date"].dt.year) == {2025}
    assert en.tables["holidays"].index[0] == 2


def test_frame_conversions_and_errors():
    df = frame(
        "tasks",
        [
            {
                "wbs": "1",
                "status": "已完成",
                "planned_finish": "2026-03-05",
                "progress": 1,
                "approved": "是",
                "days_late": 2.0,
            }
        ],
    )
    assert df.at[2, "status"] == "done" and bool(df.at[2, "approved"]) is True
    assert df.at[2, "planned_finish"] == pd.Timestamp("2026-03-05")
    assert pd.isna(df.at[2, "owner"]) and df.at[2, "days_late"] == 2
    money = frame("expenses", [{"amount": 12.5}, {"amount": "3.456"}, {"amount": 7}])
    assert list(money["amount"]) == [Decimal("12.50"), Decimal("3.46"), Decimal("7.00")]
    cats = frame(
        "budget", [{"category": "travel"}, {"category": "差旅"}, {"category": "自定义"}], lang="en"
    )
    assert list(cats["category"]) == ["Travel", "Travel", "自定义"]
    with pytest.raises(ValueError):
        frame("tasks", [{"nope": 1}])
    with pytest.raises(ValueError):
        frame("tasks", [{"status": "finished-ish"}])
    with pytest.raises(ValueError):
        frame("tasks", [{"planned_finish": 3}])
    with pytest.raises(ValueError):
        empty_frame("overview")
    assert SHEETS["overview"].kind is Kind.FORM
