"""Write the built-in report templates into templates/zh and templates/en.

    .venv/bin/python scripts/make_templates.py [OUT_DIR]

Run once; the generated .docx/.pptx files are committed, and a company
restyles its copies in Word or PowerPoint (fonts, colours, logo, wording):
only the Jinja tags ({{ ... }}, {%p ... %}, {%tr ... %}) must stay.

Word templates: A4, styled headings and tables, the East Asian font set on
every style (w:eastAsia: 宋体 body, 黑体 headings; LibreOffice falls back to
Noto CJK where these are missing), a footer with the page number. The
briefing template: 16:9 slides whose ``{{ table:NAME }}`` and
``{{ image:NAME }}`` boxes the report replaces with tables and charts.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

BODY_EA, HEAD_EA = "宋体", "黑体"  # SimSun, SimHei
BODY_LATIN, HEAD_LATIN = "Times New Roman", "Arial"
ACCENT = "1F4E79"
TEXT_WIDTH_MM = 170.0

# ---------------------------------------------------------------- labels ---
L = {
    "zh": {
        "project": "项目名称",
        "as_of": "报告日期",
        "sponsor": "项目发起人",
        "lead": "项目总负责人",
        "pm": "项目经理",
        "period": "项目周期",
        "phase": "当前阶段",
        "none": "无",
        "wbs": "WBS",
        "task": "任务",
        "owner": "责任人",
        "dept": "部门",
        "deliverable": "交付物",
        "start": "计划开始",
        "finish": "计划完成",
        "actual_finish": "实际完成",
        "progress": "完成比例",
        "status": "状态",
        "days_late": "延误工作日",
        "reason": "阻塞原因",
        "since": "阻塞开始",
        "blocked_days": "阻塞工作日",
        "level": "升级层级",
        "sign": "签字",
        "date": "日期",
        "role": "角色",
        "name": "姓名",
        "duty": "职责",
        "footer": "xlcollab 生成",
        "page": "第 {p} 页",
        "to": "至",
    },
    "en": {
        "project": "Project",
        "as_of": "Report date",
        "sponsor": "Sponsor",
        "lead": "Project lead",
        "pm": "Project manager",
        "period": "Period",
        "phase": "Current phase",
        "none": "None",
        "wbs": "WBS",
        "task": "Task",
        "owner": "Owner",
        "dept": "Department",
        "deliverable": "Deliverable",
        "start": "Planned start",
        "finish": "Planned finish",
        "actual_finish": "Actual finish",
        "progress": "% complete",
        "status": "Status",
        "days_late": "Working days late",
        "reason": "Blocked reason",
        "since": "Blocked since",
        "blocked_days": "Blocked working days",
        "level": "Escalation level",
        "sign": "Signature",
        "date": "Date",
        "role": "Role",
        "name": "Name",
        "duty": "Duty",
        "footer": "made by xlcollab",
        "page": "page {p}",
        "to": "to",
    },
}


# ---------------------------------------------------------------- styles ---
def _fonts(style, latin: str, ea: str) -> None:
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), ea)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]


def _doc_defaults(doc) -> None:
    """East Asian font and language in the document defaults too."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), BODY_LATIN)
    rfonts.set(qn("w:eastAsia"), BODY_EA)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def new_document(lang: str):
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin = sec.right_margin = Mm(20)
    sec.top_margin, sec.bottom_margin = Mm(22), Mm(20)
    _doc_defaults(doc)
    st = doc.styles
    normal = st["Normal"]
    _fonts(normal, BODY_LATIN, BODY_EA)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    for name, size, color in (
        ("Title", 20, ACCENT),
        ("Subtitle", 13, "404040"),
        ("Heading 1", 14, ACCENT),
        ("Heading 2", 12, ACCENT),
        ("Heading 3", 10.5, "404040"),
    ):
        s = st[name]
        _fonts(s, HEAD_LATIN, HEAD_EA)
        s.font.size = Pt(size)
        s.font.bold = name != "Subtitle"
        s.font.italic = False
        s.font.color.rgb = RGBColor.from_string(color)
        s.paragraph_format.space_before = Pt(12 if name == "Heading 1" else 8)
        s.paragraph_format.space_after = Pt(4)
        s.paragraph_format.keep_with_next = True
    st["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    st["Subtitle"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # the title style draws a border line in python-docx's default template: keep it
    table_text = st.add_style("Table Text", 1)  # paragraph style
    table_text.base_style = normal
    _fonts(table_text, BODY_LATIN, BODY_EA)
    table_text.font.size = Pt(9)
    table_text.paragraph_format.space_after = Pt(0)
    table_text.paragraph_format.line_spacing = 1.1
    table_head = st.add_style("Table Heading", 1)
    table_head.base_style = table_text
    _fonts(table_head, HEAD_LATIN, HEAD_EA)
    table_head.font.bold = True
    table_head.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    note = st.add_style("Note", 1)
    note.base_style = normal
    note.font.size = Pt(9)
    note.font.color.rgb = RGBColor(0x59, 0x59, 0x59)
    _footer(doc, lang)
    return doc


def _field(paragraph, instr: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instr), ("separate", None), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


def _footer(doc, lang: str) -> None:
    p = doc.sections[0].footer.paragraphs[0]
    p.style = doc.styles["Note"]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("{{ project.name }} · {{ title }} · ")
    before, after = L[lang]["page"].split("{p}")
    p.add_run(before)
    _field(p, "PAGE")
    p.add_run(after + " · " + L[lang]["footer"])


# ---------------------------------------------------------------- blocks ---
def _shade(cell, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.append(shd)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _set(cell, text: str, style: str = "Table Text") -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.style = style
    p.add_run(text)


def _widths(table, widths_mm) -> None:
    """Column widths in the grid and every cell, fixed layout (Word and
    LibreOffice both honour it)."""
    table.autofit = False  # w:tblLayout type="fixed"
    for col, w in zip(table.columns, widths_mm, strict=False):
        col.width = Mm(w)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(w)


def table(
    doc,
    columns: list[tuple[str, str, float]],
    loop: str,
    *,
    empty: str | None = None,
    if_expr: str | None = None,
) -> None:
    """A table with a header row and one row per item of ``loop`` (e.g.
    ``t in d.blocked``): ``columns`` are (header, expression, relative
    width). With ``empty`` the table is wrapped in ``{%p if %}`` and the
    text is shown when the list is empty."""
    cond = if_expr or loop.split(" in ", 1)[1].strip()
    if empty is not None:
        doc.add_paragraph(f"{{%p if {cond} %}}")
    t = _headed_table(doc, columns, rows=4)
    for i, (_, expr, _) in enumerate(columns):
        _set(t.rows[2].cells[i], expr if not expr or expr.startswith("{") else "{{ " + expr + " }}")
    _set(t.rows[1].cells[0], f"{{%tr for {loop} %}}")
    _set(t.rows[3].cells[0], "{%tr endfor %}")
    if empty is not None:
        doc.add_paragraph("{%p else %}")
        doc.add_paragraph(empty, style="Note")
        doc.add_paragraph("{%p endif %}")
    else:
        doc.add_paragraph("")


def more(doc, expr: str) -> None:
    """The line under a table that lists only the most urgent rows ("另有 K
    项未列出…"), when ``expr`` is not empty."""
    para(doc, f"{{%p if {expr} %}}")
    para(doc, "{{ " + expr + " }}", "Note")
    para(doc, "{%p endif %}")


def row_table(doc, name: str, columns: list[tuple[str, str, float]]) -> None:
    """A table with a header row and one row of ``[[name.field]]`` cells that
    the renderer clones once per record (large tables: no Jinja loop)."""
    t = _headed_table(doc, columns, rows=2)
    for i, (_, field, _) in enumerate(columns):
        _set(t.rows[1].cells[i], f"[[{name}.{field}]]")
    doc.add_paragraph("")


def _headed_table(doc, columns: list[tuple[str, str, float]], rows: int):
    """A centred grid table of ``rows`` rows whose first row holds the
    shaded headers of ``columns`` (header, body, relative width), repeated
    on every page, with the columns' widths across the text width."""
    total = sum(w for _, _, w in columns)
    t = doc.add_table(rows=rows, cols=len(columns))
    t.style = doc.styles["Table Grid"]
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, (head, _, _) in enumerate(columns):
        c = t.rows[0].cells[i]
        _set(c, head, "Table Heading")
        _shade(c, ACCENT)
    _repeat_header(t.rows[0])
    _widths(t, [TEXT_WIDTH_MM * w / total for _, _, w in columns])
    return t


def kv_table(doc, rows: list[tuple[str, str]], widths=(40, 130)) -> None:
    """A two-column key/value table (labels shaded)."""
    t = doc.add_table(rows=len(rows), cols=2)
    t.style = doc.styles["Table Grid"]
    for r, (k, v) in zip(t.rows, rows, strict=False):
        _set(r.cells[0], k, "Table Text")
        r.cells[0].paragraphs[0].runs[0].bold = True
        _shade(r.cells[0], "DEEAF6")
        _set(r.cells[1], v)
    _widths(t, widths)
    doc.add_paragraph("")


def sign_table(doc, lang: str, rows: list[tuple[str, str]]) -> None:
    """Signature block: role, name, signature, date (blank to sign)."""
    lab = L[lang]
    t = doc.add_table(rows=len(rows) + 1, cols=4)
    t.style = doc.styles["Table Grid"]
    for i, head in enumerate((lab["role"], lab["name"], lab["sign"], lab["date"])):
        _set(t.rows[0].cells[i], head, "Table Heading")
        _shade(t.rows[0].cells[i], ACCENT)
    for r, (role, name) in zip(t.rows[1:], rows, strict=False):
        _set(r.cells[0], role)
        _set(r.cells[1], name)
        r.height = Mm(14)
    _widths(t, (45, 40, 55, 30))
    doc.add_paragraph("")


def heading(doc, text: str, level: int = 1) -> None:
    doc.add_heading(text, level=level)


def empty_heading(doc, text: str, cond: str, zh: bool, level: int = 2) -> None:
    """A section heading that says in one line when ``cond`` is empty
    ("（三）待决策事项：无"); opens ``{%p if cond %}`` for the section's
    body, which the caller closes with ``{%p endif %}``."""
    para(doc, f"{{%p if not {cond} %}}")
    heading(doc, text + ("：无" if zh else ": none"), level)
    para(doc, "{%p else %}")
    heading(doc, text, level)


def para(doc, text: str, style: str | None = None) -> None:
    doc.add_paragraph(text, style=style)


def title(doc, text: str, subtitle: str | None = None) -> None:
    doc.add_paragraph(text, style="Title")
    if subtitle:
        doc.add_paragraph(subtitle, style="Subtitle")


def picture(doc, name: str, note: str | None = None) -> None:
    p = doc.add_paragraph("{{ " + name + " }}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if note:
        doc.add_paragraph(note, style="Note")


# ------------------------------------------------------------- documents ---
def charter(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(doc, "项目章程" if zh else "Project charter", "{{ project.name }}")
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["sponsor"], "{{ project.sponsor }}"),
            (lab["lead"], "{{ project.lead }}"),
            (lab["pm"], "{{ project.pm }}"),
            (
                lab["period"],
                "{{ project.start }} " + lab["to"] + " {{ project.end }}（{{ duration }}）"
                if zh
                else "{{ project.start }} to {{ project.end }} ({{ duration }})",
            ),
            ("项目总预算" if zh else "Total budget", "{{ budget_total }}"),
            (lab["phase"], "{{ project.phase }}"),
            ("编制日期" if zh else "Issued", "{{ as_of }}"),
        ],
    )
    heading(doc, "一、项目目标" if zh else "1. Goals")
    para(doc, "{{ project.goal }}")
    heading(doc, "二、项目范围" if zh else "2. Scope")
    heading(doc, "包含" if zh else "In scope", 3)
    para(doc, "{{ project.scope_in }}")
    heading(doc, "不包含" if zh else "Out of scope", 3)
    para(doc, "{{ project.scope_out }}")
    heading(doc, "三、里程碑" if zh else "3. Milestones")
    table(
        doc,
        [
            ("里程碑" if zh else "Milestone", "m.name", 3),
            ("阶段" if zh else "Phase", "m.phase", 1),
            ("计划日期" if zh else "Planned date", "m.planned", 1.4),
            ("关联任务" if zh else "Tasks", "m.tasks", 2),
        ],
        "m in milestones",
        empty=lab["none"],
    )
    heading(doc, "四、成功标准" if zh else "4. Success criteria")
    para(doc, "{%p for c in project.success_items %}")
    para(doc, "{{ loop.index }}. {{ c }}")
    para(doc, "{%p endfor %}")
    heading(doc, "五、阶段与工作内容" if zh else "5. Phases and work")
    table(
        doc,
        [
            ("WBS", "p.wbs", 0.5),
            ("阶段" if zh else "Phase", "p.name", 1.4),
            ("工作内容" if zh else "Work", "p.content", 4),
            ("牵头部门" if zh else "Lead dept.", "p.department", 1.2),
            ("参与部门" if zh else "Departments", "p.departments", 2),
            (lab["start"], "p.start", 1.5),
            (lab["finish"], "p.finish", 1.5),
        ],
        "p in phases",
        empty=lab["none"],
    )
    picture(doc, "gantt", "{{ gantt_note }}")
    heading(doc, "六、项目团队" if zh else "6. Team")
    table(
        doc,
        [
            (lab["name"], "t.name", 1),
            (lab["dept"], "t.department", 1.3),
            (lab["role"], "t.role", 1.2),
            (lab["duty"], "t.duty", 4),
        ],
        "t in team",
        empty=lab["none"],
    )
    heading(doc, "七、各部门资源承诺" if zh else "7. Resource commitments by department")
    table(
        doc,
        [
            (lab["dept"], "r.department", 1.3),
            ("资源类型" if zh else "Type", "r.type", 0.8),
            ("说明" if zh else "Description", "r.description", 2.6),
            ("数量" if zh else "Quantity", "r.quantity", 0.8),
            ("期间" if zh else "Period", "r.period", 2),
            ("承诺人" if zh else "Committed by", "r.committed_by", 0.9),
            ("已确认" if zh else "Approved", "r.approved", 0.7),
        ],
        "r in resource_rows",
        empty=lab["none"],
    )
    heading(doc, "八、批准" if zh else "8. Approval")
    sign_table(
        doc,
        lang,
        [
            (lab["sponsor"], "{{ project.sponsor }}"),
            (lab["lead"], "{{ project.lead }}"),
            (lab["pm"], "{{ project.pm }}"),
        ],
    )
    return doc


def roles(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(doc, "职责分工说明书" if zh else "Responsibility statement", "{{ project.name }}")
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["lead"], "{{ project.lead }}"),
            (lab["pm"], "{{ project.pm }}"),
            ("编制日期" if zh else "Issued", "{{ as_of }}"),
        ],
    )
    heading(doc, "一、角色与职责" if zh else "1. Roles and duties")
    table(
        doc,
        [
            (lab["role"], "r.role", 1.2),
            (lab["duty"], "r.duty", 3.5),
            ("人员" if zh else "People", "r.people", 2.2),
            ("所在部门" if zh else "Departments", "r.departments", 2.2),
        ],
        "r in roles",
    )
    heading(doc, "二、项目成员" if zh else "2. Members")
    table(
        doc,
        [
            (lab["name"], "m.name", 0.9),
            (lab["dept"], "m.department", 1.2),
            (lab["role"], "m.role", 1.1),
            (lab["duty"], "m.duty", 3.4),
            ("电话" if zh else "Phone", "m.phone", 1.2),
        ],
        "m in members",
        empty=lab["none"],
    )
    heading(doc, "三、各部门对接人与任务" if zh else "3. Department liaisons and tasks")
    table(
        doc,
        [
            (lab["dept"], "d.name", 1.2),
            ("部门总监" if zh else "Director", "d.director", 0.9),
            ("对接人" if zh else "Liaison", "d.liaison", 0.9),
            ("考核权重" if zh else "KPI weight", "d.kpi_weight", 0.7),
            ("任务数" if zh else "Tasks", "d.task_count", 0.6),
            ("负责的任务" if zh else "Its tasks", "d.tasks", 4.5),
        ],
        "d in departments",
    )
    heading(doc, "四、RACI 矩阵（部门 × 阶段）" if zh else "4. RACI matrix (departments x phases)")
    table(
        doc,
        [(lab["dept"], "r.department", 1.6)]
        + [(f"{{{{ raci_phases[{i}] }}}}", f"r.cells[{i}]", 1) for i in range(5)],
        "r in raci",
    )
    para(doc, "{{ raci_legend }}", "Note")
    heading(doc, "五、问题升级机制" if zh else "5. Escalation ladder")
    para(
        doc,
        "阻塞任务按“部门内解决 → 项目经理协调 → 总负责人决策”逐级升级：阻塞不超过"
        "{{ settings.escalation_pm_days }}个工作日由部门内解决；"
        "超过{{ settings.escalation_pm_days }}个工作日由项目经理协调；"
        "超过{{ settings.escalation_lead_days }}个工作日由项目总负责人决策。"
        if zh
        else "A blocked task climbs the ladder within department → PM coordinates → project lead "
        "decides: up to {{ settings.escalation_pm_days }} working days inside the department, "
        "then the project manager, beyond {{ settings.escalation_lead_days }} working days the "
        "project lead.",
    )
    return doc


