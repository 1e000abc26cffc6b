"""The document pack, read back: every document of the demo project at its
status date (2026-04-01) has the right tasks in the right sections, the
right counts, escalations and numbers, and its charts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from xlcollab.core import flags
from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import leaf_mask
from xlcollab.io import read_workbook
from xlcollab.reports import KINDS, generate, generate_all
from xlcollab.reports.common import fmt_money
from xlcollab.workbook.demo import STATUS_DATE

AS_OF = STATUS_DATE  # 2026-04-01, a Wednesday in week 5


# --------------------------------------------------------------- helpers ---
def blocks(path: Path):
    """The document body in order: ("p", style, text) and ("t", rows)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out = []
    for el in doc.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = Paragraph(el, doc)
            if p.text.strip():
                out.append(("p", p.style.name, p.text.strip()))
        elif tag == "tbl":
            t = Table(el, doc)
            out.append(("t", [[c.text.strip() for c in r.cells] for r in t.rows]))
    return out


def text_of(path: Path) -> str:
    parts = []
    for b in blocks(path):
        parts.append(b[2] if b[0] == "p" else "\n".join(" | ".join(r) for r in b[1]))
    return "\n".join(parts)


def column_index(rows, header: str) -> int:
    return rows[0].index(header)


def table_after(bl, heading: str, start: int = 0):
    """The first table after the first paragraph (from ``start``) whose text
    starts with ``heading``; None when a heading of the same or a higher
    level comes first."""
    for i in range(start, len(bl)):
        if bl[i][0] == "p" and bl[i][2].startswith(heading):
            for j in range(i + 1, len(bl)):
                if bl[j][0] == "t":
                    return bl[j][1]
                if bl[j][0] == "p" and bl[j][1].startswith("Heading") and bl[j][1] <= bl[i][1]:
                    return None
            return None
    raise AssertionError(f"no paragraph starts with {heading!r}")


def index_of(bl, text: str) -> int:
    for i, b in enumerate(bl):
        if b[0] == "p" and b[2].startswith(text):
            return i
    raise AssertionError(f"no paragraph starts with {text!r}")


def department_section(bl, dept: str) -> list:
    """The blocks of one department's 5-minute section in the weekly report."""
    i = index_of(bl, f"{dept}（对接人")
    j = i + 1
    while j < len(bl) and not (
        bl[j][0] == "p" and bl[j][1] == "Heading 2" or bl[j][0] == "p" and bl[j][1] == "Heading 1"
    ):
        j += 1
    return bl[i:j]


def section_table(sec: list, title: str):
    for k, b in enumerate(sec):
        if b[0] == "p" and b[1] == "Heading 3" and b[2].startswith(title):
            return next(x[1] for x in sec[k + 1 :] if x[0] == "t")
    return None


def column(rows, header: str) -> list[str]:
    i = rows[0].index(header)
    return [r[i] for r in rows[1:]]


# -------------------------------------------------------------- fixtures ---
@pytest.fixture(scope="module")
def data(demo_path):
    return read_workbook(demo_path)


@pytest.fixture(scope="module")
def cal(data):
    return WorkCalendar.from_holidays(data.tables["holidays"])


@pytest.fixture(scope="module")
def findings(data):
    """The check's findings when the check exists, else the reader's."""
    try:
        from xlcollab.check import check
    except ImportError:
        return list(data.findings)
    return list(check(data, AS_OF, "zh").findings)


