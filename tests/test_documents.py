"""The documents as a PM sends them: each defect once seen in the pack is
gone, shown by reading the documents back (python-docx, python-pptx,
openpyxl) and, where the page layout matters, their PDF through LibreOffice.

Demo project, status dates 2026-04-01 (week 5, execution) and 2026-04-30
(the last day, closing)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn
from pptx import Presentation

from xlcollab.core.calendar import WorkCalendar
from xlcollab.core.figures import collaboration_scorecard, current_phase, milestone_progress
from xlcollab.io import read_workbook
from xlcollab.reports import KINDS, build_context, generate, generate_all
from xlcollab.reports.common import task_table
from xlcollab.reports.layout import min_width_mm, pieces, widths_for

APR1, APR30 = dt.date(2026, 4, 1), dt.date(2026, 4, 30)


# -------------------------------------------------------------- fixtures ---
@pytest.fixture(scope="module")
def data(demo_path):
    return read_workbook(demo_path)


@pytest.fixture(scope="module")
def cal(data):
    return WorkCalendar.from_holidays(data.tables["holidays"])


@pytest.fixture(scope="module")
def packs(data, tmp_path_factory) -> dict[dt.date, dict[str, Path]]:
    out = {}
    for day in (APR1, APR30):
        folder = tmp_path_factory.mktemp(f"pack{day:%m%d}")
        out[day] = dict(zip(KINDS, generate_all(data, folder, as_of=day), strict=False))
    return out


def tables(path: Path) -> list[list[list[str]]]:
    return [[[c.text for c in r.cells] for r in t.rows] for t in Document(str(path)).tables]


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs]


def all_text(path: Path) -> list[str]:
    if path.suffix == ".pptx":
        out = []
        for s in Presentation(str(path)).slides:
            for sh in s.shapes:
                if sh.has_text_frame:
                    out.append(sh.text_frame.text)
                if sh.has_table:
                    out += [c.text for r in sh.table.rows for c in r.cells]
        return out
    return paragraphs(path) + [c for t in tables(path) for r in t for c in r]


def kv(path: Path) -> dict[str, str]:
    """The first table (the key facts) as a dict."""
    return {r[0]: r[1] for r in tables(path)[0]}


# ---------------------------------------------------------------- tables ---
def test_no_table_is_a_header_without_rows(packs):
    for day, pack in packs.items():
        for kind, path in pack.items():
            if path.suffix != ".docx":
                continue
            for t in tables(path):
                assert len(t) >= 2, (day, kind, t)
                for row in t:
                    assert any(c.strip() for c in row), (day, kind, t[0])


def test_columns_hold_their_header_dates_and_codes(packs):
    """Every column is at least as wide as its header, and its widest date,
    amount or WBS code (estimated at the table's 9 pt), so none breaks into
    pieces; every row is kept on one page."""
    for pack in packs.values():
        for kind, path in pack.items():
            if path.suffix != ".docx":
                continue
            doc = Document(str(path))
            for t in doc.tables:
                grid = [
                    int(g.get(qn("w:w"))) / 56.7 for g in t._tbl.tblGrid.findall(qn("w:gridCol"))
                ]
                total = sum(grid)
                rows = [[c.text for c in r.cells] for r in t.rows]
                need = [
                    max(
                        min_width_mm(r[i], short=(0 if " " in r[i] else 10) if j == 0 else 6)
                        for j, r in enumerate(rows)
                    )
                    for i in range(len(grid))
                ]
                if sum(n + 5 for n in need) <= total:
                    for i, (w, n) in enumerate(zip(grid, need, strict=True)):
                        assert w >= n, (kind, rows[0], i, w, n)
                for tr in t._tbl.findall(qn("w:tr")):
                    assert tr.trPr is not None and tr.trPr.find(qn("w:cantSplit")) is not None


def test_widths_share_room_by_need():
    # all fits: each gets what it wants, the room left by the square of it
    assert widths_for([10, 20], [15, 25], 100) == pytest.approx(
        [15 + 60 * 225 / 850, 25 + 60 * 625 / 850]
    )
    w = widths_for([12, 23, 23, 10], [12, 23, 23, 200], 100)
    assert w[:3] == [12, 23, 23] and sum(w) == pytest.approx(100)
    assert pieces("3.1.4、3.1.5") == ["3.1.4、", "3.1.5"]
    assert pieces("2026-03-27") == ["2026-03-27"]


@pytest.fixture(scope="module")
def pdf_text(office, packs, tmp_path_factory):
    """The 04-01 weekly report, checklist and charter through LibreOffice,
    as pdftotext lays them out."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from xlcollab.reports.pdf import to_pdf

    pack = packs[APR1]
    pdfs = to_pdf(
        [pack[k] for k in ("weekly", "checklist", "charter")], tmp_path_factory.mktemp("p")
    )
    out = {}
    for kind in ("weekly", "checklist", "charter"):
        out[kind] = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdfs[pack[kind].resolve()]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return out


@pytest.mark.libreoffice
def test_headers_and_dates_stay_whole_on_the_page(pdf_text):
    text = pdf_text["weekly"]
    for word in ("延误工作日", "阻塞工作日", "完成比例", "升级层级", "计划完成", "2026-03-27"):
        assert word in text, word
    assert "部门内解决" in text and "项目经理协调" in text


@pytest.mark.libreoffice
def test_predecessors_never_break_inside_a_code(pdf_text, data):
    text = pdf_text["checklist"]
    codes = set()
    for v in data.tables["tasks"]["predecessors"].dropna():
        codes |= set(re.split(r"[,，、\s]+", str(v).strip()))
    words = set(re.findall(r"[0-9][0-9.]*[0-9]|[0-9]", text))
    for code in codes:
        assert code in words, code


# ---------------------------------------------------------------- weekly ---
def test_weekly_no_command_line_text(packs):
    for pack in packs.values():
        text = "\n".join(all_text(pack["weekly"]))
        assert "xlcollab " not in text and "--" not in text
        assert "未指定基线，本期不比较进度偏差。" in text


def test_weekly_empty_sections_say_so_in_one_line(data, tmp_path):
    path = generate("weekly", data, tmp_path, as_of=APR1, week=2)  # Mar 9: nothing escalated
    paras = paragraphs(path)
    for level in ("总负责人决策", "项目经理协调", "部门内解决"):
        assert f"{level}：无" in paras
        assert not any(p.startswith(level + "（") for p in paras)  # no heading and table
    for day in (dt.date(2026, 3, 4), dt.date(2026, 3, 18), APR1):
        for g in build_context("weekly", data, day)["departments"]:
            assert g["line"].endswith("；本周无需汇报的事项。") == g["quiet"]


def test_weekly_open_action_items_and_unreviewed_risks(packs, data):
    path = packs[APR1]["weekly"]
    text = "\n".join(paragraphs(path))
    assert "上次例会：2026-03-30。" in text
    acts = next(t for t in tables(path) if t[0][:3] == ["会议日期", "会议", "待办事项"])
    items = [r[2] for r in acts[1:]]
    m = data.tables["meetings"]
    open_items = set(m.loc[~m["action_done"].fillna(False).astype(bool), "action_item"])
    assert set(items) == open_items
    assert "约谈呼叫中心供应商" in items
    risks = next(t for t in tables(path) if t[0][:3] == ["编号", "风险", "标记"])
    assert any(r[0] == "R08" and "复核逾期" in r[2] for r in risks[1:])


def test_weekly_phase_is_derived(packs, data):
    assert data.overview["current_phase"] == "execution"
    assert kv(packs[APR1]["weekly"])["当前阶段"] == "执行"
    assert kv(packs[APR30]["weekly"])["当前阶段"] == "收尾"
    assert current_phase(data.tables["tasks"], dt.date(2026, 3, 2)) == "kickoff"
    assert current_phase(data.tables["tasks"], dt.date(2026, 3, 10)) == "planning"


# --------------------------------------------------------------- quality ---
def test_quality_assesses_its_milestone(packs, data, cal):
    path = packs[APR30]["quality"]
    # the latest milestone due and not yet reviewed: 项目验收与收尾 (Apr 30)
    assert kv(path)["里程碑"] == "项目验收与收尾"
    tt = task_table(data, APR30, cal)
    leaves = tt.leaves[tt.leaves["wbs"].isin(["5.1", "5.2", "5.4"])]
    c = milestone_progress(leaves)
    text = "\n".join(paragraphs(path))
    assert f"共 {c['tasks']} 项任务，已完成 {c['done']} 项" in text
    assert f"延误合计 {c['late']} 项" in text
    assert "【待填写】" in text


def test_quality_default_skips_reviewed_milestones(data, cal):
    ctx = build_context("quality", data, dt.date(2026, 3, 20), cal)
    assert ctx["milestone"]["name"] == "任务协作清单审批发布"  # due Mar 13, reviewed: latest due
    ctx = build_context("quality", data, dt.date(2026, 4, 17), cal)
    assert ctx["milestone"]["name"] == "系统开发完成"  # not reviewed, due Apr 16


# --------------------------------------------------------------- summary ---
def test_summary_rules_hold_on_every_date(data, cal):
    lead, pm = data.overview["project_lead"], data.overview["pm"]
    for day in (dt.date(2026, 3, 20), APR1, dt.date(2026, 4, 15), APR30):
        ctx = build_context("summary", data, day, cal)
        called = {c["name"] for c in ctx["delays"]}
        depts = {c["name"] for c in ctx["nominated_departments"]}
        people = {c["name"] for c in ctx["nominated_people"]}
        assert not depts & called, day
        assert "总经理办公室" not in depts  # the lead's own office
        assert lead not in people and pm not in people
        team = data.tables["team"]
        dept_of = dict(zip(team["name"], team["department"], strict=False))
        assert not {dept_of.get(p) for p in people} & called
        for c in ctx["nominated_departments"] + ctx["nominated_people"]:
            assert c["rate_value"] >= 0.8 and not c["blocked_days"]
        span = cal.workdays_between(data.overview["start_date"], data.overview["end_date"])
        for c in ctx["scorecard"]:
            assert c["max_days_late"] <= span  # never a sum over tasks
        assert "rules" in ctx and "80%" in ctx["rules"]["award"]


def test_summary_lessons_by_cause_not_the_log(packs, data):
    path = packs[APR30]["summary"]
    t = next(t for t in tables(path) if t[0] == ["原因", "发生情况", "经验教训"])
    causes = [r[0] for r in t[1:]]
    assert "外部供应商依赖" in causes and "需求与范围分歧" in causes
    decisions = set(data.tables["escalations"]["decision"].dropna())
    assert not decisions & {r[2] for r in t[1:]}  # not a copy of the log


def test_summary_success_criteria_flagged_at_closing(packs, data, tmp_path):
    path = packs[APR30]["summary"]
    crit = next(t for t in tables(path) if t[0] == ["成功标准", "达成情况"])
    assert len(crit) - 1 == 4 and all(r[1] == "（未填写达成情况）" for r in crit[1:])
    assert any(p.startswith("⚠ 已进入收尾阶段，仍有 4 项成功标准") for p in paragraphs(path))
    before = packs[APR1]["summary"]
    crit = next(t for t in tables(before) if t[0] == ["成功标准", "达成情况"])
    assert all(r[1] == "（收尾时填写）" for r in crit[1:])
    data.overview["success_results"] = "4月24日上线；已关闭；100%；未超支"
    try:
        path = generate("summary", data, tmp_path, as_of=APR30)
    finally:
        data.overview["success_results"] = None
    crit = next(t for t in tables(path) if t[0] == ["成功标准", "达成情况"])
    assert [r[1] for r in crit[1:]] == ["4月24日上线", "已关闭", "100%", "未超支"]
    assert not any(p.startswith("⚠") for p in paragraphs(path))


def test_scorecard_figures(data, cal):
    tt = task_table(data, APR1, cal)
    cards = {c["name"]: c for c in collaboration_scorecard(tt.leaves)}
    assert cards["信息技术部"]["blocked_days"] == 4 and cards["信息技术部"]["blocked_tasks"] == 1
    assert cards["市场部"]["on_time_rate"] == 0.0


# --------------------------------------------------------------- charter ---
def test_charter_budget_and_sponsor(packs, data):
    path = packs[APR1]["charter"]
    assert kv(path)["项目总预算"] == "¥1,663,000.00"
    team = next(t for t in tables(path) if t[0][:3] == ["姓名", "部门", "角色"])
    assert [r[2] for r in team[1:] if r[0] == data.overview["sponsor"]] == ["项目发起人"]


# -------------------------------------------------------------- briefing ---
def test_briefing_text_fits_and_charts_are_legible(packs):
    from xlcollab.reports.charts import DPI
    from xlcollab.reports.render import _lines

    prs = Presentation(str(packs[APR1]["briefing"]))
    for slide in prs.slides:
        for sh in slide.shapes:
            assert sh.top + sh.height <= prs.slide_height
            if sh.has_table:
                for row in sh.table.rows:
                    for col, cell in zip(sh.table.columns, row.cells, strict=True):
                        if not cell.text:
                            continue
                        size = cell.text_frame.paragraphs[0].runs[0].font.size.pt
                        lines = _lines(cell.text, col.width, size)
                        assert lines * size * 1.4 * 12700 <= row.height, cell.text
            if sh.shape_type == 13:  # a chart picture: its text at 10 pt or more
                w_px = sh.image.size[0]
                shown_in = sh.width / 914400
                assert 16 * shown_in / (w_px / DPI) >= 10


# ------------------------------------------------------------------ fund ---
def test_fund_report_totals_and_invoices_as_text(data, cal, tmp_path):
    from xlcollab.finance.pipeline import monthly_finance
    from xlcollab.finance.report import write_fund_report
    from xlcollab.io.save import save_new_workbook

    mf = monthly_finance(data, "2026-03", APR1, cal)
    doc = write_fund_report(mf, data, APR1, tmp_path / "fund.docx")
    d = Document(str(doc))
    money_tables = [t for t in d.tables if len(t.columns) == 7]
    assert len(money_tables) == 2
    for t in money_tables:
        last = t.rows[-1]
        assert last.cells[0].text == "合计"
        assert all(r.bold for p in last.cells[1].paragraphs for r in p.runs)
    assert "2026年3月" in "\n".join(p.text for p in d.paragraphs)
    book = tmp_path / "fund.xlsx"
    save_new_workbook(mf.workbook(), book)
    ws = openpyxl.load_workbook(book)["明细"]
    col = [c.value for c in ws[1]].index("发票号") + 1
    values = [ws.cell(r, col) for r in range(2, ws.max_row + 1) if ws.cell(r, col).value]
    assert values and all(
        c.data_type == "s" and c.number_format == "@" and re.fullmatch(r"\d{20}", c.value)
        for c in values
    )


def test_master_invoice_column_is_text(demo_path):
    ws = openpyxl.load_workbook(demo_path)["费用台账"]
    col = [c.value for c in ws[1]].index("发票号") + 1
    assert ws.cell(2, col).number_format == "@"
    assert re.fullmatch(r"\d{20}", ws.cell(2, col).value)


# ------------------------------------------------------------ typography ---
BAD = re.compile(
    r"（（|））|\(\(|\)\)|（\(|\(（|）\)|\)）|[:：]\s*$|[:：]\s*[。；]|\d{4}-\d{2} ?月|（\s*）"
)


def test_chinese_typography(packs):
    for day, pack in packs.items():
        for kind, path in pack.items():
            for text in all_text(path):
                for line in text.split("\n"):
                    assert not BAD.search(line), (day, kind, line)


def test_nightly_console_names_levels(monkeypatch):
    from rich.console import Console

    from xlcollab.cli import schedule

    con = Console(record=True, width=200)
    monkeypatch.setattr(schedule, "console", con)
    esc = SimpleNamespace(task="3.3.4", level="lead", reached_on=APR1, goes_to="王建国")
    r = SimpleNamespace(
        lang="zh",
        ok=True,
        workbook="demo.xlsx",
        as_of=APR1,
        changes=[],
        findings=0,
        new_findings=[],
        new_escalations=[esc],
        write_note="",
        notes=[],
        history="h.sqlite",
    )
    schedule._print_nightly(r)
    out = con.export_text()
    assert "3.3.4 → 总负责人决策（2026-04-01）→ 王建国" in out and "lead" not in out


@pytest.mark.libreoffice
def test_no_page_holds_only_the_footer(office, packs, tmp_path):
    """A table that fills its page must not push the paragraph Word needs
    after it onto a blank page of its own (the delivery confirmation at
    04-30 did: its signature table ends page 2)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from xlcollab.reports.pdf import to_pdf

    words = [p for p in packs[APR30].values() if p.suffix == ".docx"]
    pdfs = to_pdf(words, tmp_path)
    for path in words:
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdfs[path.resolve()]), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        pages = text.split("\f")[:-1]  # a form feed ends every page
        assert pages, path.name
        for n, page in enumerate(pages, 1):
            body = [ln for ln in page.splitlines() if ln.strip() and "xlcollab" not in ln]
            assert body, f"{path.name}: page {n} holds only its footer"


def test_final_paragraph_after_a_table_is_tucked():
    import docx
    from docx.oxml.ns import qn

    from xlcollab.reports.layout import tuck_final_paragraph

    doc = docx.Document()
    doc.add_paragraph("标题")
    doc.add_table(rows=2, cols=2)
    doc.add_paragraph("")
    tuck_final_paragraph(doc)
    ppr = doc.paragraphs[-1]._p.pPr
    assert ppr.spacing_line is not None and ppr.spacing_lineRule is not None
    assert ppr.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "2"
    # a document ending with text keeps its last paragraph as it is
    doc.add_paragraph("结语")
    tuck_final_paragraph(doc)
    assert doc.paragraphs[-1]._p.pPr is None