def _task_cols(lang, *keys):
    lab = L[lang]
    spec = {
        "wbs": (lab["wbs"], "t.wbs", 0.75),
        "name": (lab["task"], "t.name", 2.4),
        "owner": (lab["owner"], "t.owner", 0.8),
        "dept": (lab["dept"], "t.department", 1.1),
        "deliverable": (lab["deliverable"], "t.deliverable", 1.8),
        "start": (lab["start"], "t.planned_start", 1.25),
        "finish": (lab["finish"], "t.planned_finish", 1.25),
        "actual_finish": (lab["actual_finish"], "t.actual_finish", 1.25),
        "progress": (lab["progress"], "t.progress", 0.7),
        "status": (lab["status"], "t.status", 0.7),
        "days_late": (lab["days_late"], "t.days_late", 0.7),
        "reason": (lab["reason"], "t.blocked_reason", 2.2),
        "since": (lab["since"], "t.blocked_since", 1.25),
        "blocked_days": (lab["blocked_days"], "t.blocked_days", 0.7),
        "level": (lab["level"], "t.escalation", 1.05),
        "preds": ("前置任务" if lang == "zh" else "Predecessors", "t.predecessors", 0.9),
        "accepted": ("验收" if lang == "zh" else "Acceptance", "t.accepted", 0.8),
    }
    return [spec[k] for k in keys]