@pytest.fixture(scope="module")
def pack(data, findings, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pack")
    paths = generate_all(data, out, as_of=AS_OF, lang="zh", findings=findings)
    return dict(zip(KINDS, paths, strict=False))


@pytest.fixture(scope="module")
def leaves(data, cal):
    tasks = data.tables["tasks"]
    lv = tasks[leaf_mask(tasks)].copy()
    tf = flags.task_flags(lv, AS_OF, cal, 3)
    for k in tf:
        lv[k] = tf[k]
    return lv


# ----------------------------------------------------------------- pack ---
def test_pack_has_every_document_with_safe_names(pack):
    assert set(pack) == {
        "charter",
        "roles",
        "checklist",
        "weekly",
        "quality",
        "delivery",
        "summary",
        "briefing",
    }
    for kind, path in pack.items():
        assert path.exists() and path.stat().st_size > 10_000
        assert path.name.endswith(
            "_客户服务数字化平台建设项目_2026-04-01." + ("pptx" if kind == "briefing" else "docx")
        )
    assert pack["weekly"].name.startswith("周例会进度报告_")
    assert pack["charter"].name.startswith("项目章程_")


def test_documents_are_deterministic(data, findings, tmp_path, pack):
    for kind in ("weekly", "briefing", "quality"):
        again = generate(kind, data, tmp_path, as_of=AS_OF, lang="zh", findings=findings)
        assert again.read_bytes() == pack[kind].read_bytes(), kind


def test_document_properties_come_from_the_report_date(pack):
    core = Document(str(pack["weekly"])).core_properties
    day = dt.datetime(2026, 4, 1)
    assert core.created.replace(tzinfo=None) == day == core.modified.replace(tzinfo=None)
    assert core.author == "xlcollab" and "周例会进度报告" in core.title
    p = Presentation(str(pack["briefing"])).core_properties
    assert p.modified.replace(tzinfo=None) == day


def test_a4_and_east_asian_fonts(pack):
    from docx.oxml.ns import qn

    doc = Document(str(pack["charter"]))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        rfonts = doc.styles[name].element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) in ("宋体", "黑体"), name


# --------------------------------------------------------------- weekly ---
def test_weekly_blocked_tasks_with_reason_since_and_level(pack):
    bl = blocks(pack["weekly"])
    it = section_table(department_section(bl, "信息技术部"), "阻塞")
    assert column(it, "WBS") == ["3.3.4"]
    row = dict(zip(it[0], it[1], strict=False))
    assert row["阻塞原因"] == "呼叫中心供应商未按期提供接口文档及测试环境"
    assert row["阻塞开始"] == "2026-03-26"
    assert row["阻塞工作日"] == "4"  # Mar 27, 30, 31, Apr 1
    assert row["升级层级"] == "项目经理协调"
    mk = section_table(department_section(bl, "市场部"), "阻塞")
    row = dict(zip(mk[0], mk[1], strict=False))
    assert row["WBS"] == "3.4.4" and row["阻塞原因"] == "（未填写）"
    assert row["升级层级"] == "部门内解决" and row["阻塞开始"] == "2026-03-30"
    for dept in ("财务部", "销售部", "项目管理部", "总经理办公室"):
        assert section_table(department_section(bl, dept), "阻塞") is None


def test_weekly_overdue_tasks_with_days_late_from_flags(pack, leaves):
    bl = blocks(pack["weekly"])
    expected = leaves[leaves["overdue"].fillna(False).astype(bool)]
    assert len(expected) == 6
    seen = {}
    for dept in expected["department"].unique():
        rows = section_table(department_section(bl, dept), "逾期")
        for r in rows[1:]:
            rec = dict(zip(rows[0], r, strict=False))
            seen[rec["WBS"]] = (dept, int(rec["延误工作日"]))
    assert seen == {
        w: (d, int(n))
        for w, d, n in zip(
            expected["wbs"], expected["department"], expected["days_late"], strict=False
        )
    }
    assert seen["3.4.2"] == ("客户服务部", 3) and seen["4.5"] == ("质量管理部", 1)


def test_weekly_due_this_week_and_done_since_last_week(pack, leaves):
    bl = blocks(pack["weekly"])
    due = section_table(department_section(bl, "信息技术部"), "本周到期")
    assert column(due, "WBS") == ["3.2.3", "3.2.4"]  # Apr 2 and Apr 1, not done
    done = section_table(department_section(bl, "客户服务部"), "上周以来完成")
    assert column(done, "WBS") == ["3.4.1"] and column(done, "实际完成") == ["2026-03-26"]
    # every task due this week in the report is open and due Mon-Sun of week 5
    for dept in leaves["department"].unique():
        rows = section_table(department_section(bl, dept), "本周到期")
        for w in column(rows, "WBS") if rows else []:
            t = leaves[leaves["wbs"] == w].iloc[0]
            assert t["status"] != "done"
            assert dt.date(2026, 4, 1) <= t["planned_finish"].date() <= dt.date(2026, 4, 5)


