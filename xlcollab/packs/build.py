"""The pack workbook: the master's own builder, then locks, the hidden
identity and the 说明 sheet.

Built with :func:`xlcollab.workbook.build_workbook`, a pack has the master's
dropdowns, formulas, conditional formats and Gantt. Then:

- every sheet is protected (no password: Review > Unprotect Sheet); on the
  sheets of :data:`~xlcollab.schema.PACK_RULES` the department's own rows
  keep their editable columns unlocked, and so do the spare rows where it
  may add rows; every other cell is locked;
- each pack table gets one more, hidden column inside its Excel table
  (:data:`~xlcollab.schema.PACK_ROW_ID`): the row's identity in the
  master, which moves with the row when the liaison sorts or filters;
- a very hidden sheet (:data:`~xlcollab.schema.PACK_INFO`) holds the
  master's identity and version, the split time and, per row, its
  fingerprint and values at the split;
- a 说明 sheet, first and active, tells the liaison what to fill in, by
  when and how to send it back.
"""

from __future__ import annotations

import datetime as dt
import math

from openpyxl.styles import Alignment, Font
from openpyxl.workbook import Workbook
from openpyxl.worksheet.table import TableColumn

from xlcollab.core.figures import wbs_text
from xlcollab.history.rows import dumps
from xlcollab.model.a1 import col_letter
from xlcollab.packs.fingerprint import fingerprint, summary_keys
from xlcollab.packs.split import PackPlan
from xlcollab.schema import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    PACK_GUIDE,
    PACK_IDENTITY_KEYS,
    PACK_INFO,
    PACK_ROW_ID,
    PACK_RULES,
    SHEETS,
    Kind,
)
from xlcollab.schema.lang import tr
from xlcollab.workbook import build_workbook, formats, layout
from xlcollab.workbook.forms import display_width

__all__ = ["build_pack", "guide_lines"]

_LINE_HEIGHT = 15  # points per wrapped line on the 说明 sheet


def _person(plan: PackPlan, key: str) -> str:
    v = plan.data.overview.get(key)
    return str(v).strip() if v else ""


def _email(plan: PackPlan, name: str) -> str:
    team = plan.data.tables.get("team")
    if team is None or not name:
        return ""
    for n, mail in zip(team["name"], team["email"], strict=True):
        if n == name and mail:
            return str(mail)
    return ""


def guide_lines(plan: PackPlan, due: dt.date, lang: str) -> list[str]:
    """The 说明 sheet's text, one line a row: the title first, and a line
    after an empty line is a heading."""
    zh = lang == "zh"
    dept = plan.department
    pm = _person(plan, "pm")
    mail = _email(plan, pm)
    to = f"{pm}（{mail}）" if zh and mail else (f"{pm} ({mail})" if mail else pm)
    split = plan.identity["split_at"].replace("T", " ")
    names = {k: SHEETS[k].name(lang) for k in PACK_RULES}
    cols = {
        k: tr(lang, "、", ", ").join(SHEETS[k].col(c).header(lang) for c in r.editable)
        for k, r in PACK_RULES.items()
    }
    if zh:
        return [
            f"{plan.identity['project']} · {dept} 部门回传文件",
            f"拆分时间：{split}。请于 {due.isoformat()} 前填写并发回给项目经理 {to}。",
            "",
            "要填写什么",
            f"1. “{names['tasks']}”：本部门任务的{cols['tasks']}（白色单元格可填写）。",
            "   新任务：在表格末尾的空行填写，WBS编码挂在本部门任务之下（如 3.2.9），"
            "负责部门留空即为本部门。",
            f"2. “{names['risks']}”：本部门负责的风险的{cols['risks']}；可新增风险。",
            f"3. “{names['expenses']}”：本部门的费用，可修改或在末尾新增。",
            f"4. “{names['meetings']}”：本部门的待办事项，填写“待办完成”。",
            "",
            "请注意",
            "• 灰色和锁定的单元格（其他部门的任务、公式列、由项目经理维护的列）不能修改；"
            "它们只供参考（前置与后续任务）。",
            "• 可以排序和筛选；请不要删除或改动最后一列（隐藏的行标识）。",
            "• 不要删除行：如某项不再需要，请在备注中说明，由项目经理处理。",
            "",
            "如何发回",
            "保存本文件（文件名不限，保持 .xlsx），以邮件或协同平台发给项目经理。"
            "项目经理用“合并部门回传”把修改合并进主工作簿：本部门的修改会被接受，"
            "与主工作簿冲突的修改会逐条列出，不会被悄悄覆盖。",
        ]
    return [
        f"{plan.identity['project']} · pack of {dept}",
        f"Split at {split}. Fill it in and send it back to the PM {to} by {due.isoformat()}.",
        "",
        "What to fill in",
        f"1. '{names['tasks']}': your tasks' {cols['tasks']} (white cells are editable).",
        "   New tasks: use the empty rows at the table's end, with WBS codes under your own "
        "tasks (e.g. 3.2.9); an empty department means yours.",
        f"2. '{names['risks']}': your risks' {cols['risks']}; you may add risks.",
        f"3. '{names['expenses']}': your department's expenses; change them or add lines.",
        f"4. '{names['meetings']}': your action items: fill in 'Action done'.",
        "",
        "Please note",
        "• Grey and locked cells (other departments' tasks, formulas, columns the PM keeps) "
        "cannot be changed; they are there for reference (predecessors and successors).",
        "• Sorting and filtering are fine; do not delete or change the last (hidden) column.",
        "• Do not delete rows: if something is no longer needed, say so in the notes.",
        "",
        "How to send it back",
        "Save the file (any name, keep .xlsx) and e-mail it to the PM, who merges it with "
        "'Merge returned packs': your changes are accepted, and anything that clashes with "
        "the master is listed, never overwritten silently.",
    ]