def checklist(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(
        doc, "跨部门任务协作清单" if zh else "Cross-department task checklist", "{{ project.name }}"
    )
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["period"], "{{ project.start }} " + lab["to"] + " {{ project.end }}"),
            ("编制人" if zh else "Prepared by", "{{ approval.prepared_by }}"),
            ("编制日期" if zh else "Date", "{{ as_of }}"),
            (
                "任务数" if zh else "Tasks",
                "{{ task_count }} 项，涉及 {{ department_count }} 个部门"
                if zh
                else "{{ task_count }} work packages in {{ department_count }} departments",
            ),
        ],
    )
    heading(doc, "一、WBS 汇总" if zh else "1. WBS summary")
    table(
        doc,
        [
            (lab["wbs"], "w.wbs", 0.7),
            ("名称" if zh else "Name", "w.name", 2.5),
            ("阶段" if zh else "Phase", "w.phase", 0.8),
            ("牵头部门" if zh else "Lead dept.", "w.department", 1.3),
            (lab["start"], "w.start", 1.1),
            (lab["finish"], "w.finish", 1.1),
        ],
        "w in wbs_summary",
        empty=lab["none"],
    )
    heading(doc, "二、任务清单（按部门）" if zh else "2. Tasks by department")
    para(doc, "{%p for g in groups %}")
    heading(
        doc,
        "{{ g.name }}（对接人：{{ g.liaison }}，{{ g.count }} 项任务）"
        if zh
        else "{{ g.name }} (liaison: {{ g.liaison }}, {{ g.count }} tasks)",
        2,
    )
    table(
        doc,
        _task_cols(lang, "wbs", "name", "deliverable", "owner", "start", "finish", "preds"),
        "t in g.tasks",
    )
    para(doc, "{%p endfor %}")
    heading(doc, "三、待审批任务" if zh else "3. Tasks awaiting approval")
    para(
        doc,
        "已审批 {{ approved_count }} / {{ task_count }} 项。"
        if zh
        else "{{ approved_count }} of {{ task_count }} tasks approved.",
    )
    table(
        doc,
        _task_cols(lang, "wbs", "name", "dept", "owner", "finish", "status"),
        "t in unapproved",
        empty="全部任务已经总负责人审批。" if zh else "Every task is approved by the project lead.",
    )
    heading(doc, "四、审批" if zh else "4. Approval")
    para(
        doc,
        "审批意见：□ 同意发布　□ 修改后发布　□ 不同意"
        if zh
        else "Decision: □ publish  □ publish after changes  □ reject",
    )
    sign_table(
        doc,
        lang,
        [
            ("{{ approval.prepared_role }}", "{{ approval.prepared_by }}"),
            ("{{ approval.approver_role }}", "{{ approval.approver }}"),
        ],
    )
    return doc