def test_weekly_figures_escalations_risks_decisions(pack, data):
    bl = blocks(pack["weekly"])
    fig = table_after(bl, "一、本周概况")
    rec = dict(zip(fig[0], fig[1], strict=False))
    assert rec["任务总数"] == "65" and rec["阻塞"] == "2" and rec["逾期"] == "6"
    assert rec["已完成"].startswith("24")
    # every escalation is listed under its level
    esc = data.tables["escalations"]
    labels = {"lead": "总负责人决策", "pm": "项目经理协调", "department": "部门内解决"}
    for level, label in labels.items():
        rows = table_after(bl, label + "（", index_of(bl, "三、问题聚焦"))
        want = set(esc.loc[esc["level"] == level, "issue"])
        assert set(column(rows, "问题")) == want
    lead = table_after(bl, "总负责人决策（", index_of(bl, "三、问题聚焦"))
    assert column(lead, "状态") == ["已关闭"]
    risks = table_after(bl, "（二）新增、高风险及逾期未复核的风险")
    ids = column(risks, "编号")
    assert ids[:3] == ["R02", "R01", "R05"]  # highest score first
    assert "R12" in ids and "R11" not in ids  # new (Mar 25) / closed
    assert "R08" in ids  # last reviewed Mar 13: the two-weekly review is overdue
    assert "复核逾期" in risks[ids.index("R08") + 1][column_index(risks, "标记")]
    decisions = "\n".join(" ".join(r) for r in table_after(bl, "（三）待决策事项"))
    assert "信息技术部/外包服务 超支 ¥10,000.00" in decisions
    assert "R05" in decisions and "呼叫中心对接阻塞已超过2个工作日" in decisions


def test_weekly_has_gantt_and_progress_charts(pack):
    doc = Document(str(pack["weekly"]))
    assert len(doc.inline_shapes) == 2
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 2 and all(b[:8] == b"\x89PNG\r\n\x1a\n" for b in blobs)


def test_weekly_for_another_week(data, tmp_path):
    path = generate("weekly", data, tmp_path, as_of=AS_OF, week=4)
    assert path.name.endswith("_2026-03-23.docx")
    bl = blocks(path)
    assert any(b[0] == "p" and "第4周（2026-03-23 至 2026-03-29）" in b[2] for b in bl)
    # on Mar 23 nothing is blocked yet (3.3.4 blocked since Mar 26)
    fig = table_after(bl, "一、本周概况")
    assert dict(zip(fig[0], fig[1], strict=False))["逾期"] == "0"


def test_weekly_in_english(data, tmp_path):
    path = generate("weekly", data, tmp_path, as_of=AS_OF, lang="en")
    assert path.name.startswith("Weekly progress report_客户服务数字化平台建设项目_")
    bl = blocks(path)
    assert bl[0][2] == "Weekly progress report"
    sec_start = index_of(bl, "信息技术部 (liaison")
    rows = next(
        b[1]
        for b in bl[sec_start:]
        if b[0] == "t" and b[1][0][0] == "WBS" and "Blocked reason" in b[1][0]
    )
    rec = dict(zip(rows[0], rows[1], strict=False))
    assert rec["Escalation level"] == "PM coordinates"
    assert rec["Blocked reason"] == "呼叫中心供应商未按期提供接口文档及测试环境"  # data as entered


# -------------------------------------------------------------- charter ---
def test_charter(pack, data):
    bl = blocks(pack["charter"])
    text = text_of(pack["charter"])
    for needle in (
        "项目章程",
        "客户服务数字化平台建设项目",
        "陈志远",
        "王建国",
        "张伟",
        "2026-03-02 至 2026-04-30（9周，43个工作日）",
        "项目总预算 | ¥1,663,000.00",
        "移动端App（纳入二期）",
        "1. 4月24日前系统上线",
    ):
        assert needle in text, needle
    ms = table_after(bl, "三、里程碑")
    assert column(ms, "里程碑") == [
        "项目启动完成",
        "任务协作清单审批发布",
        "需求确认完成",
        "系统开发完成",
        "UAT测试通过",
        "系统上线",
        "项目验收与收尾",
    ]
    team = table_after(bl, "六、项目团队")
    assert len(team) - 1 == len(data.tables["team"])
    sponsor = data.overview["sponsor"]
    assert [r[2] for r in team[1:] if r[0] == sponsor] == ["项目发起人"]
    res = table_after(bl, "七、各部门资源承诺")
    assert len(res) - 1 == len(data.tables["resources"])
    assert column(res, "部门").count("信息技术部") == 3
    assert len(Document(str(pack["charter"])).inline_shapes) == 1  # the Gantt