def _lock_body(ws, sheet, last: int, open_cells) -> None:
    """Lock every input cell of a table body except ``open_cells``
    ((row, column key) pairs)."""
    for key in (c.key for c in sheet.input_columns):
        j = layout.col_index(sheet.key, key)
        for row in range(FIRST_DATA_ROW, last + 1):
            want = formats.UNLOCKED if (row, key) in open_cells else formats.LOCKED
            cell = ws.cell(row, j)
            if cell.protection != want:
                cell.protection = want


def _grey_row(ws, sheet, row: int) -> None:
    """Another department's row: greyed, so the liaison sees it is not theirs."""
    fill, font = formats.fill("pack_other"), formats.font("pack_other")
    for col in sheet.input_columns:
        cell = ws.cell(row, layout.col_index(sheet.key, col.key))
        cell.fill = fill
        cell.font = font


def _add_id_column(ws, sheet, ids: list[str], last: int, lang: str) -> None:
    j = len(sheet.columns) + 1
    letter = col_letter(j)
    ws.cell(HEADER_ROW, j, PACK_ROW_ID.header(lang))
    formats.style_header(ws.cell(HEADER_ROW, j))
    for i, row_id in enumerate(ids):
        ws.cell(FIRST_DATA_ROW + i, j, row_id).protection = formats.LOCKED
    ws.column_dimensions[letter].hidden = True
    table = ws.tables[sheet.table]
    ref = f"A{HEADER_ROW}:{letter}{last}"
    table.ref = ref
    table.autoFilter.ref = ref
    table.tableColumns.append(TableColumn(id=j, name=PACK_ROW_ID.header(lang)))


def _info_sheet(wb: Workbook, plan: PackPlan, lang: str) -> None:
    ws = wb.create_sheet(PACK_INFO.name(lang))
    for j, col in enumerate(PACK_INFO.columns, start=1):
        ws.cell(HEADER_ROW, j, col.header(lang))
    rows = [(k, None, plan.identity[k], None) for k in PACK_IDENTITY_KEYS]
    for sheet, base in plan.base.items():
        for row_id, rec in base.items():
            rows.append((row_id, sheet, dumps(rec), fingerprint(rec)))
    for i, values in enumerate(rows, start=FIRST_DATA_ROW):
        for j, v in enumerate(values, start=1):
            if v is not None:
                ws.cell(i, j).value = v
                ws.cell(i, j).data_type = "s"
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


def _guide_sheet(wb: Workbook, plan: PackPlan, due: dt.date, lang: str) -> None:
    ws = wb.create_sheet(PACK_GUIDE.name(lang), 0)
    ws.sheet_properties.tabColor = PACK_GUIDE.tab_color
    width = PACK_GUIDE.columns[0].width
    ws.column_dimensions["A"].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    lines = guide_lines(plan, due, lang)
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(i, 1, text or None)
        cell.alignment = wrap
        wrapped = max(1, math.ceil(display_width(text) / (width - 4)))
        ws.row_dimensions[i].height = _LINE_HEIGHT * wrapped + 4
        if i == 1:
            cell.font = Font(bold=True, size=14)
        elif text and i > 2 and not lines[i - 2]:  # a line after an empty one: a heading
            cell.font = formats.BOLD
    formats.protect(ws)
    formats.print_setup(ws, 0)
    ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
    wb.active = ws
    for other in wb.worksheets:
        other.sheet_view.tabSelected = other is ws


def build_pack(plan: PackPlan, due: dt.date, lang: str | None = None) -> Workbook:
    """The pack workbook of ``plan``; the liaison should send it back by ``due``."""
    lang = lang or plan.data.lang
    wb = build_workbook(plan.data, lang)
    for sheet in SHEETS.values():
        ws = wb[sheet.name(lang)]
        if sheet.kind is Kind.FORM:
            for row in range(1, ws.max_row + 1):
                cell = ws.cell(row, 2)
                if cell.protection.locked is False:
                    cell.protection = formats.LOCKED
            formats.protect(ws)
            continue
        if sheet.kind is not Kind.TABLE:
            continue
        frame = plan.data.tables.get(sheet.key)
        n = 0 if frame is None else len(frame)
        last = layout.last_row(layout.body_rows(sheet.key, n))
        rule = PACK_RULES.get(sheet.key)
        open_cells: set[tuple[int, str]] = set()
        if rule is not None:
            summary = summary_keys(sheet.key, frame) if frame is not None else set()
            codes = (
                [wbs_text(v) for v in frame[sheet.record_key]]
                if summary and frame is not None and sheet.record_key
                else []
            )
            for i, own in enumerate(plan.own[sheet.key]):
                if own:
                    cols = rule.editable_on(bool(codes) and codes[i] in summary)
                    open_cells |= {(FIRST_DATA_ROW + i, k) for k in cols}
                else:
                    _grey_row(ws, sheet, FIRST_DATA_ROW + i)
            if rule.new_rows:
                spare = range(FIRST_DATA_ROW + n, last + 1)
                open_cells |= {(r, c.key) for r in spare for c in sheet.input_columns}
            _add_id_column(ws, sheet, plan.ids[sheet.key], last, lang)
        _lock_body(ws, sheet, last, open_cells)
        formats.protect(ws)
    _info_sheet(wb, plan, lang)
    _guide_sheet(wb, plan, due, lang)
    wb.properties.title = f"{plan.identity['project']} · {plan.department}"
    return wb