def weekly(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(
        doc,
        "周例会进度报告" if zh else "Weekly progress report",
        "{{ project.name }} · 第{{ week }}周（{{ week_start }} 至 {{ week_end }}）"
        if zh
        else "{{ project.name }} · week {{ week }} ({{ week_start }} to {{ week_end }})",
    )
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["as_of"], "{{ as_of }}"),
            (
                "例会时间" if zh else "Meeting",
                "每周一 10:00–11:00（各部门5分钟汇报＋问题聚焦）"
                if zh
                else "Mondays 10:00–11:00 (5 minutes per department, then the problems)",
            ),
            ("下次例会" if zh else "Next meeting", "{{ next_meeting }}"),
            (lab["phase"], "{{ project.phase }}"),
        ],
    )
    heading(doc, "一、本周概况" if zh else "1. This week at a glance")
    f = "figures."
    table(
        doc,
        [
            ("任务总数" if zh else "Tasks", "{{ f.tasks }}", 1),
            (
                "已完成" if zh else "Done",
                "{{ f.done }}（{{ f.done_pct }}）" if zh else "{{ f.done }} ({{ f.done_pct }})",
                1.2,
            ),
            ("进行中" if zh else "In progress", "{{ f.in_progress }}", 1),
            ("未开始" if zh else "Not started", "{{ f.not_started }}", 1),
            ("阻塞" if zh else "Blocked", "{{ f.blocked }}", 1),
            ("逾期" if zh else "Overdue", "{{ f.overdue }}", 1),
            ("本周到期" if zh else "Due this week", "{{ f.due_week }}", 1),
            ("上周以来完成" if zh else "Done since last week", "{{ f.done_recent }}", 1.2),
        ],
        "f in [figures]",
    )
    del f
    picture(
        doc, "progress", "图：各部门任务状态" if zh else "Figure: tasks by status per department"
    )
    heading(doc, "二、各部门5分钟汇报" if zh else "2. Five minutes per department")
    para(doc, "{%p for d in departments %}")
    heading(
        doc,
        "{{ d.name }}（对接人：{{ d.liaison }}）"
        if zh
        else "{{ d.name }} (liaison: {{ d.liaison }})",
        2,
    )
    para(doc, "{{ d.line }}")
    sections = [
        (
            "done_recent",
            "上周以来完成" if zh else "Done since last week",
            ("wbs", "name", "owner", "deliverable", "actual_finish"),
        ),
        (
            "due_week",
            "本周到期" if zh else "Due this week",
            ("wbs", "name", "owner", "finish", "progress", "status"),
        ),
        (
            "in_progress",
            "进行中" if zh else "In progress",
            ("wbs", "name", "owner", "finish", "progress"),
        ),
        (
            "blocked",
            "阻塞" if zh else "Blocked",
            ("wbs", "name", "owner", "reason", "since", "blocked_days", "level"),
        ),
        (
            "overdue",
            "逾期" if zh else "Overdue",
            ("wbs", "name", "owner", "finish", "days_late", "progress", "status"),
        ),
    ]
    for key, head, cols in sections:
        para(doc, f"{{%p if d.{key} %}}")
        heading(
            doc,
            head + f"（{{{{ d.{key}_count }}}}）" if zh else head + f" ({{{{ d.{key}_count }}}})",
            3,
        )
        table(doc, _task_cols(lang, *cols), f"t in d.{key}")
        more(doc, f"d.{key}_more")
        para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    heading(doc, "三、问题聚焦" if zh else "3. Problem focus")
    heading(doc, "（一）问题升级（按层级）" if zh else "3.1 Escalations by level", 2)
    para(doc, "{%p for lv in escalation_levels %}")
    para(doc, "{%p if lv.entries %}")
    heading(
        doc,
        "{{ lv.level }}（{{ lv.count }} 项，处理中 {{ lv.open }} 项）"
        if zh
        else "{{ lv.level }} ({{ lv.count }}, {{ lv.open }} open)",
        3,
    )
    table(
        doc,
        [
            ("问题" if zh else "Issue", "e.issue", 3),
            (lab["task"], "e.task", 0.6),
            ("提出人" if zh else "Raised by", "e.raised_by", 0.8),
            ("提出日期" if zh else "Raised on", "e.raised_on", 1.3),
            ("处理人" if zh else "Goes to", "e.goes_to", 0.8),
            ("处理决定" if zh else "Decision", "e.decision", 3),
            (lab["status"], "e.state", 0.7),
        ],
        "e in lv.entries",
    )
    more(doc, "lv.more")
    para(doc, "{%p else %}")
    heading(doc, "{{ lv.level }}：无" if zh else "{{ lv.level }}: none", 3)
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    empty_heading(
        doc,
        "（二）新增、高风险及逾期未复核的风险" if zh else "3.2 New, high and unreviewed risks",
        "risks",
        zh,
    )
    table(
        doc,
        [
            ("编号" if zh else "ID", "r.id", 0.5),
            ("风险" if zh else "Risk", "r.description", 3),
            ("标记" if zh else "Tag", "r.tag", 0.7),
            ("风险值" if zh else "Score", "r.score", 0.6),
            ("等级" if zh else "Level", "r.level", 0.5),
            (lab["owner"], "r.owner", 0.8),
            ("应急预案" if zh else "Contingency", "r.contingency", 3),
            (lab["status"], "r.status", 0.8),
        ],
        "r in risks",
    )
    more(doc, "risks_more")
    para(doc, "{%p endif %}")
    empty_heading(doc, "（三）待决策事项" if zh else "3.3 Decisions needed", "decisions", zh)
    table(
        doc,
        [
            ("事项" if zh else "Item", "x.item", 4.5),
            ("来源" if zh else "Source", "x.source", 1),
            ("层级" if zh else "Level", "x.level", 1.1),
            ("决策人" if zh else "Who", "x.who", 0.8),
            ("起始日期" if zh else "Since", "x.since", 1.3),
        ],
        "x in decisions",
    )
    more(doc, "decisions_more")
    para(doc, "{%p endif %}")
    empty_heading(
        doc,
        "（四）例会待办事项（未完成）" if zh else "3.4 Open action items from the meetings",
        "actions",
        zh,
    )
    para(
        doc,
        "上次例会：{{ last_meeting }}。" if zh else "Last weekly meeting: {{ last_meeting }}.",
        "Note",
    )
    table(
        doc,
        [
            ("会议日期" if zh else "Meeting", "a.meeting", 1.2),
            ("会议" if zh else "Type", "a.type", 0.8),
            ("待办事项" if zh else "Action item", "a.item", 3.5),
            (lab["owner"], "a.owner", 0.8),
            ("期限" if zh else "Due", "a.due", 1.2),
            (lab["status"], "a.state", 0.8),
        ],
        "a in actions",
    )
    more(doc, "actions_more")
    para(doc, "{%p endif %}")
    heading(doc, "四、甘特图" if zh else "4. Gantt chart")
    picture(doc, "gantt", "{{ gantt_note }}")
    # slippage against the chosen baseline (report --baseline, or the nightly job's latest)
    heading(doc, "五、基线偏差" if zh else "5. Slippage against baseline")
    para(doc, "{%p if baseline %}")
    para(doc, "{{ baseline.line }}")
    heading(doc, "（一）各部门（工作日）" if zh else "5.1 By department (working days)", 2)
    table(
        doc,
        [
            (lab["dept"], "b.department", 1.6),
            ("比较任务数" if zh else "Tasks compared", "b.tasks", 1),
            ("推迟任务数" if zh else "Tasks slipped", "b.slipped", 1),
            ("合计推迟" if zh else "Total slip", "b.total_slip", 1),
            ("最大推迟" if zh else "Largest slip", "b.max_slip", 1),
        ],
        "b in baseline.departments",
    )
    heading(doc, "（二）推迟最多的任务" if zh else "5.2 Most slipped tasks", 2)
    table(
        doc,
        [
            (lab["wbs"], "s.wbs", 0.75),
            (lab["task"], "s.name", 2.4),
            (lab["dept"], "s.department", 1.1),
            ("基线完成" if zh else "Baseline finish", "s.baseline_finish", 1.25),
            ("当前计划完成" if zh else "Current finish", "s.planned_finish", 1.25),
            ("推迟工作日" if zh else "Slip (working days)", "s.slip", 0.8),
        ],
        "s in baseline.tasks",
        empty=lab["none"],
    )
    para(doc, "{%p if baseline.more %}")
    para(
        doc,
        "……另有 {{ baseline.more }} 项推迟的任务"
        if zh
        else "… {{ baseline.more }} more slipped tasks",
        "Note",
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p else %}")
    para(
        doc,
        "未指定基线，本期不比较进度偏差。"
        if zh
        else "No baseline chosen; slippage is not compared.",
        "Note",
    )
    para(doc, "{%p endif %}")
    # the full list, only when asked (report weekly --annex): one table filled
    # by cloning its row (xlcollab.reports.render.fill_rows), not a Jinja loop
    para(doc, "{%p if annex %}")
    heading(doc, "附件：完整任务清单" if zh else "Annex: the full task list")
    para(
        doc,
        "各部门汇报中的全部 {{ annex_count }} 项任务（按部门、类别和 WBS 排列）。"
        if zh
        else "All {{ annex_count }} tasks of the department reports (by department, "
        "section and WBS).",
        "Note",
    )
    row_table(
        doc,
        "annex",
        [
            (lab["dept"], "department", 1.1),
            ("类别" if zh else "Section", "section", 0.9),
            (lab["wbs"], "wbs", 0.75),
            (lab["task"], "name", 2.4),
            (lab["owner"], "owner", 0.8),
            (lab["finish"], "finish", 1.25),
            (lab["days_late"], "days_late", 0.7),
            (lab["status"], "status", 0.7),
        ],
    )
    para(doc, "{%p endif %}")
    return doc