# ---------------------------------------------------------------- roles ---
def test_roles_people_and_raci(pack):
    bl = blocks(pack["roles"])
    roles = {r[0]: r for r in table_after(bl, "一、角色与职责")[1:]}
    assert set(roles) == {
        "项目总负责人",
        "项目经理",
        "部门对接人",
        "质量监督员",
        "财务协调员",
        "IT支持专员",
    }
    assert roles["项目总负责人"][2] == "王建国" and roles["项目经理"][2] == "张伟"
    assert roles["质量监督员"][2] == "胡雪梅" and roles["财务协调员"][2] == "徐慧"
    assert roles["IT支持专员"][2] == "李明辉" and "高远" in roles["部门对接人"][2]
    depts = {r[0]: r for r in table_after(bl, "三、各部门对接人与任务")[1:]}
    assert depts["信息技术部"][2] == "高远" and depts["信息技术部"][4] == "11"
    raci = table_after(bl, "四、RACI 矩阵")
    assert raci[0] == ["部门", "启动", "计划", "执行", "监控", "收尾"]
    m = {r[0]: dict(zip(raci[0][1:], r[1:], strict=False)) for r in raci[1:]}
    assert len(m) == 9
    assert m["信息技术部"]["执行"] == "R" and m["市场部"]["启动"] == "I"
    assert m["总经理办公室"]["执行"] == "A" and m["总经理办公室"]["收尾"] == "A/R"
    assert m["质量管理部"]["启动"] == "C" and m["质量管理部"]["监控"] == "R"


# ------------------------------------------------------------ checklist ---
def test_checklist_groups_every_task_by_department(pack, leaves):
    bl = blocks(pack["checklist"])
    seen = {}
    for i, b in enumerate(bl):
        if b[0] == "p" and b[1] == "Heading 2" and "（对接人：" in b[2]:
            dept = b[2].split("（")[0]
            rows = next(x[1] for x in bl[i + 1 :] if x[0] == "t")
            assert b[2].endswith(f"，{len(rows) - 1} 项任务）")
            for r in rows[1:]:
                seen[r[0]] = dept
    assert seen == dict(zip(leaves["wbs"], leaves["department"], strict=False))
    wbs_rows = table_after(bl, "一、WBS 汇总")
    assert column(wbs_rows, "WBS")[:3] == ["1", "2", "3"]
    unapproved = table_after(bl, "三、待审批任务")
    assert column(unapproved, "WBS") == ["3.6.5"]
    text = text_of(pack["checklist"])
    assert "已审批 64 / 65 项" in text
    sign = bl[-1][1]
    assert ["项目总负责人", "王建国", "", ""] in sign


# -------------------------------------------------------------- quality ---
def test_quality_latest_passed_milestone(pack, findings):
    bl = blocks(pack["quality"])
    text = text_of(pack["quality"])
    assert "需求确认完成" in bl[1][2]  # subtitle
    tasks = table_after(bl, "一、评审范围")
    assert column(tasks, "WBS") == ["3.1.4", "3.1.5"]
    assert column(tasks, "状态") == ["已完成", "进行中"]
    assert column(tasks, "延误工作日") == ["2", "3"]
    assert (
        "共 2 项任务，已完成 1 项（其中延误完成 1 项），未完成 1 项；延误合计 2 项。"
        "交付物 2 项，已验收 1 项，待验收 1 项。" in text
    )
    result = table_after(bl, "三、评审结论与评估意见")
    assert "【待填写】本里程碑尚未评审" in text
    assert result == [
        ["评审结论", "□ 通过\u3000□ 有条件通过\u3000□ 不通过"],
        ["评估意见", "【待填写】"],
    ]
    found = table_after(bl, "四、本里程碑任务与交付物的检查发现")
    own = [f for f in findings if f.sheet in ("任务清单", "交付物", "里程碑")]
    assert all(f.sheet != "费用台账" for f in own)
    if found:
        assert len(found) - 1 <= len(own)
    else:
        assert "本里程碑的任务与交付物无检查发现。" in text


