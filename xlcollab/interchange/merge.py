"""Merge an MSPDI plan into the workbook by WBS code.

:func:`merge_plan` compares a :class:`~xlcollab.interchange.mspdi_read.Plan`
with the workbook read as ProjectData and lists every cell that would
change (sheet, cell, old, new): task rows matched by WBS code, milestone rows
by name, new rows appended below the last row of their table. Fields the plan
does not carry are left alone, and so are workbook rows the plan does not
hold (listed, never deleted). :func:`merge_edits` turns the result into
:class:`~xlcollab.io.writeback.SheetEdit` objects for the safe writer.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from xlcollab.core.figures import ROLLUP_COLUMNS, summary_mask
from xlcollab.core.network import split_codes
from xlcollab.interchange.mspdi_read import Plan
from xlcollab.io.ooxml import Package, PackageError, attr
from xlcollab.io.parse import display
from xlcollab.io.writeback import SheetEdit
from xlcollab.model import ProjectData, is_missing
from xlcollab.model.a1 import cell_ref, split_ref
from xlcollab.model.dates import to_date
from xlcollab.schema import SHEETS, T
from xlcollab.schema.lang import tr
from xlcollab.workbook.values import cell_value

TASK_KEYS = (
    "name",
    "phase",
    "department",
    "owner",
    "deliverable",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "progress",
    "status",
    "predecessors",
    "blocked_reason",
    "approved",
    "notes",
)
MILESTONE_KEYS = ("name", "planned_date", "actual_date", "tasks", "opinion")


@dataclass
class Change:
    sheet: str  # schema key
    row: int  # Excel row
    column: str  # column key
    old: object
    new: object
    new_row: bool = False

    def cell(self, data: ProjectData) -> str:
        lay = data.layout.get(self.sheet)
        col = lay.columns.get(self.column) if lay else None
        return cell_ref(self.row, col) if col else "?"


@dataclass
class MergeResult:
    changes: list[Change] = field(default_factory=list)
    new_rows: dict[str, list[int]] = field(default_factory=dict)  # sheet -> rows added
    notes: list[str] = field(default_factory=list)  # what the user should know
    unchanged: int = 0  # matched rows with nothing to change
    missing: list[str] = field(default_factory=list)  # workbook WBS codes not in the plan

    def preview(self, data: ProjectData, lang: str) -> list[tuple[str, str, str, str]]:
        """(sheet, cell, old, new) per change, as the workbook shows them."""
        out = []
        for c in self.changes:
            col = SHEETS[c.sheet].col(c.column)
            out.append(
                (
                    data.sheet_name(c.sheet),
                    c.cell(data),
                    _show(col, c.old, lang),
                    _show(col, c.new, lang),
                )
            )
        return out


def _show(col, value, lang: str) -> str:
    if is_missing(value):
        return ""
    if col.type is T.PERCENT:
        return f"{float(value):.0%}"
    shown = cell_value(col, value, lang)
    if isinstance(shown, dt.date):
        return shown.isoformat()
    return display(shown)


def _same(col, old, new) -> bool:
    if is_missing(old) and is_missing(new):
        return True
    if is_missing(old) or is_missing(new):
        return False
    if col.type is T.DATE:
        return to_date(old) == to_date(new)
    if col.type is T.PERCENT:
        return abs(float(old) - float(new)) < 0.005
    if col.type is T.BOOL:
        return bool(old) == bool(new)
    if col.key in ("predecessors", "tasks"):
        return split_codes(old) == split_codes(new)
    return str(old).strip() == str(new).strip()


def _code(parent: str | None, code: str) -> str:
    return f"{parent}.{code}" if parent else code


def _derived_status(fields: dict) -> str:
    if fields.get("actual_finish") is not None or (fields.get("progress") or 0) >= 1:
        return "done"
    if fields.get("actual_start") is not None or (fields.get("progress") or 0) > 0:
        return "in_progress"
    return "not_started"


def merge_plan(
    data: ProjectData, plan: Plan, *, parent: str | None = None, lang: str = "zh"
) -> MergeResult:
    """What merging ``plan`` into ``data`` changes (see the module docstring).
    With ``parent``, the plan's WBS codes are taken as codes under that
    workbook task (plan 1.2 becomes ``parent``.1.2)."""
    out = MergeResult()
    tasks = data.tables["tasks"]
    by_code: dict[str, int] = {}
    for row, code in tasks["wbs"].items():
        if not is_missing(code) and str(code).strip() not in by_code:
            by_code[str(code).strip()] = int(row)
    if parent and parent not in by_code:
        out.notes.append(
            tr(
                lang,
                f"上级 WBS 编码 {parent} 不在任务清单中，新任务仍按此编码挂接",
                f"Parent WBS code {parent} is not in the task sheet; new tasks go under it anyway",
            )
        )
    team = data.tables.get("team")
    dept_of = (
        {str(n).strip(): d for n, d in zip(team["name"], team["department"], strict=False)}
        if team is not None
        else {}
    )
    seen: set[str] = set()
    # a summary row's dates, progress and status roll up from its tasks (the
    # workbook's formulas): the plan's values for them are not written
    rolled_up = set(summary_mask(tasks)[lambda m: m].index.tolist())
    next_row = _next_row(data, "tasks")
    for t in plan.task_rows:
        if not t.wbs:
            out.notes.append(
                tr(
                    lang,
                    f"计划中的任务“{t.name}”没有 WBS 编码，未导入",
                    f"Plan task '{t.name}' has no WBS code; not imported",
                )
            )
            continue
        code = _code(parent, t.wbs)
        if code in seen:
            out.notes.append(
                tr(
                    lang,
                    f"计划中 WBS 编码 {code} 重复，只导入第一个",
                    f"WBS {code} repeats; first kept",
                )
            )
            continue
        seen.add(code)
        fields = dict(t.fields)
        if "predecessors" in fields and parent:
            fields["predecessors"] = (
                ",".join(_code(parent, c) for c in split_codes(fields["predecessors"])) or None
            )
        for link in t.links:
            if link.type != "FS" or link.lag_days:
                out.notes.append(
                    tr(
                        lang,
                        f"{code} 与前置任务 {_code(parent, link.predecessor)} 的关联是 {link.type}"
                        f"（滞后 {link.lag_days:g} 天）；任务清单只记录完成-开始关联，按无滞后写入",
                        f"{code}: the link from {_code(parent, link.predecessor)} is {link.type} "
                        f"with a lag of {link.lag_days:g} days; the task sheet holds "
                        "finish-to-start "
                        "links only, so it is written without lag",
                    )
                )
        row = by_code.get(code)
        if row is None:
            fields["wbs"] = code
            if is_missing(fields.get("status")):
                fields["status"] = _derived_status(fields)
            _inherit(fields, code, by_code, tasks, dept_of)
            out.new_rows.setdefault("tasks", []).append(next_row)
            for key in ("wbs",) + TASK_KEYS:
                if not is_missing(fields.get(key)):
                    out.changes.append(Change("tasks", next_row, key, None, fields[key], True))
            next_row += 1
            continue
        before = len(out.changes)
        rec = tasks.loc[row]
        for key in TASK_KEYS:
            if key not in fields or (row in rolled_up and key in ROLLUP_COLUMNS):
                continue
            col = SHEETS["tasks"].col(key)
            if key == "progress" and _implied_progress(rec, fields):
                continue
            if not _same(col, rec.get(key), fields[key]):
                out.changes.append(Change("tasks", row, key, rec.get(key), fields[key]))
        if len(out.changes) == before:
            out.unchanged += 1
    out.missing = [
        c for c in by_code if c not in seen and (not parent or c.startswith(parent + "."))
    ]
    _merge_milestones(data, plan, out, lang)
    return out


def _implied_progress(rec, fields: dict) -> bool:
    """A done task with no % complete is exported as 100%; reading that back
    is no change."""
    status = fields.get("status", rec.get("status"))
    return is_missing(rec.get("progress")) and status == "done" and fields["progress"] == 1.0


def _inherit(fields: dict, code: str, by_code: dict, tasks, dept_of: dict) -> None:
    """A new task takes the phase and department its parent row has (and
    the department of its owner on 组织架构) when the plan does not say."""
    parts = code.split(".")
    for k in range(len(parts) - 1, 0, -1):
        row = by_code.get(".".join(parts[:k]))
        if row is not None:
            for key in ("phase", "department"):
                if is_missing(fields.get(key)) and not is_missing(tasks.at[row, key]):
                    fields[key] = tasks.at[row, key]
            break
    owner = fields.get("owner")
    if is_missing(fields.get("department")) and owner in dept_of:
        fields["department"] = dept_of[owner]


def _merge_milestones(data: ProjectData, plan: Plan, out: MergeResult, lang: str) -> None:
    frame = data.tables.get("milestones")
    if frame is None or not plan.milestone_rows:
        return
    by_name = {}
    for row, name in frame["name"].items():
        if not is_missing(name):
            by_name.setdefault(str(name).strip(), int(row))
    next_row = _next_row(data, "milestones")
    for t in plan.milestone_rows:
        row = by_name.get(t.name.strip())
        if row is None:
            out.new_rows.setdefault("milestones", []).append(next_row)
            for key in MILESTONE_KEYS:
                if not is_missing(t.fields.get(key)):
                    out.changes.append(
                        Change("milestones", next_row, key, None, t.fields[key], True)
                    )
            next_row += 1
            continue
        rec = frame.loc[row]
        for key in MILESTONE_KEYS:
            if key in t.fields and not _same(
                SHEETS["milestones"].col(key), rec.get(key), t.fields[key]
            ):
                out.changes.append(Change("milestones", row, key, rec.get(key), t.fields[key]))


def _next_row(data: ProjectData, key: str) -> int:
    lay = data.layout.get(key)
    frame = data.tables.get(key)
    last = (
        max([int(r) for r in frame.index] + [lay.last_row if lay else 1])
        if frame is not None
        else 1
    )
    return last + 1


def merge_edits(data: ProjectData, result: MergeResult) -> tuple[list[SheetEdit], list[str]]:
    """The safe writer's edits for ``result``, and notes about columns the
    workbook does not have (never skipped silently). Values are written as
    the workbook shows them: choice labels in the workbook's language,
    是/否, dates and fractions."""
    edits: dict[str, SheetEdit] = {}
    notes: list[str] = []
    for c in result.changes:
        lay = data.layout.get(c.sheet)
        col = SHEETS[c.sheet].col(c.column)
        if lay is None or c.column not in lay.columns:
            note = tr(
                data.lang,
                f"工作表“{data.sheet_name(c.sheet)}”没有“{col.zh}”列，未写入",
                f"Sheet '{data.sheet_name(c.sheet)}' has no '{col.en}' column; not written",
            )

            if note not in notes:
                notes.append(note)
            continue
        if c.sheet not in edits:
            edits[c.sheet] = SheetEdit.for_sheet(data, c.sheet)
        value = cell_value(col, c.new, data.lang)
        edits[c.sheet].set(c.row, c.column, value)
    return list(edits.values()), notes


_TABLE_REF = re.compile(rb"<(?:[\w.-]+:)?table\b([^>]*)>")


def table_end_row(workbook: bytes, sheet_name: str) -> int | None:
    """The last row of the first Excel table on ``sheet_name`` (None when
    the sheet has no table or the package cannot be read)."""
    try:
        pkg = Package(workbook)
        part = pkg.sheet_parts().get(sheet_name)
        if part is None:
            return None
        for table in pkg.tables_of(part):
            m = _TABLE_REF.search(pkg.read(table))
            ref = attr(m.group(1), b"ref") if m else None
            if ref:
                return split_ref(ref.decode().split(":")[-1])[0]
    except PackageError:
        return None
    return None


__all__ = [
    "Change",
    "MergeResult",
    "MILESTONE_KEYS",
    "TASK_KEYS",
    "merge_edits",
    "merge_plan",
    "table_end_row",
]