def quality(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(
        doc,
        "质量评估意见" if zh else "Quality assessment opinion",
        "{{ project.name }} · {{ milestone.name }}",
    )
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            ("里程碑" if zh else "Milestone", "{{ milestone.name }}"),
            ("阶段" if zh else "Phase", "{{ milestone.phase }}"),
            ("计划日期" if zh else "Planned date", "{{ milestone.planned }}"),
            ("实际日期" if zh else "Actual date", "{{ milestone.actual }}"),
            ("评审人" if zh else "Reviewer", "{{ milestone.reviewer }}"),
            ("评审日期" if zh else "Review date", "{{ milestone.review_date }}"),
            (lab["as_of"], "{{ as_of }}"),
        ],
    )
    heading(doc, "一、评审范围：里程碑关联任务" if zh else "1. Scope: the milestone's tasks")
    para(
        doc,
        "共 {{ counts.tasks }} 项任务，已完成 {{ counts.done }} 项（其中延误完成 "
        "{{ counts.late_done }} 项），未完成 {{ counts.open }} 项；延误合计 {{ counts.late }} 项。"
        "交付物 {{ deliverable_counts.total }} 项，已验收 {{ deliverable_counts.accepted }} 项，"
        "待验收 {{ deliverable_counts.pending }} 项。"
        if zh
        else "{{ counts.tasks }} tasks: {{ counts.done }} done ({{ counts.late_done }} of them "
        "late), {{ counts.open }} open; {{ counts.late }} late in all. "
        "{{ deliverable_counts.total }} deliverables: {{ deliverable_counts.accepted }} accepted, "
        "{{ deliverable_counts.pending }} pending.",
    )
    table(
        doc,
        _task_cols(
            lang,
            "wbs",
            "name",
            "dept",
            "status",
            "finish",
            "actual_finish",
            "days_late",
            "accepted",
        ),
        "t in tasks",
        empty=lab["none"],
    )
    heading(doc, "二、交付物验收情况" if zh else "2. Deliverables")
    table(
        doc,
        [
            (lab["deliverable"], "x.name", 2.5),
            (lab["task"], "x.task", 0.6),
            (lab["dept"], "x.department", 1.2),
            ("任务状态" if zh else "Task status", "x.task_status", 0.8),
            ("验收" if zh else "State", "x.state", 0.8),
            ("验收日期" if zh else "Accepted on", "x.accepted_on", 1.3),
            ("签收人" if zh else "Signed by", "x.signed_by", 0.8),
        ],
        "x in deliverables",
        empty=lab["none"],
    )
    heading(doc, "三、评审结论与评估意见" if zh else "3. Review result and opinion")
    para(doc, "{%p if milestone.reviewed %}")
    kv_table(
        doc,
        [
            ("评审结论" if zh else "Result", "{{ choices }}"),
            ("评估意见" if zh else "Opinion", "{{ milestone.opinion }}"),
        ],
    )
    para(doc, "{%p else %}")
    para(
        doc,
        "【待填写】本里程碑尚未评审，请质量监督员勾选评审结论并填写评估意见，"
        "并录入里程碑表的“评审结论”“评估意见”。"
        if zh
        else "[To fill in] This milestone is not yet reviewed: the quality supervisor ticks the "
        "result, writes the opinion and records both in the Milestones sheet.",
        "Note",
    )
    kv_table(
        doc,
        [
            ("评审结论" if zh else "Result", "{{ choices }}"),
            ("评估意见" if zh else "Opinion", "【待填写】" if zh else "[to fill in]"),
        ],
    )
    para(doc, "{%p endif %}")
    heading(
        doc,
        "四、本里程碑任务与交付物的检查发现"
        if zh
        else "4. Check findings on this milestone's tasks and deliverables",
    )
    para(
        doc,
        "共 {{ finding_counts.total }} 项：错误 {{ finding_counts.error }} 项，警告 "
        "{{ finding_counts.warning }} 项，提示 {{ finding_counts.info }} 项。"
        if zh
        else "{{ finding_counts.total }} findings: {{ finding_counts.error }} errors, "
        "{{ finding_counts.warning }} warnings, {{ finding_counts.info }} notes.",
    )
    table(
        doc,
        [
            ("严重程度" if zh else "Severity", "x.severity", 0.7),
            ("位置" if zh else "Where", "x.location", 1.3),
            ("问题" if zh else "Finding", "x.message", 3.5),
            ("处理建议" if zh else "Hint", "x.hint", 2.2),
        ],
        "x in findings",
        empty="本里程碑的任务与交付物无检查发现。"
        if zh
        else "No findings on this milestone's tasks and deliverables.",
    )
    heading(doc, "五、各里程碑评审情况" if zh else "5. All milestones")
    table(
        doc,
        [
            ("里程碑" if zh else "Milestone", "m.name", 2.4),
            ("计划日期" if zh else "Planned", "m.planned", 1),
            ("实际日期" if zh else "Actual", "m.actual", 1),
            ("评审结论" if zh else "Result", "m.result", 1.2),
            ("评审人" if zh else "Reviewer", "m.reviewer", 0.8),
        ],
        "m in all_milestones",
        empty=lab["none"],
    )
    heading(doc, "六、签字" if zh else "6. Signature")
    sign_table(doc, lang, [("质量监督员" if zh else "Quality supervisor", "{{ supervisor }}")])
    return doc