def test_quality_named_milestone_and_unknown_one(data, tmp_path):
    from xlcollab.model.findings import Finding
    from xlcollab.reports import ReportError

    tasks = data.tables["tasks"]
    row = int(tasks.index[tasks["wbs"] == "2.4"][0])
    f = Finding("tasks.test", "warning", "任务清单", row, "状态", f"L{row}", "测试问题", "请处理")
    other = Finding("expenses.dup", "error", "费用台账", 17, "发票号", "F17", "发票重复", "删除")
    path = generate(
        "quality",
        data,
        tmp_path,
        as_of=AS_OF,
        milestone="任务协作清单审批发布",
        findings=[f, other],
    )
    bl = blocks(path)
    assert column(table_after(bl, "一、评审范围"), "WBS") == ["2.4", "2.5"]
    assert table_after(bl, "三、评审结论与评估意见")[0] == [
        "评审结论",
        "□ 通过\u3000■ 有条件通过\u3000□ 不通过",
    ]
    found = table_after(bl, "四、本里程碑任务与交付物的检查发现")
    assert found[1:] == [["警告", f"任务清单!L{row}", "测试问题", "请处理"]]  # not the ledger's
    with pytest.raises(ReportError) as exc:
        generate("quality", data, tmp_path, as_of=AS_OF, milestone="不存在的里程碑")
    assert "不存在的里程碑" in str(exc.value) and "系统上线" in str(exc.value)


# ------------------------------------------------------------- delivery ---
def test_delivery(pack, data):
    bl = blocks(pack["delivery"])
    dl = data.tables["deliverables"]
    rows = table_after(bl, "一、交付物清单")
    assert column(rows, "交付物") == list(dl["name"])
    accepted = int(dl["accepted"].fillna(False).sum())
    assert column(rows, "验收").count("已验收") == accepted
    assert (
        dict(zip(column(rows, "交付物"), column(rows, "签收人"), strict=False))["项目章程"]
        == "王建国"
    )
    text = text_of(pack["delivery"])
    assert f"共{len(dl)}项交付物，已验收{accepted}项，待验收{len(dl) - accepted}项" in text
    sign = table_after(bl, "四、签字确认")
    people = column(sign, "姓名")
    assert {"陈志远", "王建国", "张伟", "胡雪梅", "高远"} <= set(people)
    assert set(column(sign, "签字")) == {""}


# -------------------------------------------------------------- summary ---
def _used_by_department(data) -> dict[str, Decimal]:
    """Spent to date per department: every ledger line dated on or before
    the status date, on a budget line or not (README, "Figures")."""
    ex = data.tables["expenses"]
    out: dict[str, Decimal] = {}
    for d, day, a in zip(ex["department"], ex["date"], ex["amount"], strict=False):
        if day.date() <= STATUS_DATE:
            out[d] = out.get(d, Decimal("0.00")) + a
    return out


def test_summary_budget_numbers_equal_flags(pack, data):
    bl = blocks(pack["summary"])
    rows = table_after(bl, "三、预算绩效")
    used = _used_by_department(data)
    table = {r[0]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    for dept, value in used.items():
        assert table[dept]["已支出"] == fmt_money(value), dept
    assert table["合计"]["已支出"] == fmt_money(sum(used.values()))
    assert table["合计"]["预算"] == fmt_money(sum(data.tables["budget"]["amount"]))
    assert table["信息技术部"]["已支出"] == "¥409,310.75"
    assert table["销售部"]["无预算支出"] == "¥3,250.80"  # travel without a budget line


def test_summary_scorecard_nominations_delays(pack, leaves):
    bl = blocks(pack["summary"])
    rows = table_after(bl, "四、部门协同考核")
    card = {r[0]: dict(zip(rows[0], r, strict=False)) for r in rows[1:]}
    assert card["信息技术部"]["造成阻塞工作日"] == "4" and card["市场部"]["造成阻塞工作日"] == "2"
    it = leaves[leaves["department"] == "信息技术部"]
    done = it["status"] == "done"
    counted = done | it["overdue"].fillna(False).astype(bool)
    on_time = done & (it["days_late"] == 0)
    assert card["信息技术部"]["考核任务"] == str(int(counted.sum()))
    assert card["信息技术部"]["按期完成率"] == f"{on_time.sum() / counted.sum():.0%}"
    called = {r[0]: r for r in table_after(bl, "六、约谈名单")[1:]}
    assert "市场部" in called and "按期完成率0%" in called["市场部"][1]
    assert "3.4.4" in called["市场部"][2]
    assert "总经理办公室" not in called and "项目管理部" not in called
    nom = table_after(bl, "部门")
    names = [r[0] for r in nom[1:]]
    assert names == ["项目管理部"]  # 总经理办公室 is the lead's own office
    assert not set(names) & set(called)
    people = [r[0] for r in table_after(bl, "个人")[1:]]
    assert people and "王建国" not in people and "张伟" not in people  # lead, PM
    lessons = table_after(bl, "七、经验教训")
    causes = {r[0]: r for r in lessons[1:]}
    assert "3.1.4" in causes["需求与范围分歧"][1]
    assert "3.3.4" in causes["外部供应商依赖"][1]
    assert len(Document(str(pack["summary"])).inline_shapes) == 2


# ------------------------------------------------------------- briefing ---
def _slides(path):
    prs = Presentation(str(path))
    out = []
    for s in prs.slides:
        title = s.shapes.title.text if s.shapes.title is not None else ""
        tables = [
            [[c.text for c in r.cells] for r in sh.table.rows] for sh in s.shapes if sh.has_table
        ]
        pics = [sh for sh in s.shapes if sh.shape_type == 13]
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        out.append({"title": title, "tables": tables, "pictures": len(pics), "texts": texts})
    return out


def test_briefing_slides(pack, data):
    slides = _slides(pack["briefing"])
    assert [s["title"] for s in slides] == [
        "月度高层简报",
        "状态一览",
        "里程碑",
        "需总负责人决策的升级问题",
        "预算执行",
        "主要风险",
        "待决策事项",
    ]
    assert "客户服务数字化平台建设项目" in "\n".join(slides[0]["texts"])
    assert all("{{" not in t for s in slides for t in s["texts"])
    status = dict((r[0], r[1]) for r in slides[1]["tables"][0][1:])
    assert status["阻塞"] == "2" and status["逾期"] == "6"
    assert status["总体状态"].startswith("黄")
    assert slides[1]["pictures"] == 1 and slides[4]["pictures"] == 1
    ms = slides[2]["tables"][0]
    assert [r[0] for r in ms[1:]][:3] == ["项目启动完成", "任务协作清单审批发布", "需求确认完成"]
    assert ms[3][3] == "已延期"
    # April: no level-3 escalation is open and none was raised or closed in April
    assert slides[3]["tables"][0][1][0] == "无"
    budget = {r[0]: r for r in slides[4]["tables"][0][1:]}
    used = _used_by_department(data)
    assert budget["信息技术部"][2] == fmt_money(used["信息技术部"])
    assert budget["合计"][2] == fmt_money(sum(used.values()))
    assert budget["信息技术部"][3] == "¥12,450.75"  # spent on Apr 1
    risks = slides[5]["tables"][0]
    assert [r[0] for r in risks[1:]] == ["R02", "R01", "R05", "R03", "R06"]
    decisions = "\n".join(r[0] for r in slides[6]["tables"][0][1:])
    assert "信息技术部/外包服务" in decisions


def test_briefing_for_march_shows_the_level_3_escalation(data, tmp_path):
    path = generate("briefing", data, tmp_path, as_of=AS_OF, month="2026-03")
    assert path.name.endswith("_2026-03-31.pptx")
    level3 = _slides(path)[3]["tables"][0]
    assert level3[1][0].startswith("需求调研报告是否纳入移动端App")
    assert level3[1][4] == "已关闭"


def test_english_pack_labels(data, tmp_path):
    kinds = ["charter", "roles", "briefing"]
    paths = dict(
        zip(kinds, generate_all(data, tmp_path, as_of=AS_OF, lang="en", kinds=kinds), strict=False)
    )
    assert blocks(paths["charter"])[0][2] == "Project charter"
    assert _slides(paths["briefing"])[1]["title"] == "Status at a glance"
    roles = table_after(blocks(paths["roles"]), "1. Roles and duties")
    assert roles[1][0] == "Project lead" and roles[1][2] == "王建国"


def test_next_weekly_meeting_skips_a_holiday_monday():
    import datetime as dt

    from xlcollab.core.calendar import WorkCalendar
    from xlcollab.reports.weekly import next_meeting

    cal = WorkCalendar()
    assert next_meeting(dt.date(2026, 3, 30), cal) == dt.date(2026, 4, 7)  # Mon Apr 6: 清明
    assert next_meeting(dt.date(2026, 3, 23), cal) == dt.date(2026, 3, 30)