def delivery(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(doc, "项目交付确认书" if zh else "Delivery confirmation", "{{ project.name }}")
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["period"], "{{ project.start }} " + lab["to"] + " {{ project.end }}"),
            (lab["sponsor"], "{{ project.sponsor }}"),
            (lab["lead"], "{{ project.lead }}"),
            (lab["pm"], "{{ project.pm }}"),
            (lab["as_of"], "{{ as_of }}"),
        ],
    )
    heading(doc, "一、交付物清单" if zh else "1. Deliverables")
    table(
        doc,
        [
            ("序号" if zh else "No.", "{{ loop.index }}", 0.45),
            (lab["deliverable"], "x.name", 2.4),
            (lab["task"], "x.task", 0.6),
            (lab["dept"], "x.department", 1.2),
            ("任务状态" if zh else "Task status", "x.task_status", 0.8),
            ("验收" if zh else "State", "x.state", 0.8),
            ("验收日期" if zh else "Accepted on", "x.accepted_on", 1.3),
            ("签收人" if zh else "Signed by", "x.signed_by", 0.8),
        ],
        "x in deliverables",
        empty=lab["none"],
    )
    heading(doc, "二、按部门统计" if zh else "2. By department")
    table(
        doc,
        [
            (lab["dept"], "d.name", 2),
            ("交付物" if zh else "Deliverables", "d.total", 1),
            ("已验收" if zh else "Accepted", "d.accepted", 1),
            ("待验收" if zh else "Pending", "d.pending", 1),
        ],
        "d in by_department",
        empty=lab["none"],
    )
    heading(doc, "三、确认意见" if zh else "3. Confirmation")
    para(doc, "{{ conclusion }}")
    para(doc, "{%p if pending %}")
    heading(doc, "待验收交付物" if zh else "Pending deliverables", 3)
    table(
        doc,
        [
            (lab["deliverable"], "x.name", 2.5),
            (lab["task"], "x.task", 0.6),
            (lab["dept"], "x.department", 1.2),
            ("任务状态" if zh else "Task status", "x.task_status", 1),
        ],
        "x in pending",
    )
    para(doc, "{%p endif %}")
    heading(doc, "四、签字确认" if zh else "4. Signatures")
    t_cols = [
        (lab["role"], "s.role", 1.3),
        (lab["dept"], "s.department", 1.3),
        (lab["name"], "s.name", 1),
        (lab["sign"], "", 1.8),
        (lab["date"], "", 1),
    ]
    table(doc, t_cols, "s in signatures")
    return doc


def summary(lang: str):
    zh = lang == "zh"
    lab = L[lang]
    doc = new_document(lang)
    title(doc, "项目总结报告" if zh else "Project summary report", "{{ project.name }}")
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (lab["period"], "{{ project.start }} " + lab["to"] + " {{ project.end }}"),
            (lab["lead"], "{{ project.lead }}"),
            (lab["pm"], "{{ project.pm }}"),
            (lab["as_of"], "{{ as_of }}"),
        ],
    )
    heading(doc, "一、目标与成果" if zh else "1. Goals and results")
    para(doc, "{{ project.goal }}")
    para(
        doc,
        "任务完成 {{ results.done }} / {{ results.tasks }}（{{ results.done_pct }}），按期完成率 "
        "{{ results.on_time_rate }}；里程碑达成 {{ results.milestones_reached }} / "
        "{{ results.milestones }}（按期 {{ results.milestones_on_time }}）；交付物验收 "
        "{{ results.accepted }} / {{ results.deliverables }}。"
        if zh
        else "Tasks done {{ results.done }} / {{ results.tasks }} ({{ results.done_pct }}), "
        "on-time rate "
        "{{ results.on_time_rate }}; milestones reached {{ results.milestones_reached }} / "
        "{{ results.milestones }} ({{ results.milestones_on_time }} on time); deliverables "
        "accepted {{ results.accepted }} / {{ results.deliverables }}.",
    )
    heading(doc, "成功标准达成情况" if zh else "Success criteria", 3)
    table(
        doc,
        [
            ("成功标准" if zh else "Criterion", "c.text", 3),
            ("达成情况" if zh else "Result", "c.assessment", 2),
        ],
        "c in criteria",
        empty="项目概况未填写成功标准。" if zh else "The overview gives no success criteria.",
    )
    para(doc, "{%p if criteria_missing %}")
    para(
        doc,
        "⚠ 已进入收尾阶段，仍有 {{ criteria_missing }} 项成功标准未填写达成情况"
        "（项目概况“成功标准达成情况”，与成功标准逐条对应）。"
        if zh
        else "⚠ Closing has started and {{ criteria_missing }} success criteria have no result "
        "(Overview, 'Success criteria results', one per criterion).",
        "Note",
    )
    para(doc, "{%p endif %}")
    heading(doc, "二、进度绩效" if zh else "2. Schedule performance")
    table(
        doc,
        [
            ("里程碑" if zh else "Milestone", "m.name", 2.4),
            ("计划日期" if zh else "Planned", "m.planned", 1),
            ("实际日期" if zh else "Actual", "m.actual", 1),
            ("情况" if zh else "State", "m.state", 2),
        ],
        "m in milestones",
        empty=lab["none"],
    )
    picture(
        doc, "progress", "图：各部门任务状态" if zh else "Figure: tasks by status per department"
    )
    heading(doc, "三、预算绩效" if zh else "3. Budget performance")
    table(
        doc,
        [
            (lab["dept"], "b.department", 1.4),
            ("预算" if zh else "Budget", "b.budget", 1.2),
            ("已支出" if zh else "Spent", "b.used", 1.2),
            ("剩余" if zh else "Remaining", "b.remaining", 1.2),
            ("使用率" if zh else "% used", "b.used_pct", 0.7),
            ("无预算支出" if zh else "Unbudgeted", "b.unbudgeted", 1.1),
        ],
        "b in budget + [budget_total]",
    )
    picture(
        doc,
        "budget_chart",
        "图：各部门预算与支出" if zh else "Figure: budget and spending by department",
    )
    heading(doc, "四、部门协同考核" if zh else "4. Department scorecard")
    table(
        doc,
        [
            (lab["dept"], "c.name", 1.4),
            ("任务" if zh else "Tasks", "c.tasks", 0.6),
            ("已完成" if zh else "Done", "c.done", 0.6),
            ("考核任务" if zh else "Counted", "c.counted", 0.7),
            ("按期完成" if zh else "On time", "c.on_time", 0.7),
            ("按期完成率" if zh else "On-time rate", "c.on_time_rate", 0.8),
            ("延误任务" if zh else "Late tasks", "c.late_tasks", 0.7),
            ("最长延误工作日" if zh else "Longest delay (working days)", "c.max_late", 0.9),
            ("造成阻塞工作日" if zh else "Blocked days caused", "c.blocked_days", 0.9),
        ],
        "c in scorecard",
        empty=lab["none"],
    )
    para(
        doc,
        "按期完成率＝按期完成的任务 ÷（已完成＋已逾期）任务；最长延误＝延误最多的一项任务的"
        "工作日（各任务的延误相互重叠，不相加）；造成阻塞工作日＝本部门阻塞任务自阻塞开始以来的工作日。"
        if zh
        else "On-time rate = tasks done on time / (done + overdue tasks); longest delay = the "
        "working days of the most delayed task (delays overlap, so they are not added up); "
        "blocked days caused = working days the department's blocked tasks have been blocked.",
        "Note",
    )
    heading(doc, "五、协同先锋奖提名" if zh else "5. Collaboration pioneer award nominations")
    para(doc, "{{ rules.award }}", "Note")
    heading(doc, "部门" if zh else "Departments", 3)
    table(
        doc,
        [
            (lab["dept"], "c.name", 2),
            ("按期完成率" if zh else "On-time rate", "c.on_time_rate", 1),
            ("已完成任务" if zh else "Tasks done", "c.done", 1),
        ],
        "c in nominated_departments",
        empty="无符合提名规则的部门。" if zh else "No department meets the rule.",
    )
    heading(doc, "个人" if zh else "People", 3)
    table(
        doc,
        [
            (lab["name"], "c.name", 2),
            ("按期完成率" if zh else "On-time rate", "c.on_time_rate", 1),
            ("已完成任务" if zh else "Tasks done", "c.done", 1),
        ],
        "c in nominated_people",
        empty="无符合提名规则的个人。" if zh else "No one meets the rule.",
    )
    heading(doc, "六、约谈名单（延误记录）" if zh else "6. Call-in list (records of delay)")
    para(
        doc,
        "依据方案，因配合不力导致项目延误的部门，由项目总负责人约谈并记录在案。{{ rules.call_in }}"
        if zh
        else "Per the procedure, departments whose passive cooperation delays the project are "
        "called in by the project lead and it is put on record. {{ rules.call_in }}",
        "Note",
    )
    table(
        doc,
        [
            (lab["dept"], "c.name", 1.3),
            ("约谈原因" if zh else "Why", "c.reason", 2.2),
            ("延误任务" if zh else "Late tasks", "c.late_list", 3.5),
        ],
        "c in delays",
        empty="无需约谈的部门。" if zh else "No department to call in.",
    )
    heading(doc, "七、经验教训" if zh else "7. Lessons learned")
    table(
        doc,
        [
            ("原因" if zh else "Cause", "x.cause", 1.3),
            ("发生情况" if zh else "What happened", "x.evidence", 2.5),
            ("经验教训" if zh else "Lesson", "x.lesson", 3.5),
        ],
        "x in lessons",
        empty="本项目未发生延误或问题升级。" if zh else "No delays or escalations.",
    )
    heading(doc, "八、协同改进建议" if zh else "8. Suggestions for better collaboration")
    para(doc, "{%p for s in suggestions %}")
    para(doc, "{{ loop.index }}. {{ s }}")
    para(doc, "{%p endfor %}")
    return doc


def fund(lang: str):
    """《项目资金使用报告》: headers from the schema's finance workbook."""
    from xlcollab.schema import FIN_ANOMALIES, FIN_SUMMARY, finance_label

    zh = lang == "zh"
    lab = L[lang]
    h = {c.key: c.header(lang) for c in FIN_SUMMARY.columns}
    a = {c.key: c.header(lang) for c in FIN_ANOMALIES.columns}
    doc = new_document(lang)
    title(doc, finance_label("report", lang), "{{ project.name }} · {{ month_label }}")
    kv_table(
        doc,
        [
            (lab["project"], "{{ project.name }}"),
            (finance_label("month", lang), "{{ month_label }}"),
            (finance_label("period", lang), "{{ first_day }} " + lab["to"] + " {{ last_day }}"),
            ("编制人" if zh else "Prepared by", "{{ prepared_by }}"),
            (lab["as_of"], "{{ as_of }}"),
        ],
    )
    heading(doc, "一、资金使用概况" if zh else "1. Summary")
    para(doc, "{%p for s in narrative %}")
    para(doc, "{{ s }}")
    para(doc, "{%p endfor %}")
    kv_table(
        doc,
        [
            (h["budget"], "{{ total.budget }}"),
            (h["month"], "{{ total.month }}"),
            (h["to_date"], "{{ total.to_date }}"),
            (h["remaining"], "{{ total.remaining }}"),
            (h["used_pct"], "{{ total.used_pct }}"),
        ],
    )
    money = [(h[k], f"x.{k}", 1.3) for k in ("budget", "month", "to_date", "remaining")]
    tail = [(h["used_pct"], "x.used_pct", 0.8), (h["remark"], "x.remark", 1.2)]
    heading(
        doc,
        "二、预算执行情况（" + finance_label("by_department", lang) + "）"
        if zh
        else "2. Budget against actual, " + finance_label("by_department", lang).lower(),
    )
    table(doc, [(h["department"], "x.name", 1.5), *money, *tail], "x in departments + [total_row]")
    heading(
        doc,
        "三、预算执行情况（" + finance_label("by_category", lang) + "）"
        if zh
        else "3. Budget against actual, " + finance_label("by_category", lang).lower(),
    )
    table(doc, [(h["category"], "x.name", 1.5), *money, *tail], "x in categories + [total_row]")
    heading(doc, "四、预算与实际支出" if zh else "4. Budget and spending")
    picture(doc, "budget_chart", "{{ chart_note }}")
    heading(doc, "五、本月费用异常" if zh else "5. Anomalies this month")
    table(
        doc,
        [
            (a["source_row"], "x.row", 0.7),
            (a["severity"], "x.severity", 0.7),
            (a["date"], "x.date", 1.0),
            (a["department"], "x.department", 1.1),
            (a["amount"], "x.amount", 1.1),
            (a["message"], "x.message", 3.2),
        ],
        "x in anomalies",
        empty=finance_label("no_anomalies", lang),
    )
    heading(doc, "六、签字" if zh else "6. Signature")
    sign_table(
        doc,
        lang,
        [
            ("财务协调员" if zh else "Finance coordinator", "{{ prepared_by }}"),
            ("项目经理" if zh else "Project manager", "{{ project.pm }}"),
        ],
    )
    return doc


DOCS = {
    "charter": charter,
    "roles": roles,
    "checklist": checklist,
    "weekly": weekly,
    "quality": quality,
    "delivery": delivery,
    "summary": summary,
    "fund": fund,
}


# ------------------------------------------------------------------ pptx ---
def briefing(lang: str, path: Path) -> None:
    from pptx import Presentation
    from pptx.dml.color import RGBColor as PRGB
    from pptx.util import Emu
    from pptx.util import Pt as PPt

    zh = lang == "zh"
    ea = "微软雅黑"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)  # 16:9
    W, H = prs.slide_width, prs.slide_height
    margin = Emu(457200)

    def fonts(tf, size=None, bold=None, color=None):
        from xlcollab.reports.render import set_east_asian_font

        for p in tf.paragraphs:
            for r in p.runs:
                if size:
                    r.font.size = PPt(size)
                if bold is not None:
                    r.font.bold = bold
                if color:
                    r.font.color.rgb = PRGB.from_string(color)
                set_east_asian_font(r, ea)

    cover = prs.slides.add_slide(prs.slide_layouts[0])
    t = cover.shapes.title
    t.text = "{{ title }}"
    t.left, t.top, t.width, t.height = margin, int(H * 0.28), W - 2 * margin, Emu(1300000)
    fonts(t.text_frame, 40, True, ACCENT)
    sub = cover.placeholders[1]
    sub.left, sub.top, sub.width, sub.height = margin, int(H * 0.52), W - 2 * margin, Emu(1200000)
    sub.text = (
        "{{ project.name }}\n{{ month_label }} · 状态日期 {{ as_of }}"
        if zh
        else "{{ project.name }}\n{{ month_label }} · as of {{ as_of }}"
    )
    fonts(sub.text_frame, 20, False, "404040")

    def slide(heading: str, blocks: list[tuple[str, float, float, float, float]]):
        s = prs.slides.add_slide(prs.slide_layouts[5])  # title only
        t = s.shapes.title
        t.left, t.top, t.width, t.height = margin, Emu(228600), W - 2 * margin, Emu(800000)
        t.text = heading
        fonts(t.text_frame, 28, True, ACCENT)
        top = Emu(1150000)
        usable_w, usable_h = W - 2 * margin, H - top - Emu(300000)
        for marker, x, y, w, h in blocks:
            box = s.shapes.add_textbox(
                int(margin + usable_w * x),
                int(top + usable_h * y),
                int(usable_w * w),
                int(usable_h * h),
            )
            box.text_frame.text = marker
            fonts(box.text_frame, 12)
        foot = s.shapes.add_textbox(margin, H - Emu(380000), W - 2 * margin, Emu(300000))
        foot.text_frame.text = "{{ project.name }} · {{ month_label }}"
        fonts(foot.text_frame, 10, False, "7F7F7F")

    slide(
        "状态一览" if zh else "Status at a glance",
        [("{{ table:status }}", 0, 0, 0.46, 1), ("{{ image:progress }}", 0.5, 0, 0.5, 1)],
    )
    slide("里程碑" if zh else "Milestones", [("{{ table:milestones }}", 0, 0, 1, 1)])
    slide(
        "需总负责人决策的升级问题" if zh else "Escalations to the project lead (level 3)",
        # the ladder's problems, then the overspends the lead also approves
        [("{{ table:level3 }}", 0, 0, 1, 0.64), ("{{ table:level3_budget }}", 0, 0.68, 1, 0.32)],
    )
    slide(
        "预算执行" if zh else "Budget",
        [("{{ table:budget }}", 0, 0, 0.6, 1), ("{{ image:budget_chart }}", 0.62, 0, 0.38, 1)],
    )
    slide("主要风险" if zh else "Top risks", [("{{ table:risks }}", 0, 0, 1, 1)])
    slide("待决策事项" if zh else "Decisions needed", [("{{ table:decisions }}", 0, 0, 1, 1)])
    core = prs.core_properties
    import datetime as dt

    core.author = core.last_modified_by = "xlcollab"
    core.created = core.modified = dt.datetime(2026, 1, 1)
    core.revision = 1
    core.title = "{{ title }}"
    prs.save(path)


def _fix_core(doc) -> None:
    import datetime as dt

    core = doc.core_properties
    core.author = core.last_modified_by = "xlcollab"
    core.created = core.modified = dt.datetime(2026, 1, 1)
    core.revision = 1
    core.title = ""
    core.comments = ""


def main(argv: list[str]) -> None:
    out = Path(argv[1] if len(argv) > 1 else Path(__file__).resolve().parent.parent / "templates")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from xlcollab.reports.render import normalize_zip

    for lang in ("zh", "en"):
        folder = out / lang
        folder.mkdir(parents=True, exist_ok=True)
        for kind, make in DOCS.items():
            doc = make(lang)
            _fix_core(doc)
            path = folder / f"{kind}.docx"
            doc.save(path)
            path.write_bytes(normalize_zip(path.read_bytes()))
            print(path)
        path = folder / "briefing.pptx"
        briefing(lang, path)
        path.write_bytes(normalize_zip(path.read_bytes()))
        print(path)


if __name__ == "__main__":
    main(sys.argv)
